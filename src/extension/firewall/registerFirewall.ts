// The firewall view's commands, panel serializer and settings. One call from activate().
import * as vscode from 'vscode';
import type { ContainerModel, PortBinding } from '../../core/engine/model';
import { registerCommand } from '../commands';
import type { EngineSession } from '../engineSession';
import type { NetworksTreeNode } from '../networksTree';
import type { PublishedPortsNode } from '../publishedPortsTree';
import type { TraceRequestMessage, ViewFocus } from '../../../webview/protocol';
import { grantLabel } from '../../core/firewall/helperGrant';
import { HelperConsent } from './consent';
import { registerExposureCommands } from './exposureCommands';
import type { ExposureStore } from './exposureStore';
import { FirewallPanel, firewallSerializer, firewallViewType } from './firewallPanel';
import { formatRange } from '../../core/net/portInterval';

type TreeNode = NetworksTreeNode | PublishedPortsNode;

function portFocus(container: ContainerModel, b: PortBinding): ViewFocus {
  return { kind: 'port', label: `${container.name} ${b.protocol} ${formatRange(b.hostStart, b.hostEnd)}`, id: container.id, protocol: b.protocol,
    hostPort: b.hostStart, ...(b.hostEnd !== b.hostStart ? { hostPortEnd: b.hostEnd } : {}) };
}

/** The focus a tree item asks for: a container, a published port range, or a network. */
export function focusForNode(node: TreeNode | undefined): ViewFocus | null {
  switch (node?.kind) {
    case 'container':
      return { kind: 'container', label: node.container.name, id: node.container.id };
    case 'ports':
      return portFocus(node.container, node.binding);
    case 'range':
      return portFocus(node.range.container, node.range.binding);
    case 'network':
      return { kind: 'network', label: node.network.name, id: node.network.id };
    default:
      return null;
  }
}

/** Returns the helper consent (its prompt also asks before the reach checklist's live test). */
export function registerFirewall(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession, exposure: ExposureStore): HelperConsent {
  const consent = new HelperConsent(context.globalState);
  let panel: FirewallPanel | undefined;
  // created on first use: activation stays cheap
  const getPanel = () => {
    if (!panel) {
      panel = new FirewallPanel(context.extensionUri, output, session, consent, exposure);
      context.subscriptions.push(panel);
    }
    return panel;
  };
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(firewallViewType, firewallSerializer(getPanel)));

  registerCommand(context, output, 'dockerNetworkDoctor.firewall.show', () => getPanel().showEngine(null));
  registerCommand(context, output, 'dockerNetworkDoctor.firewall.refresh', () => getPanel().showEngine(null, true));
  for (const verb of ['showForContainer', 'showForPort', 'showForNetwork']) {
    registerCommand(context, output, `dockerNetworkDoctor.firewall.${verb}`, (node?: TreeNode) => getPanel().showEngine(focusForNode(node)));
  }
  registerExposureCommands(context, output, session, exposure);
  registerCommand(context, output, 'dockerNetworkDoctor.firewall.openDump', (uri?: unknown) =>
    getPanel().openDumpFile(uri instanceof vscode.Uri ? uri : undefined));
  registerCommand(context, output, 'dockerNetworkDoctor.firewall.openDumpFromClipboard', () => getPanel().openDumpFromClipboard());
  registerCommand(context, output, 'dockerNetworkDoctor.firewall.revokeConsent', async () => {
    const grants = consent.grants();
    if (!grants.length) {
      void vscode.window.showInformationMessage('Docker Network Doctor: no engine has consent to run the firewall helper.');
      return;
    }
    // listed by address and engine ID: one address may have led to several engines
    type Pick = vscode.QuickPickItem & { engineId?: string };
    const items: Pick[] = grants.map((g) => ({ label: grantLabel(g), description: `${g.imageTag} · ${g.imageId.slice(0, 19)}…`, engineId: g.engineId }));
    const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick<Pick>([...items, { label: 'All engines' }],
      { placeHolder: 'Revoke consent to run the firewall helper on…' });
    if (!pick) return;
    await consent.revoke(pick.engineId);
    void vscode.window.showInformationMessage(`Docker Network Doctor: the firewall helper will ask again before it runs on ${pick.engineId === undefined ? 'any engine' : pick.label}.`);
  });

  // Tests grant consent the way the modal does (the same store, the same check afterwards) and read the view back.
  // Registered only when VS Code runs the extension's tests or develops it, never in an installed extension.
  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    const consentPrompts: { message: string; detail: string }[] = [];
    const defaultPrompt = consent.prompt;
    context.subscriptions.push(
      vscode.commands.registerCommand('dockerNetworkDoctor.firewall.test.grantConsent', async () => {
        const subject = await getPanel().helperSubject();
        await consent.grant(subject);
        return subject;
      }),
      // the modal cannot be clicked from the integration tests: record what it would say and answer for it
      vscode.commands.registerCommand('dockerNetworkDoctor.firewall.test.answerConsentPrompts', (answer?: boolean) => {
        consentPrompts.length = 0;
        consent.prompt = answer === undefined ? defaultPrompt : async (message, detail) => { consentPrompts.push({ message, detail }); return answer; };
      }),
      vscode.commands.registerCommand('dockerNetworkDoctor.firewall.test.consentPrompts', () => [...consentPrompts]),
      vscode.commands.registerCommand('dockerNetworkDoctor.firewall.test.consentGrants', () => consent.grants()),
      vscode.commands.registerCommand('dockerNetworkDoctor.firewall.test.probe', () => getPanel().probe),
      vscode.commands.registerCommand('dockerNetworkDoctor.firewall.test.trace', (request: TraceRequestMessage) => getPanel().runTrace(request)),
      vscode.commands.registerCommand('dockerNetworkDoctor.firewall.test.waitForRender', () =>
        getPanel().probe.rendered ?? new Promise((resolve) => { const d = getPanel().onDidRender((r) => { d.dispose(); resolve(r); }); })),
    );
  }
  return consent;
}
