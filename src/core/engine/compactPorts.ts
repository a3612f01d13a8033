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
  const groups = new Map<string, PublishedPortEntry[]>();
  for (const e of entries) {
    const key = `${e.protocol}|${e.hostIp}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(e);
  }
  const out: PortBinding[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => a.hostPort - b.hostPort || a.containerPort - b.containerPort);
    let run: PortBinding | undefined;
    for (const e of list) {
      if (run && e.hostPort === run.host.end && e.containerPort === run.container.end) continue; // duplicate
      if (run && e.hostPort === run.host.end + 1 && e.containerPort === run.container.end + 1) {
        run.host.end = e.hostPort;
        run.container.end = e.containerPort;
        continue;
      }
      run = { hostIp: e.hostIp, protocol: e.protocol, host: { start: e.hostPort, end: e.hostPort },
        container: { start: e.containerPort, end: e.containerPort } };
      out.push(run);
    }
  }
  return out.sort(compareBindings);
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
  const groups = new Map<string, BindingGroupView>();
  for (const b of bindings) {
    const key = `${b.protocol}|${b.host.start}-${b.host.end}|${b.container.start}-${b.container.end}`;
    const g = groups.get(key);
    if (g) {
      g.hostIps.push(b.hostIp);
      g.bindings.push(b);
    } else {
      groups.set(key, { hostIps: [b.hostIp], protocol: b.protocol, host: { ...b.host }, container: { ...b.container }, bindings: [b] });
    }
  }
  const out = [...groups.values()];
  for (const g of out) g.hostIps.sort(compareHostIps);
  return out.sort((a, b) => a.host.start - b.host.start || protocolOrder[a.protocol] - protocolOrder[b.protocol]
    || a.container.start - b.container.start);
}
