// Port range compaction: the Engine API lists one `Ports` entry per port and address family (a 10,000-port range is
// 20,000 entries); the model keeps one PortBinding per protocol and run of consecutive ports, with the host IPs that
// publish that run. O(n log n) in the entries, and nothing after this point ever expands a range again.
import type { ExposedPorts, PortBinding } from './model';
import type { PortProtocol } from '../net/portInterval';

/** One published port as the API lists it, already validated. */
export interface PublishedPortEntry {
  hostIp: string;
  protocol: PortProtocol;
  hostPort: number;
  containerPort: number;
}

export const protocolOrder: Readonly<Record<PortProtocol, number>> = { tcp: 0, udp: 1, sctp: 2 };
const protocols: readonly PortProtocol[] = ['tcp', 'udp', 'sctp'];

/** IPv4 addresses sort before IPv6 ones, so `0.0.0.0` comes before `::`. */
export function compareHostIps(a: string, b: string): number {
  const fa = a.includes(':') ? 1 : 0;
  const fb = b.includes(':') ? 1 : 0;
  return fa - fb || (a < b ? -1 : a > b ? 1 : 0);
}

/** The order of a container's bindings: host port, protocol, host end, container port. */
export function compareBindings(a: PortBinding, b: PortBinding): number {
  return a.hostStart - b.hostStart || protocolOrder[a.protocol] - protocolOrder[b.protocol] || a.hostEnd - b.hostEnd
    || a.containerStart - b.containerStart;
}

/** Compacts a list of entries (see PublishedPortCollector). */
export function compactPortBindings(entries: readonly PublishedPortEntry[]): PortBinding[] {
  const collector = new PublishedPortCollector();
  for (const e of entries) collector.add(e.hostIp, e.protocol, e.hostPort, e.containerPort);
  return collector.bindings();
}

// Packed numbers, all exact in a double (< 2^53): an entry is ((ip index × 4 + protocol) × 2^16 + host port) × 2^16 +
// container port; a run is ((host start × 4 + protocol) × 2^16 + host end) × 2^16 + container start, so numeric
// order is the bindings' order (compareBindings).
const PORT = 0x10000;
/** An entry's (IP, protocol) bucket, ip index × 4 + protocol, is its packed number divided by this. */
const BUCKET = PORT * PORT;
/** Host IPs per container the packing has room for (a host has a handful of addresses). */
const maxHostIps = 2 ** 19;

/**
 * Sort space shared by every container of a build, grown on demand and never shrunk: allocating a typed array costs
 * about a microsecond, more than sorting a container's few dozen ports in it. Used only while one container's
 * bindings are computed (synchronously).
 */
let entryScratch: Float64Array = new Float64Array(4096);
let runScratch: Float64Array = new Float64Array(4096);

function grown(a: Float64Array, size: number): Float64Array {
  return size <= a.length ? a : new Float64Array(Math.max(size, a.length * 2));
}

/** From this many entries a container's entries are placed by host port instead of sorted. */
export const tableMinEntries = 1024;
/** (IP, protocol) pairs the table takes: it reads the entries once per pair. */
const tableMaxBuckets = 8;
/** Container port + 1 per host port, for one (IP, protocol) at a time; all zero between uses. */
let portTable: Uint32Array | undefined;

/**
 * The entries in sorted order without a sort, for large containers (a 10,000-port range): per (IP, protocol) each
 * host port goes into a table slot, read back in port order, O(entries + port span) against the sort's O(n log n)
 * (a sort of 20,000 entries in random order, as engines list them, takes 2-4 ms). Duplicates come out once.
 * Undefined when a host port maps to two container ports, or past tableMaxBuckets: the caller sorts.
 */
function placedByHostPort(entries: readonly number[], ipCount: number): Float64Array | undefined {
  const table = (portTable ??= new Uint32Array(PORT));
  const buckets = ipCount * 4;
  const count = new Array<number>(buckets).fill(0);
  const lowest = new Array<number>(buckets).fill(PORT);
  const highest = new Array<number>(buckets).fill(0);
  let used = 0;
  for (const v of entries) {
    const b = Math.floor(v / BUCKET);
    const host = (v - b * BUCKET) >>> 16;
    if (count[b]++ === 0 && ++used > tableMaxBuckets) return undefined;
    if (host < lowest[b]!) lowest[b] = host;
    if (host > highest[b]!) highest[b] = host;
  }
  const out = entryScratch.subarray(0, entries.length);
  let placed = 0;
  for (let b = 0; b < buckets; b++) {
    if (!count[b]) continue;
    for (const v of entries) {
      if (Math.floor(v / BUCKET) !== b) continue;
      const low = v - b * BUCKET;
      const host = low >>> 16;
      const slot = (low & 0xffff) + 1;
      if (table[host] !== 0 && table[host] !== slot) {
        table.fill(0, lowest[b], highest[b]! + 1);
        return undefined;
      }
      table[host] = slot;
    }
    for (let host = lowest[b]!; host <= highest[b]!; host++) {
      const slot = table[host]!;
      if (!slot) continue;
      out[placed++] = b * BUCKET + host * PORT + slot - 1;
      table[host] = 0;
    }
  }
  return out.subarray(0, placed);
}

/**
 * Collects published ports without an object per entry: each is packed into one number, and a container's numbers
 * are sorted in a reused typed array. Runs of host port p+1 → container port q+1 after p → q (same host IP and
 * protocol) become one range; runs with the same ranges on several host IPs (`0.0.0.0` and `::` for a plain
 * `-p 80:80`) become one PortBinding. A 20,000-entry range costs a few allocations, not 20,000.
 */
export class PublishedPortCollector {
  private readonly ips: string[] = [];
  private ipIndexes: Map<string, number> | undefined;
  private entries: number[] = [];

  add(hostIp: string, protocol: PortProtocol, hostPort: number, containerPort: number): void {
    this.entries.push(((this.ipIndex(hostIp) * 4 + protocolOrder[protocol]) * PORT + hostPort) * PORT + containerPort);
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  private ipIndex(ip: string): number {
    const ips = this.ips;
    if (this.ipIndexes) {
      const known = this.ipIndexes.get(ip);
      if (known !== undefined) return known;
    } else {
      for (let i = 0; i < ips.length; i++) if (ips[i] === ip) return i;
      // a linear search is fastest for the usual one to three addresses; a map past that
      if (ips.length === 8) this.ipIndexes = new Map(ips.map((x, i) => [x, i]));
    }
    if (ips.length === maxHostIps) throw new Error(`more than ${maxHostIps} host IPs in one container`);
    this.ipIndexes?.set(ip, ips.length);
    ips.push(ip);
    return ips.length - 1;
  }

  bindings(): PortBinding[] {
    if (!this.entries.length) return [];
    const ipCount = this.ips.length;
    const repeated = ipCount > 1 ? firstIpEntriesIfRepeated(this.entries, ipCount) : undefined;
    const { start, end } = runsPerIp(repeated ?? this.entries, repeated ? 1 : ipCount);
    // the usual case: one address, or the same runs on every address (a plain `-p` on 0.0.0.0 and ::)
    if (repeated || ipCount === 1 || sameRunsInEverySegment(start, end)) {
      const hostIps = Object.freeze(indexesInHostIpOrder(this.ips).map((i) => this.ips[i]!));
      return bindingsOfRuns(start[0]!, end[0]!, hostIps);
    }
    return this.mergedBindings(start, end);
  }

  /** Merges the per-IP run lists (each sorted) in order; equal runs on several IPs become one binding. */
  private mergedBindings(head: number[], end: number[]): PortBinding[] {
    const ips = this.ips;
    const byRank = indexesInHostIpOrder(ips);
    // the address lists are shared by the container's bindings on the same addresses (frozen: never mutated), found
    // by a bit mask of ranks (a string of ranks past 30 addresses)
    const sameIps = new Map<number | string, readonly string[]>();
    const out: PortBinding[] = [];
    for (;;) {
      let min = Infinity;
      for (let i = 0; i < ips.length; i++) if (head[i]! < end[i]! && runScratch[head[i]!]! < min) min = runScratch[head[i]!]!;
      if (min === Infinity) return out;
      let mask = 0;
      const ranks: number[] | undefined = ips.length > 30 ? [] : undefined;
      for (let rank = 0; rank < byRank.length; rank++) {
        const i = byRank[rank]!;
        if (head[i]! < end[i]! && runScratch[head[i]!] === min) {
          head[i]!++;
          if (ranks) ranks.push(rank);
          else mask |= 1 << rank;
        }
      }
      const key = ranks ? ranks.join() : mask;
      let hostIps = sameIps.get(key);
      if (!hostIps) {
        const onRun = ranks ?? byRank.map((_, rank) => rank).filter((rank) => mask & (1 << rank));
        sameIps.set(key, (hostIps = Object.freeze(onRun.map((rank) => ips[byRank[rank]!]!))));
      }
      out.push(bindingOf(min, hostIps));
    }
  }
}

/**
 * Indexes of `ips` in compareHostIps order. Insertion sort: a container has a few addresses, and Array#sort sets up
 * more state per call than this whole loop costs.
 */
function indexesInHostIpOrder(ips: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < ips.length; i++) {
    let j = out.length;
    for (; j > 0 && compareHostIps(ips[out[j - 1]!]!, ips[i]!) > 0; j--) out[j] = out[j - 1]!;
    out[j] = i;
  }
  return out;
}

/**
 * IP 0's entries (its index bits are zero) when every IP lists the same entries in the same order, each after IP 0's
 * copy: engines list a plain `-p`'s 0.0.0.0 and :: side by side per port. Then IP 0's runs are every IP's, and half
 * the entries (a third, …) are sorted and scanned. Undefined otherwise.
 */
function firstIpEntriesIfRepeated(entries: readonly number[], ipCount: number): number[] | undefined {
  if (entries.length % ipCount) return undefined;
  const first: number[] = [];
  const seen = new Array<number>(ipCount).fill(0);
  for (let i = 0; i < entries.length; i++) {
    const v = entries[i]!;
    const ip = Math.floor(v / BUCKET) >> 2;
    if (ip === 0) {
      first.push(v);
      continue;
    }
    const k = seen[ip]!;
    if (k >= first.length || first[k] !== v - ip * 4 * BUCKET) return undefined;
    seen[ip] = k + 1;
  }
  for (let ip = 1; ip < ipCount; ip++) if (seen[ip] !== first.length) return undefined;
  return first;
}

/**
 * Sorts (or places) the entries and writes their runs to runScratch, one segment per IP index:
 * runScratch[start[ip] .. end[ip]), each in binding order.
 */
function runsPerIp(entries: readonly number[], ipCount: number): { start: number[]; end: number[] } {
  const n = entries.length;
  entryScratch = grown(entryScratch, n);
  runScratch = grown(runScratch, n);
  let sorted = n >= tableMinEntries ? placedByHostPort(entries, ipCount) : undefined;
  if (!sorted) {
    sorted = entryScratch.subarray(0, n);
    sorted.set(entries);
    sorted.sort();
  }
  // the IP is the entries' top bits, so each IP's runs are contiguous
  const start = new Array<number>(ipCount).fill(0);
  const end = new Array<number>(ipCount).fill(0);
  let runs = 0;
  let last = -1;
  let ip = -1;
  let protocol = 0;
  let hostStart = 0;
  let containerStart = 0;
  let hostEnd = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (v === last) continue; // duplicate
    // ports are ≥ 1, so +1 on both never carries into the next field: equal to last + 65537 means the same IP,
    // protocol, and both ports one higher
    if (v === last + PORT + 1) {
      hostEnd++;
    } else {
      if (ip >= 0) runScratch[runs++] = ((hostStart * 4 + protocol) * PORT + hostEnd) * PORT + containerStart;
      const bucket = Math.floor(v / BUCKET); // IP and protocol; the low 32 bits are the ports
      const low = v - bucket * BUCKET;
      const entryIp = bucket >> 2;
      if (entryIp !== ip) {
        if (ip >= 0) end[ip] = runs;
        ip = entryIp;
        start[ip] = runs;
      }
      protocol = bucket & 3;
      hostStart = hostEnd = low >>> 16;
      containerStart = low & 0xffff;
    }
    last = v;
  }
  runScratch[runs++] = ((hostStart * 4 + protocol) * PORT + hostEnd) * PORT + containerStart;
  end[ip] = runs;
  // a segment is in entry order (protocol, host port, container port); one protocol's runs usually already are in
  // binding order, so look before sorting
  for (let i = 0; i < ipCount; i++) if (!isSorted(runScratch, start[i]!, end[i]!)) runScratch.subarray(start[i], end[i]).sort();
  return { start, end };
}

function sameRunsInEverySegment(start: readonly number[], end: readonly number[]): boolean {
  const length = end[0]! - start[0]!;
  for (let s = 1; s < start.length; s++) {
    if (end[s]! - start[s]! !== length) return false;
    for (let i = 0; i < length; i++) if (runScratch[start[s]! + i] !== runScratch[start[0]! + i]) return false;
  }
  return true;
}

function bindingsOfRuns(from: number, to: number, hostIps: readonly string[]): PortBinding[] {
  const out = new Array<PortBinding>(to - from);
  for (let i = from; i < to; i++) out[i - from] = bindingOf(runScratch[i]!, hostIps);
  return out;
}

function isSorted(a: Float64Array, from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) if (a[i]! < a[i - 1]!) return false;
  return true;
}

function bindingOf(run: number, hostIps: readonly string[]): PortBinding {
  // one division splits off the top (host start, protocol); the low 32 bits then take integer operations (not %: on
  // numbers past 32 bits it is a slow floating point remainder). All fields stay small integers: a double stored in a
  // field is a heap object of its own (3 more per binding).
  const top = Math.floor(run / BUCKET);
  const low = run - top * BUCKET;
  const hostEnd = low >>> 16;
  const containerStart = low & 0xffff;
  const hostStart = top >> 2;
  return { hostIps, protocol: protocols[top & 3]!, hostStart, hostEnd, containerStart, containerEnd: containerStart + hostEnd - hostStart };
}

/** Merges exposed-only container ports into ranges per protocol, sorted by protocol then port. */
export function compactExposedPorts(entries: ReadonlyArray<{ protocol: PortProtocol; containerPort: number }>): ExposedPorts[] {
  const sorted = [...entries].sort((a, b) => protocolOrder[a.protocol] - protocolOrder[b.protocol] || a.containerPort - b.containerPort);
  const out: ExposedPorts[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && last.protocol === e.protocol && e.containerPort <= last.containerEnd + 1) {
      last.containerEnd = Math.max(last.containerEnd, e.containerPort);
      continue;
    }
    out.push({ protocol: e.protocol, containerStart: e.containerPort, containerEnd: e.containerPort });
  }
  return out;
}
