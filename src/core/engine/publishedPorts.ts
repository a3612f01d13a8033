// The "Published ports" view's data: every host port range in use on the engine, sorted, with the ranges that
// overlap and the totals. Pure; ranges stay intervals (a sweep over sorted starts, never a per-port set). Computed on
// every refresh (the view's title shows the totals), so it builds one small object per binding and nothing per port.
import { calibrationNote } from '../cost/calibration';
import { costOfPortCounts } from '../cost/dockerProxyCost';
import { compareHostIps, protocolOrder } from './compactPorts';
import { costOptions, tallyBinding, type CostSettings } from './describePorts';
import type { ContainerModel, EngineModel, PortBinding } from './model';

export interface PublishedRange {
  /** The container the range leads to. */
  container: ContainerModel;
  /** Its host IPs, protocol, host and container ports. */
  binding: PortBinding;
  /** Indexes (in the sorted list) of other ranges that share a protocol, an address and at least one port. */
  overlaps: readonly number[];
}

export interface PublishedPortsSummary {
  /** Sorted by host port, host end, protocol, first host IP, container name. */
  ranges: PublishedRange[];
  /** Host ports in use, summed over ranges (per range, not per address family). */
  hostPorts: number;
  proxyProcesses: number;
  /** undefined: the engine's calibration row has no rules figure. */
  iptablesRules: number | undefined;
  /** Whose measurements the figures are: `Engine 28.5 figures` (see calibrationNote). */
  figuresFor: string;
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

function rangesShareAddress(a: PortBinding, b: PortBinding): boolean {
  for (const x of a.hostIps) for (const y of b.hostIps) if (hostIpsCollide(x, y)) return true;
  return false;
}

export function compareRanges(a: PublishedRange, b: PublishedRange): number {
  const x = a.binding;
  const y = b.binding;
  return x.hostStart - y.hostStart || x.hostEnd - y.hostEnd || protocolOrder[x.protocol] - protocolOrder[y.protocol]
    || compareHostIps(x.hostIps[0] ?? '', y.hostIps[0] ?? '')
    || (a.container.name < b.container.name ? -1 : a.container.name > b.container.name ? 1 : 0);
}

/** Host start, host end and protocol packed into 34 bits; the index below it needs the rest of a double's 53. */
const INDEX = 2 ** 19;

/**
 * Sorts by compareRanges. Up to 2^19 ranges by packed keys in a typed array (a comparator sort of 20,000 ranges takes
 * ~10 ms), ties on the packed part then by the comparator; more than that by the comparator alone.
 */
export function sortRanges(ranges: PublishedRange[], packedLimit = INDEX): PublishedRange[] {
  if (ranges.length > packedLimit) return ranges.sort(compareRanges);
  const keys = new Float64Array(ranges.length);
  for (let i = 0; i < ranges.length; i++) {
    const b = ranges[i]!.binding;
    keys[i] = ((b.hostStart * 0x10000 + b.hostEnd) * 4 + protocolOrder[b.protocol]) * INDEX + i;
  }
  keys.sort();
  const out = new Array<PublishedRange>(ranges.length);
  for (let i = 0; i < keys.length;) {
    const packed = Math.floor(keys[i]! / INDEX) * INDEX;
    let j = i;
    for (; j < keys.length && keys[j]! < packed + INDEX; j++) out[j] = ranges[keys[j]! - packed]!;
    if (j - i > 1) {
      const tied = out.slice(i, j).sort(compareRanges);
      for (let k = i; k < j; k++) out[k] = tied[k - i]!;
    }
    i = j;
  }
  return out;
}

const noOverlaps: readonly number[] = Object.freeze([]);

/**
 * Marks the ranges that overlap another (same protocol, colliding address, a shared port) and returns how many do: a
 * sweep over starts; open[0 .. openCount) holds the ranges whose end has not been passed yet, with their ends beside
 * them (pruning reads no range object), pruned in place (not by setting open.length, a builtin call per range).
 */
function markOverlaps(ranges: PublishedRange[]): number {
  const open: number[] = [];
  const openEnds: number[] = [];
  let openCount = 0;
  let overlappingRanges = 0;
  const addOverlap = (r: PublishedRange, i: number) => {
    if (r.overlaps === noOverlaps) {
      r.overlaps = [];
      overlappingRanges++;
    }
    (r.overlaps as number[]).push(i);
  };
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    const { hostStart, hostEnd } = r.binding;
    let kept = 0;
    for (let k = 0; k < openCount; k++) {
      if (openEnds[k]! < hostStart) continue;
      const j = open[k]!;
      open[kept] = j;
      openEnds[kept++] = openEnds[k]!;
      const o = ranges[j]!;
      if (o.binding.protocol === r.binding.protocol && rangesShareAddress(o.binding, r.binding)) {
        addOverlap(o, i);
        addOverlap(r, j);
      }
    }
    open[kept] = i;
    openEnds[kept] = hostEnd;
    openCount = kept + 1;
  }
  return overlappingRanges;
}

export function publishedPorts(model: EngineModel, settings: CostSettings = {}): PublishedPortsSummary {
  let count = 0;
  for (const container of model.containers) count += container.bindings.length;
  const unsorted = new Array<PublishedRange>(count);
  const tally = { hostPorts: 0, portFamilies: 0 };
  let hostPorts = 0;
  let i = 0;
  for (const container of model.containers) {
    for (const binding of container.bindings) {
      tallyBinding(binding, tally);
      hostPorts += binding.hostEnd - binding.hostStart + 1;
      unsorted[i++] = { container, binding, overlaps: noOverlaps };
    }
  }
  const ranges = sortRanges(unsorted);
  const overlappingRanges = markOverlaps(ranges);
  const cost = costOfPortCounts(tally.hostPorts, tally.portFamilies, costOptions(settings));
  return { ranges, hostPorts, proxyProcesses: cost.proxyProcesses, iptablesRules: cost.iptablesRules, figuresFor: calibrationNote(cost.calibration),
    overlappingRanges };
}
