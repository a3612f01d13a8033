// The firewall view's commands, panel serializer and settings. One call from activate().
import * as vscode from 'vscode';
import { formatRange } from '../../core/engine/describePorts';
import type { ContainerModel, PortBinding } from '../../core/engine/model';
import { registerCommand } from '../commands';
import type { EngineSession } from '../engineSession';
import type { NetworksTreeNode } from '../networksTree';
import type { PublishedPortsNode } from '../publishedPortsTree';
import type { TraceRequestMessage, ViewFocus } from '../../../webview/protocol';
import { HelperConsent } from './consent';
import { FirewallPanel, firewallSerializer, firewallSettings, firewallViewType } from './firewallPanel';

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

export function registerFirewall(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession): void {
  const consent = new HelperConsent(context.globalState);
  let panel: FirewallPanel | undefined;
  // created on first use: activation stays cheap
  const getPanel = () => {
    if (!panel) {
      panel = new FirewallPanel(context.extensionUri, output, session, consent);
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
  registerCommand(context, output, 'dockerNetworkDoctor.firewall.openDump', (uri?: unknown) =>
    getPanel().openDumpFile(uri instanceof vscode.Uri ? uri : undefined));
  registerCommand(context, output, 'dockerNetworkDoctor.firewall.openDumpFromClipboard', () => getPanel().openDumpFromClipboard());
  registerCommand(context, output, 'dockerNetworkDoctor.firewall.revokeConsent', async () => {
    const engines = consent.engines();
    if (!engines.length) {
      void vscode.window.showInformationMessage('Docker Network Doctor: no engine has consent to run the firewall helper.');
      return;
    }
    const all = 'All engines';
    const pick = engines.length === 1 ? engines[0] : await vscode.window.showQuickPick([...engines, all], { placeHolder: 'Revoke consent to run the firewall helper on…' });
    if (!pick) return;
    await consent.revoke(pick === all ? undefined : pick);
    void vscode.window.showInformationMessage(`Docker Network Doctor: the firewall helper will ask again before it runs on ${pick === all ? 'any engine' : pick}.`);
  });

  // Tests grant consent the way the modal does (the same store, the same check afterwards) and read the view back.
  // Registered only when VS Code runs the extension's tests or develops it, never in an installed extension.
  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    context.subscriptions.push(
      vscode.commands.registerCommand('dockerNetworkDoctor.firewall.test.grantConsent', async (host?: string) => {
        const engineHost = host ?? session.ensureClient().endpoint.host;
        await consent.grant(engineHost, firewallSettings().helperImage);
        return engineHost;
      }),
      vscode.commands.registerCommand('dockerNetworkDoctor.firewall.test.probe', () => getPanel().probe),
      vscode.commands.registerCommand('dockerNetworkDoctor.firewall.test.trace', (request: TraceRequestMessage) => getPanel().runTrace(request)),
      vscode.commands.registerCommand('dockerNetworkDoctor.firewall.test.waitForRender', () =>
        getPanel().probe.rendered ?? new Promise((resolve) => { const d = getPanel().onDidRender((r) => { d.dispose(); resolve(r); }); })),
    );
  }
}
