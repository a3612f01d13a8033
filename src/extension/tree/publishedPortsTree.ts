// The "Published ports" view: every host port range in use on the engine, sorted by port, each with the container it
// leads to, its docker-proxy cost and the ranges it overlaps; totals in the view's description.
import * as vscode from 'vscode';
import { formatCount } from '../../core/cost/dockerProxyCost';
import { bindingCostDescription, hostIpsLabel } from '../../core/engine/describePorts';
import type { EngineModel } from '../../core/engine/model';
import { publishedPorts, type PublishedPortsSummary } from '../../core/engine/publishedPorts';
import { exposureText } from '../../core/firewall/exposureText';
import type { EngineSession } from '../engineSession';
import type { ExposureStore } from '../firewall/exposureStore';
import { costSettings } from '../viewSettings';
import { contextValue, contextWords, type BindingNode } from './nodes';
import { formatRange } from '../../core/net/portInterval';

export class PublishedPortsTreeProvider implements vscode.TreeDataProvider<BindingNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BindingNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private cached: { model: EngineModel; summary: PublishedPortsSummary } | undefined;

  constructor(private readonly session: EngineSession, private readonly exposure: ExposureStore) {
    this.subscription = vscode.Disposable.from(
      session.onDidChange(() => this.changed.fire(undefined)),
      exposure.onDidChange(() => this.changed.fire(undefined)),
    );
  }

  refreshView(): void {
    this.cached = undefined;
    this.changed.fire(undefined);
  }

  /** The summary of the current model (undefined when not connected). */
  summary(): PublishedPortsSummary | undefined {
    const state = this.session.state;
    if (state.kind !== 'connected') return undefined;
    if (this.cached?.model !== state.model) this.cached = { model: state.model, summary: publishedPorts(state.model, costSettings(state)) };
    return this.cached.summary;
  }

  /** `4 ranges · 112 host ports · 223 docker-proxy · 224 iptables rules · 2 overlapping · Engine 28.5 figures` */
  describeTotals(): string | undefined {
    const s = this.summary();
    if (!s) return undefined;
    const parts = [`${formatCount(s.ranges.length)} ranges`, `${formatCount(s.hostPorts)} host ports`,
      `${formatCount(s.proxyProcesses)} docker-proxy`];
    if (s.iptablesRules !== undefined) parts.push(`${formatCount(s.iptablesRules)} iptables rules`);
    if (s.overlappingRanges) parts.push(`${formatCount(s.overlappingRanges)} overlapping`);
    parts.push(s.figuresFor);
    return parts.join(' · ');
  }

  getChildren(element?: BindingNode): BindingNode[] {
    if (element) return [];
    const summary = this.summary();
    return summary ? summary.ranges.map(({ container, binding, overlaps }) => ({ kind: 'binding', container, binding, published: { overlaps, summary } })) : [];
  }

  getTreeItem(node: BindingNode): vscode.TreeItem {
    const { binding, container } = node;
    const overlapping = node.published?.overlaps ?? [];
    const ranges = node.published?.summary.ranges ?? [];
    const label = `${formatRange(binding.hostStart, binding.hostEnd)}/${binding.protocol}`;
    const containerPorts = formatRange(binding.containerStart, binding.containerEnd);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `published:${container.id}:${binding.protocol}:${binding.hostStart}-${binding.hostEnd}:${binding.containerStart}`;
    item.description = `${hostIpsLabel(binding)} → ${container.name}:${containerPorts} · ${bindingCostDescription(binding, costSettings(this.session.state))}`;
    const overlaps = overlapping.map((i) => ranges[i]!).map((o) =>
      `overlaps ${hostIpsLabel(o.binding)} ${formatRange(o.binding.hostStart, o.binding.hostEnd)}/${o.binding.protocol} → ${o.container.name}`);
    const state = this.session.state;
    const exposures = state.kind === 'connected' ? this.exposure.exposureOf(state.host, container, binding) : undefined;
    const exposed = exposures ? exposureText(exposures) : undefined;
    if (exposed) item.description = `${item.description} · ${exposed.short}`;
    const readAt = state.kind === 'connected' ? this.exposure.readAt(state.host) : undefined;
    item.tooltip = [`host ${label} on ${binding.hostIps.join(', ')}`, `→ ${container.name} ${containerPorts}/${binding.protocol}`,
      item.description, ...overlaps,
      ...(exposed && readAt
        ? ['', `Who can reach it (host rules read at ${readAt.toLocaleTimeString()}; the first port of a range is traced):`, ...exposed.lines]
        : ['', 'Who can reach it: open the firewall view (Show Firewall Rules) to read the host\'s rules.'])].join('\n');
    item.contextValue = contextValue(contextWords.portRange, binding.protocol === 'tcp' && contextWords.tcp, exposed?.bypass && contextWords.firewallBypass);
    item.iconPath = new vscode.ThemeIcon(overlapping.length || exposed?.bypass ? 'warning' : 'plug');
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
