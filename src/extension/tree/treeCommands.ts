// Item actions of the two views: refresh, copy a subnet or an address, open a published TCP port in the browser,
// show raw inspect JSON. Each takes the clicked node (context menus are keyed on contextValue).
import * as vscode from 'vscode';
import { browserUrlFor } from '../../core/engine/browserUrl';
import { endpointAddresses } from '../../core/engine/describePorts';
import { registerCommand } from '../commands';
import type { EngineSession } from '../engineSession';
import { showInspect, type InspectDocumentProvider } from './inspectDocuments';
import { bindingOf, containerOf, type TreeNode } from './nodes';

async function pickOne(items: string[], placeHolder: string): Promise<string | undefined> {
  if (items.length <= 1) return items[0];
  return vscode.window.showQuickPick(items, { placeHolder });
}

/** The TCP binding behind a ports node of either view. */
function tcpBindingOf(node: TreeNode | undefined) {
  const binding = bindingOf(node)?.binding;
  return binding?.protocol === 'tcp' ? binding : undefined;
}

export function registerTreeCommands(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession,
  inspectDocuments: InspectDocumentProvider): void {
  registerCommand(context, output, 'dockerNetworkDoctor.tree.refresh', () => session.reconnect());

  registerCommand(context, output, 'dockerNetworkDoctor.network.copySubnet', async (node?: TreeNode) => {
    if (node?.kind !== 'network') return undefined;
    const subnet = await pickOne(node.network.subnets.map((s) => s.cidr), 'Subnet to copy');
    if (subnet) {
      await vscode.env.clipboard.writeText(subnet);
      vscode.window.setStatusBarMessage(`Copied ${subnet}`, 3000);
    }
    return subnet;
  });

  registerCommand(context, output, 'dockerNetworkDoctor.container.copyIp', async (node?: TreeNode) => {
    if (node?.kind !== 'container') return undefined;
    const addresses = node.endpoint ? endpointAddresses(node.endpoint) : node.container.endpoints.flatMap(endpointAddresses);
    const address = await pickOne(addresses, 'Address to copy');
    if (address) {
      await vscode.env.clipboard.writeText(address);
      vscode.window.setStatusBarMessage(`Copied ${address}`, 3000);
    }
    return address;
  });

  registerCommand(context, output, 'dockerNetworkDoctor.port.openInBrowser', async (node?: TreeNode) => {
    const binding = tcpBindingOf(node);
    if (!binding) throw new Error('only published TCP ports can be opened in a browser');
    const url = browserUrlFor(binding, session.ensureClient().endpoint);
    if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
    return url;
  });

  registerCommand(context, output, 'dockerNetworkDoctor.tree.inspect', async (node?: TreeNode) => {
    if (node?.kind === 'network') return showInspect(inspectDocuments, 'network', node.network.name, node.network.id);
    const container = containerOf(node);
    return container ? showInspect(inspectDocuments, 'container', container.name, container.id) : undefined;
  });
}
