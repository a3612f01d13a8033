// The "Published ports" view's data: every host port range in use on the engine, sorted, with the ranges that
// overlap and the totals. Pure; ranges stay intervals (a sweep over sorted starts, never a per-port set).
import { compareHostIps, groupBindingsByRange, portCount, type BindingGroupView } from './compactPorts';
import { costOfEngineBindings, type CostSettings } from './describePorts';
import type { EngineModel, PortBinding } from './model';

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
  const allBindings: PortBinding[] = [];
  for (const c of model.containers) {
    for (const g of groupBindingsByRange(c.bindings)) {
      const { container: target, ...rest } = g;
      ranges.push({ ...rest, container: { id: c.id, name: c.name, start: target.start, end: target.end }, overlaps: [] });
      allBindings.push(...g.bindings);
    }
  }
  ranges.sort((a, b) => a.host.start - b.host.start || a.host.end - b.host.end || a.protocol.localeCompare(b.protocol)
    || compareHostIps(a.hostIps[0] ?? '', b.hostIps[0] ?? '') || a.container.name.localeCompare(b.container.name));
  // sweep: ranges sorted by start; `open` holds those whose end has not been passed yet
  let open: number[] = [];
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    open = open.filter((j) => ranges[j]!.host.end >= r.host.start);
    for (const j of open) {
      const o = ranges[j]!;
      if (o.protocol === r.protocol && rangesShareAddress(o, r)) {
        o.overlaps.push(i);
        r.overlaps.push(j);
      }
    }
    open.push(i);
  }
  const cost = costOfEngineBindings(allBindings, settings);
  return {
    ranges,
    hostPorts: ranges.reduce((n, r) => n + portCount(r.host), 0),
    proxyProcesses: cost.proxyProcesses,
    iptablesRules: cost.iptablesRules,
    overlappingRanges: ranges.filter((r) => r.overlaps.length).length,
  };
}
