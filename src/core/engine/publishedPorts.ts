// The "Published ports" view's data: every host port range in use on the engine, sorted, with the ranges that
// overlap and the totals. Pure; ranges stay intervals (a sweep over sorted starts, never a per-port set).
import { compareHostIps, groupBindingsByRange, portCount, type BindingGroupView } from './compactPorts';
import { costOfBindings, type BindingGroup } from '../cost/dockerProxyCost';
import { costGroupsOf, type CostSettings } from './describePorts';
import type { EngineModel } from './model';

export interface PublishedRange extends Omit<BindingGroupView, 'container'> {
  /** The container and its ports the range leads to. */
  container: PublishedRangeContainer;
  /** Indexes (in the sorted list) of other ranges that share a protocol, an address and at least one port. */
  overlaps: number[];
}

export interface PublishedRangeContainer {
  id: string;
  name: string;
  start: number;
  end: number;
}

export interface PublishedPortsSummary {
  ranges: PublishedRange[];
  /** Host ports in use, summed over ranges (per range, not per address family). */
  hostPorts: number;
  proxyProcesses: number;
  iptablesRules: number;
  overlappingRanges: number;
}

/** Whether two host addresses can collide: equal, or one is the wildcard of the other's family. */
export function hostIpsCollide(a: string, b: string): boolean {
  if (a === b) return true;
  const v6a = a.includes(':');
  if (v6a !== b.includes(':')) return false;
  const any = v6a ? '::' : '0.0.0.0';
  return a === any || b === any;
}

function rangesShareAddress(a: PublishedRange, b: PublishedRange): boolean {
  return a.hostIps.some((x) => b.hostIps.some((y) => hostIpsCollide(x, y)));
}

export function publishedPorts(model: EngineModel, settings: CostSettings = {}): PublishedPortsSummary {
  const ranges: PublishedRange[] = [];
  const costGroups: BindingGroup[] = [];
  for (const c of model.containers) {
    if (!c.bindings.length) continue;
    const groups = groupBindingsByRange(c.bindings);
    for (const g of costGroupsOf(groups)) costGroups.push(g);
    for (const g of groups) {
      ranges.push({ hostIps: g.hostIps, protocol: g.protocol, host: g.host, bindings: g.bindings,
        container: { id: c.id, name: c.name, start: g.container.start, end: g.container.end }, overlaps: [] });
    }
  }
  ranges.sort((a, b) => a.host.start - b.host.start || a.host.end - b.host.end || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0)
    || compareHostIps(a.hostIps[0] ?? '', b.hostIps[0] ?? '') || (a.container.name < b.container.name ? -1 : a.container.name > b.container.name ? 1 : 0));
  // sweep over starts; `open` holds the ranges whose end has not been passed yet (pruned in place)
  const open: number[] = [];
  let hostPorts = 0;
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    hostPorts += portCount(r.host);
    let kept = 0;
    for (const j of open) {
      const o = ranges[j]!;
      if (o.host.end < r.host.start) continue;
      open[kept++] = j;
      if (o.protocol === r.protocol && rangesShareAddress(o, r)) {
        o.overlaps.push(i);
        r.overlaps.push(j);
      }
    }
    open.length = kept;
    open.push(i);
  }
  const cost = costOfBindings(costGroups, settings.userlandProxy === undefined ? {} : { userlandProxy: settings.userlandProxy });
  let overlappingRanges = 0;
  for (const r of ranges) if (r.overlaps.length) overlappingRanges++;
  return { ranges, hostPorts, proxyProcesses: cost.proxyProcesses, iptablesRules: cost.iptablesRules, overlappingRanges };
}
