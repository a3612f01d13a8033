// The "Networks" view: networks → containers (state, addresses on that network) → port mappings (compacted ranges,
// with their docker-proxy cost) and exposed-only ports. Reads EngineSession's model; words come from src/core.
import * as vscode from 'vscode';
import { attachmentsByNetwork, detachedContainers, type Attachment } from '../../core/engine/buildModel';
import { networkDescription, networkTooltip } from '../../core/engine/describe';
import { bindingCostDescription, bindingLabel, containerDescription, containerTooltip, exposedLabel } from '../../core/engine/describePorts';
import { isConnectable } from '../../core/engine/connectable';
import type { EngineModel } from '../../core/engine/model';
import { exposureText } from '../../core/firewall/exposureText';
import type { EngineSession } from '../engineSession';
import type { ExposureStore } from '../firewall/exposureStore';
import { costSettings } from '../viewSettings';
import { contextValue, contextWords, type TreeNode } from './nodes';

export class NetworksTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** Index of the model it was built from; rebuilt when the model object changes. */
  private indexed: { model: EngineModel; attachments: Map<string, Attachment[]> } | undefined;

  constructor(private readonly session: EngineSession, private readonly exposure: ExposureStore) {
    this.subscription = vscode.Disposable.from(
      session.onDidChange(() => this.changed.fire(undefined)),
      exposure.onDidChange(() => this.changed.fire(undefined)),
    );
  }

  /** Re-renders (e.g. a cost setting changed). */
  refreshView(): void {
    this.changed.fire(undefined);
  }

  private attachments(model: EngineModel): Map<string, Attachment[]> {
    if (this.indexed?.model !== model) this.indexed = { model, attachments: attachmentsByNetwork(model) };
    return this.indexed.attachments;
  }

  getChildren(element?: TreeNode): TreeNode[] {
    const state = this.session.state;
    if (state.kind !== 'connected') return [];
    const attachments = this.attachments(state.model);
    if (!element) {
      const nodes: TreeNode[] = state.model.networks.map((network) => ({ kind: 'network', network }));
      const detached = detachedContainers(state.model, attachments);
      if (detached.length) nodes.push({ kind: 'detached', containers: detached });
      return nodes;
    }
    switch (element.kind) {
      case 'network':
        return (attachments.get(element.network.id) ?? []).map(({ container, endpoint }) =>
          ({ kind: 'container', container, endpoint, network: element.network }));
      case 'detached':
        return element.containers.map((container) => ({ kind: 'container', container }));
      case 'container': {
        const parentKey = `${element.network?.id ?? 'none'}:${element.container.id}`;
        return [
          ...element.container.bindings.map((binding) => ({ kind: 'binding' as const, container: element.container, binding, parentKey })),
          ...element.container.exposed.map((exposed) => ({ kind: 'exposed' as const, container: element.container, exposed, parentKey })),
        ];
      }
      default:
        return [];
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'network': {
        const { network } = node;
        const count = this.session.state.kind === 'connected' ? (this.attachments(this.session.state.model).get(network.id)?.length ?? 0) : 0;
        const item = new vscode.TreeItem(network.name, count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `network:${network.id}`;
        item.description = networkDescription(network);
        item.tooltip = `${networkTooltip(network)}\n${count} container${count === 1 ? '' : 's'}`;
        item.contextValue = contextValue(contextWords.network, network.subnets.length > 0 && contextWords.hasSubnet,
          isConnectable(network) && contextWords.connectable);
        item.iconPath = new vscode.ThemeIcon(network.internal ? 'lock' : 'type-hierarchy');
        return item;
      }
      case 'detached': {
        const item = new vscode.TreeItem('Containers on no network', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = 'detached';
        item.description = `${node.containers.length}`;
        item.tooltip = 'Containers that share another container\'s network (network_mode: container:…) or whose network is gone';
        return item;
      }
      case 'container': {
        const { container, endpoint, network } = node;
        const hasChildren = container.bindings.length + container.exposed.length > 0;
        const item = new vscode.TreeItem(container.name, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `container:${network?.id ?? 'none'}:${container.id}`;
        item.description = containerDescription(container, endpoint);
        item.tooltip = containerTooltip(container, costSettings(this.session.state));
        const running = container.state === 'running';
        item.contextValue = contextValue(contextWords.container, !!(endpoint?.ipv4 || endpoint?.ipv6) && contextWords.hasIp,
          !!network && isConnectable(network) && contextWords.disconnectable);
        item.iconPath = new vscode.ThemeIcon(running ? 'vm-running' : container.state === 'paused' ? 'debug-pause' : 'vm-outline');
        return item;
      }
      case 'binding': {
        const { binding, container } = node;
        const label = bindingLabel(binding);
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        item.id = `ports:${node.parentKey ?? ''}:${binding.protocol}:${binding.hostStart}-${binding.hostEnd}:${binding.containerStart}`;
        item.description = bindingCostDescription(binding, costSettings(this.session.state));
        item.tooltip = `${container.name}: host ${label}\n${item.description}`;
        // who can reach it, once the firewall view has read the host's rules (as in the Published ports view)
        const state = this.session.state;
        const exposures = state.kind === 'connected' ? this.exposure.exposureOf(state.host, container, binding) : undefined;
        const exposed = exposures ? exposureText(exposures) : undefined;
        if (exposed) {
          item.description = `${item.description} · ${exposed.short}`;
          item.tooltip = [item.tooltip, '', 'Who can reach it:', ...exposed.lines].join('\n');
        }
        item.contextValue = contextValue(contextWords.portRange, binding.protocol === 'tcp' && contextWords.tcp,
          exposed?.bypass && contextWords.firewallBypass);
        item.iconPath = new vscode.ThemeIcon(exposed?.bypass ? 'warning' : 'plug');
        return item;
      }
      case 'exposed': {
        const item = new vscode.TreeItem(exposedLabel(node.exposed), vscode.TreeItemCollapsibleState.None);
        item.id = `exposed:${node.parentKey}:${node.exposed.protocol}:${node.exposed.containerStart}`;
        item.description = 'exposed, not published';
        item.tooltip = 'Reachable from containers on the same network; not published on the host (no -p / ports:)';
        item.contextValue = contextValue(contextWords.exposedPorts);
        item.iconPath = new vscode.ThemeIcon('circle-outline');
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
