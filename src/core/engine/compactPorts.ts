// Port range compaction: the Engine API lists one `Ports` entry per port and address family (a 10,000-port range is
// 20,000 entries); the model keeps one PortBinding per host IP, protocol and run of consecutive ports. O(n log n) in
// the entries, and nothing after this point ever expands a range again.
import type { ExposedPorts, PortBinding, PortProtocol, PortRange } from './model';

/** One published port as the API lists it, already validated. */
export interface PublishedPortEntry {
  hostIp: string;
  protocol: PortProtocol;
  hostPort: number;
  containerPort: number;
}

const protocolOrder: Record<PortProtocol, number> = { tcp: 0, udp: 1, sctp: 2 };

export function portCount(r: PortRange): number {
  return r.end - r.start + 1;
}

/** IPv4 addresses sort before IPv6 ones, so `0.0.0.0` comes before `::`. */
export function compareHostIps(a: string, b: string): number {
  const fa = a.includes(':') ? 1 : 0;
  const fb = b.includes(':') ? 1 : 0;
  return fa - fb || (a < b ? -1 : a > b ? 1 : 0);
}

export function compareBindings(a: PortBinding, b: PortBinding): number {
  return protocolOrder[a.protocol] - protocolOrder[b.protocol] || compareHostIps(a.hostIp, b.hostIp)
    || a.host.start - b.host.start || a.container.start - b.container.start;
}

/**
 * Merges entries into ranges per host IP and protocol: host port p+1 → container port q+1 extends the run that ends
 * at p → q. Duplicates collapse. Sorted by protocol, host IP, host port.
 */
export function compactPortBindings(entries: readonly PublishedPortEntry[]): PortBinding[] {
  const collector = new PublishedPortCollector();
  for (const e of entries) collector.add(e.hostIp, e.protocol, e.hostPort, e.containerPort);
  return collector.bindings();
}

const protocols: readonly PortProtocol[] = ['tcp', 'udp', 'sctp'];

/**
 * Collects published ports without an object per entry: each is packed into one number (host port × 65536 +
 * container port), kept per host IP and protocol, and sorted as a typed array (numeric order = host port, then
 * container port). A 20,000-entry range costs a few allocations, not 20,000.
 */
export class PublishedPortCollector {
  private readonly byIp = new Map<string, number[][]>();

  add(hostIp: string, protocol: PortProtocol, hostPort: number, containerPort: number): void {
    let lists = this.byIp.get(hostIp);
    if (!lists) this.byIp.set(hostIp, (lists = [[], [], []]));
    lists[protocolOrder[protocol]]!.push(hostPort * 65536 + containerPort);
  }

  get isEmpty(): boolean {
    return this.byIp.size === 0;
  }

  /** Runs of host port p+1 → container port q+1 after p → q become one binding; duplicates collapse. */
  bindings(): PortBinding[] {
    const out: PortBinding[] = [];
    for (const [hostIp, lists] of this.byIp) {
      for (let proto = 0; proto < 3; proto++) {
        const list = lists[proto]!;
        if (!list.length) continue;
        const packed = Uint32Array.from(list).sort();
        const protocol = protocols[proto]!;
        let run: PortBinding | undefined;
        let last = -1;
        for (const v of packed) {
          if (v === last) continue; // duplicate
          const hostPort = v >>> 16;
          const containerPort = v & 0xffff;
          if (run && v === last + 65537) {
            run.host.end = hostPort;
            run.container.end = containerPort;
          } else {
            run = { hostIp, protocol, host: { start: hostPort, end: hostPort }, container: { start: containerPort, end: containerPort } };
            out.push(run);
          }
          last = v;
        }
      }
    }
    return out.length > 1 ? out.sort(compareBindings) : out;
  }
}

/** Merges exposed-only container ports into ranges per protocol, sorted by protocol then port. */
export function compactExposedPorts(entries: ReadonlyArray<{ protocol: PortProtocol; containerPort: number }>): ExposedPorts[] {
  const sorted = [...entries].sort((a, b) => protocolOrder[a.protocol] - protocolOrder[b.protocol] || a.containerPort - b.containerPort);
  const out: ExposedPorts[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && last.protocol === e.protocol && e.containerPort <= last.container.end + 1) {
      last.container.end = Math.max(last.container.end, e.containerPort);
      continue;
    }
    out.push({ protocol: e.protocol, container: { start: e.containerPort, end: e.containerPort } });
  }
  return out;
}

/**
 * Bindings of one container that differ only in host IP (`0.0.0.0` and `::` for a plain `-p 80:80`) shown as one line:
 * `0.0.0.0, [::] 40000-40099/udp → 40000-40099`. The bindings themselves stay per host IP (cost counts them apart).
 */
export interface BindingGroupView {
  hostIps: string[];
  protocol: PortProtocol;
  host: PortRange;
  container: PortRange;
  bindings: PortBinding[];
}

export function groupBindingsByRange(bindings: readonly PortBinding[]): BindingGroupView[] {
  // sort by range then address, and merge neighbours with the same range: no keys, no maps
  const sorted = [...bindings].sort((a, b) => a.host.start - b.host.start || protocolOrder[a.protocol] - protocolOrder[b.protocol]
    || a.host.end - b.host.end || a.container.start - b.container.start || compareHostIps(a.hostIp, b.hostIp));
  const out: BindingGroupView[] = [];
  let last: BindingGroupView | undefined;
  for (const b of sorted) {
    if (last && last.protocol === b.protocol && last.host.start === b.host.start && last.host.end === b.host.end
      && last.container.start === b.container.start) {
      last.hostIps.push(b.hostIp);
      last.bindings.push(b);
      continue;
    }
    last = { hostIps: [b.hostIp], protocol: b.protocol, host: b.host, container: b.container, bindings: [b] };
    out.push(last);
  }
  return out;
}
