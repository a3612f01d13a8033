// Connect a container to a network, or disconnect it, after a confirmation. From a view item or the palette (then
// the network and the container are picked). The view updates from the engine's connect/disconnect events.
import * as vscode from 'vscode';
import { attachmentsByNetwork } from '../../core/engine/buildModel';
import type { ContainerModel, EngineModel, NetworkModel } from '../../core/engine/model';
import { registerCommand } from '../commands';
import type { EngineSession } from '../engineSession';
import { isConnectable } from '../../core/engine/connectable';
import type { TreeNode } from './nodes';
import type { Confirmation } from '../prompts';

/** What a keybinding or a test may give a command instead of asking. */
export interface NetworkCommandOptions {
  /** Pre-chosen container (id or name) instead of a quick pick. */
  container?: string;
}

function connectedModel(session: EngineSession): EngineModel {
  const state = session.state;
  if (state.kind !== 'connected') throw new Error('the Docker engine is not connected');
  return state.model;
}

async function pickNetwork(model: EngineModel, placeHolder: string): Promise<NetworkModel | undefined> {
  const picked = await vscode.window.showQuickPick(model.networks.filter(isConnectable).map((n) => ({ label: n.name, description: n.driver, network: n })),
    { placeHolder });
  return picked?.network;
}

async function pickContainer(candidates: ContainerModel[], wanted: string | undefined, placeHolder: string): Promise<ContainerModel | undefined> {
  if (wanted) return candidates.find((c) => c.id === wanted || c.name === wanted);
  if (!candidates.length) {
    void vscode.window.showInformationMessage('No container to choose from.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(candidates.map((c) => ({ label: c.name, description: `${c.state} · ${c.image}`, container: c })),
    { placeHolder });
  return picked?.container;
}

export function registerNetworkCommands(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession,
  confirm: Confirmation): void {
  registerCommand(context, output, 'dockerNetworkDoctor.network.connectContainer', async (node?: TreeNode, options: NetworkCommandOptions = {}) => {
    const model = connectedModel(session);
    const network = node?.kind === 'network' ? node.network : await pickNetwork(model, 'Network to connect a container to');
    if (!network) return false;
    const onIt = new Set((attachmentsByNetwork(model).get(network.id) ?? []).map((a) => a.container.id));
    const container = await pickContainer(model.containers.filter((c) => !onIt.has(c.id) && c.networkMode !== 'host' && c.networkMode !== 'none'
      && !c.networkMode.startsWith('container:')), options.container, `Container to connect to ${network.name}`);
    if (!container) return false;
    if (!await confirm(`Connect container "${container.name}" to network "${network.name}"?`, 'Connect')) return false;
    await session.ensureClient().connectContainer(network.id, container.id);
    return true;
  });

  registerCommand(context, output, 'dockerNetworkDoctor.network.disconnectContainer', async (node?: TreeNode, options: NetworkCommandOptions = {}) => {
    const model = connectedModel(session);
    let network: NetworkModel | undefined;
    let container: ContainerModel | undefined;
    if (node?.kind === 'container' && node.network) {
      network = node.network;
      container = node.container;
    } else {
      network = await pickNetwork(model, 'Network to disconnect a container from');
      if (!network) return false;
      container = await pickContainer((attachmentsByNetwork(model).get(network.id) ?? []).map((a) => a.container), options.container,
        `Container to disconnect from ${network.name}`);
    }
    if (!network || !container) return false;
    if (!await confirm(`Disconnect container "${container.name}" from network "${network.name}"? It loses its address there.`, 'Disconnect')) return false;
    await session.ensureClient().disconnectContainer(network.id, container.id);
    return true;
  });
}
