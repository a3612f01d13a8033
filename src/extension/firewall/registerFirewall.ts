// The firewall view's commands, panel serializer and settings. One call from activate().
import * as vscode from 'vscode';
import type { ContainerModel, PortBinding } from '../../core/engine/model';
import { registerCommand } from '../commands';
import type { EngineSession } from '../engineSession';
import type { UserPrompts } from '../prompts';
import type { ViewFocus } from '../../../webview/protocol';
import { grantLabel } from '../../core/firewall/helperGrant';
import type { TreeNode } from '../tree/nodes';
import { HelperConsent } from './consent';
import { registerExposureCommands } from './exposureCommands';
import type { ExposureStore } from './exposureStore';
import { FirewallPanel, firewallSerializer, firewallViewType } from './firewallPanel';
import { formatRange } from '../../core/net/portInterval';

function portFocus(container: ContainerModel, b: PortBinding): ViewFocus {
  return { kind: 'port', label: `${container.name} ${b.protocol} ${formatRange(b.hostStart, b.hostEnd)}`, id: container.id, protocol: b.protocol,
    hostPort: b.hostStart, ...(b.hostEnd !== b.hostStart ? { hostPortEnd: b.hostEnd } : {}) };
}

/** The focus a tree item asks for: a container, a published port range, or a network. */
export function focusForNode(node: TreeNode | undefined): ViewFocus | null {
  switch (node?.kind) {
    case 'container':
      return { kind: 'container', label: node.container.name, id: node.container.id };
    case 'binding':
      return portFocus(node.container, node.binding);
    case 'network':
      return { kind: 'network', label: node.network.name, id: node.network.id };
    default:
      return null;
  }
}

export interface Firewall {
  /** Its prompt also asks before the reach checklist's live test. */
  consent: HelperConsent;
  /** The one panel, created on first use. */
  panel(): FirewallPanel;
}

export function registerFirewall(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession, exposure: ExposureStore,
  prompts: UserPrompts): Firewall {
  const consent = new HelperConsent(context.globalState, prompts.consent);
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
    void vscode.window.showInformationMessage(`Docker Network Doctor: the firewall helper will ask again before it runs ` +
      `on ${pick.engineId === undefined ? 'any engine' : pick.label}.`);
  });

  return { consent, panel: getPanel };
}
