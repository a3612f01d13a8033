// Shows the engine's state on the views: the `dockerNetworkDoctor.engineState` context key (which welcome content
// applies: connecting, connected, or the problem's kind), the description (engine name, version, API) and a
// message with the problem and its fix.
import * as vscode from 'vscode';
import type { EngineSession, EngineState } from '../engineSession';
import type { PublishedPortsTreeProvider } from './publishedPortsTree';

/** The context key's value: `connecting`, `connected`, or a problem kind (`unreachable`, `permission`, `tls`, …). */
export function engineStateKey(state: EngineState): string {
  return state.kind === 'unreachable' ? state.problem.kind : state.kind;
}

/** `dev-engine · Engine 20.10.24 · API 1.41` */
export function engineDescription(state: EngineState): string | undefined {
  if (state.kind === 'connected') return `${state.engine.displayName} · Engine ${state.version.version} · API ${state.version.apiVersion}`;
  if (state.kind === 'unreachable') return state.host || undefined;
  return undefined;
}

export function registerEngineStateView(context: vscode.ExtensionContext, session: EngineSession, networksView: vscode.TreeView<unknown>,
  portsView: vscode.TreeView<unknown>, portsTree: PublishedPortsTreeProvider): () => void {
  const show = () => {
    const state = session.state;
    void vscode.commands.executeCommand('setContext', 'dockerNetworkDoctor.engineState', engineStateKey(state));
    const description = engineDescription(state);
    // a workspace can point the views at another engine: say so whenever it did
    networksView.description = session.settingsFrom && state.kind !== 'connecting' && !(state.kind === 'unreachable' && state.problem.kind === 'restricted')
      ? `${description ?? 'engine'} · from ${session.settingsFrom}` : description;
    networksView.message = state.kind === 'unreachable' ? state.problem.message : undefined;
    portsView.description = state.kind === 'connected' ? portsTree.describeTotals() : undefined;
    portsView.message = state.kind === 'unreachable' ? state.problem.message : undefined;
  };
  context.subscriptions.push(session.onDidChange(show));
  return show;
}
