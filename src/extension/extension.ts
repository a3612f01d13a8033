// Composition root: builds the pieces and registers them. No domain logic here.
import * as vscode from 'vscode';
import { registerCommand } from './commands';
import { EngineSession, type EngineState } from './engineSession';
import { NetworksTreeProvider } from './networksTree';

/** What the extension hands to other extensions and to its integration tests. */
export interface DockerNetworkDoctorApi {
  session: EngineSession;
  networksTree: NetworksTreeProvider;
  /** Milliseconds activate() took, for `npm run bench`. */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): DockerNetworkDoctorApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Docker Network Doctor', { log: true });
  const session = new EngineSession();
  const networksTree = new NetworksTreeProvider(session);
  const networksView = vscode.window.createTreeView('dockerNetworkDoctor.networks', { treeDataProvider: networksTree, showCollapseAll: true });
  context.subscriptions.push(output, session, networksTree, networksView);

  const showState = (state: EngineState) => {
    void vscode.commands.executeCommand('setContext', 'dockerNetworkDoctor.engineState', state.kind);
    if (state.kind === 'connected') {
      networksView.description = `${state.host} · Engine ${state.version.version} · API ${state.version.apiVersion}`;
      networksView.message = undefined;
    } else if (state.kind === 'unreachable') {
      networksView.description = state.host;
      networksView.message = `${state.problem.message} ${state.problem.fix}`;
      output.warn(`engine: ${state.problem.message}`);
    }
  };
  context.subscriptions.push(session.onDidChange(showState));

  registerCommand(context, output, 'dockerNetworkDoctor.tree.refresh', () => session.reconnect());
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('dockerNetworkDoctor.engine.host')) void session.reconnect();
  }));

  // Expensive work late: the engine is read when the view is first shown, not at activation.
  if (networksView.visible) void session.refresh();
  context.subscriptions.push(networksView.onDidChangeVisibility((e) => {
    if (e.visible && session.state.kind === 'connecting') void session.refresh();
  }));

  return { session, networksTree, activationMs: performance.now() - started };
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
