// The "Networks" view: one item per engine network. Reads EngineSession's model; holds no domain logic.
import * as vscode from 'vscode';
import type { NetworkModel } from '../core/engine/model';
import { networkDescription, networkTooltip } from '../core/engine/describe';
import type { EngineSession } from './engineSession';

export type NetworksTreeNode = { kind: 'network'; network: NetworkModel };

export class NetworksTreeProvider implements vscode.TreeDataProvider<NetworksTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NetworksTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: EngineSession) {
    this.subscription = session.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(element?: NetworksTreeNode): NetworksTreeNode[] {
    if (element) return [];
    const state = this.session.state;
    if (state.kind !== 'connected') return [];
    return state.networks.map((network) => ({ kind: 'network', network }));
  }

  getTreeItem(node: NetworksTreeNode): vscode.TreeItem {
    const { network } = node;
    const item = new vscode.TreeItem(network.name, vscode.TreeItemCollapsibleState.None);
    item.id = `network:${network.id}`;
    item.description = networkDescription(network);
    item.tooltip = networkTooltip(network);
    item.contextValue = 'network';
    item.iconPath = new vscode.ThemeIcon(network.internal ? 'lock' : 'type-hierarchy');
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
