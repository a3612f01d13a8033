// The two views, their engine state display and the live-update watcher, registered together: the watcher follows
// engine events only while at least one of the views is visible.
import * as vscode from 'vscode';
import type { EngineSession } from '../engineSession';
import type { ExposureStore } from '../firewall/exposureStore';
import { registerEngineStateView } from './engineStateView';
import { EngineWatcher } from './engineWatcher';
import { NetworksTreeProvider } from './networksTree';
import { PublishedPortsTreeProvider } from './publishedPortsTree';
import { affectsSettings } from '../settings';

export interface Views {
  networksTree: NetworksTreeProvider;
  portsTree: PublishedPortsTreeProvider;
  networksView: vscode.TreeView<unknown>;
  portsView: vscode.TreeView<unknown>;
  watcher: EngineWatcher;
}

export function registerViews(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession, exposure: ExposureStore): Views {
  const networksTree = new NetworksTreeProvider(session, exposure);
  const portsTree = new PublishedPortsTreeProvider(session, exposure);
  const networksView = vscode.window.createTreeView('dockerNetworkDoctor.networks', { treeDataProvider: networksTree, showCollapseAll: true });
  const portsView = vscode.window.createTreeView('dockerNetworkDoctor.publishedPorts', { treeDataProvider: portsTree });
  const watcher = new EngineWatcher(session, output);
  context.subscriptions.push(networksTree, portsTree, networksView, portsView, watcher);
  const showState = registerEngineStateView(context, session, networksView as vscode.TreeView<unknown>, portsView as vscode.TreeView<unknown>, portsTree);

  // Expensive work late: nothing is read from the engine until a view is shown, and nothing runs once all are hidden.
  const followVisibility = () => watcher.setActive(networksView.visible || portsView.visible);
  context.subscriptions.push(networksView.onDidChangeVisibility(followVisibility), portsView.onDidChangeVisibility(followVisibility));
  followVisibility();

  // Restricted Mode touched no engine; once the workspace is trusted, connect
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void session.reconnect()));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (affectsSettings(e, 'engine.host', 'engine.context')) void session.reconnect();
    if (affectsSettings(e, 'engine.userlandProxy')) {
      networksTree.refreshView();
      portsTree.refreshView();
      showState();
    }
  }));
  return { networksTree, portsTree, networksView: networksView as vscode.TreeView<unknown>, portsView: portsView as vscode.TreeView<unknown>, watcher };
}
