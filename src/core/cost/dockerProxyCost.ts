// The cost of published host ports on a Docker engine: docker-proxy processes, their memory, iptables rules and
// container start-up time. Pure: handed binding groups, returns numbers. Shared by the compose lenses and the sidebar.
//
// Calibration (Engine 20.10.24, userland proxy on, the default; the project's measurements recorded in issue 4):
// - one docker-proxy per published host port per address family; `-p 8080:80` (no host IP) starts two, one for
//   0.0.0.0 and one for ::, a binding with a host IP starts one. Re-checked on the dev engine with
//   `docker run -d -p 8080:80 dnd-test/busybox sleep 300` + `ps -eo pid,rss,args | grep docker-proxy`: two processes,
//   RSS 3,316 and 3,320 KiB.
// - each docker-proxy ≈ 0.95 MB of real memory (≈3.2 MB RSS, ≈0.7 MB PSS; 500 ports → 1,000 processes → ~951 MB).
// - 3 iptables rules per published port (DNAT, filter ACCEPT, MASQUERADE hairpin).
// - 1,000 ports take ~45 s to start; start time grows ~N^1.85.

/** Real memory per docker-proxy process, MB (Engine 20.10, measured: 500 ports → 1,000 processes → ~951 MB). */
export const dockerProxyMemoryMb = 0.951;
/** Resident set size per docker-proxy process, MB (shared pages counted in full). */
export const dockerProxyRssMb = 3.2;
/** Proportional set size per docker-proxy process, MB. */
export const dockerProxyPssMb = 0.7;
/** iptables rules the engine adds per published host port. */
export const iptablesRulesPerPort = 3;
/** Container start-up time with 1,000 published ports (userland proxy on), seconds. */
export const startupSecondsPer1000Ports = 45;
/** Start-up time grows as (ports / 1,000) ^ this exponent. */
export const startupGrowthExponent = 1.85;

export type PortProtocol = 'tcp' | 'udp' | 'sctp';

/** An inclusive interval of ports; ranges are never expanded to one object per port. */
export interface PortInterval {
  start: number;
  end: number;
}

/** One group of host ports as the engine binds them: a host address (or none), a protocol and a port interval. */
export interface BindingGroup {
  /** `undefined` or `''`: no host IP given, the engine binds 0.0.0.0 and :: (two families). */
  hostIp?: string;
  protocol: PortProtocol;
  hostPorts: PortInterval;
}

export interface CostOptions {
  /** `undefined`: unknown; the figures assume the engine default (on) and say so. */
  userlandProxy?: boolean;
  /** `userlandProxy` is what the engine reported (`/info`, Engine 29+), not a setting: the figures say so. */
  userlandProxyReported?: boolean;
}

export interface BindingCost {
  /** Distinct (address, protocol, port) triples as written: a range of N ports with no host IP counts N. */
  hostPorts: number;
  /** docker-proxy processes: one per host port per address family. 0 with the userland proxy off. */
  proxyProcesses: number;
  /** Real memory of those processes, MB. */
  memoryMb: number;
  iptablesRules: number;
  /** Predicted container start-up time in seconds (userland proxy on); `undefined` when it is off. */
  startupSeconds: number | undefined;
  /** The userland proxy state the figures use; `assumed-on` when nobody said (the engine default). */
  userlandProxy: 'on' | 'off' | 'assumed-on';
  /** Whether the engine itself reported that state (rather than a setting). */
  reportedByEngine: boolean;
}

export function portCount(p: PortInterval): number {
  return p.end - p.start + 1;
}

/** Address families a binding occupies: a host IP occupies one, no host IP occupies two (0.0.0.0 and ::). */
export function addressFamilies(hostIp: string | undefined): number {
  return hostIp ? 1 : 2;
}

/** Start-up seconds for `ports` published ports, from the 1,000-port calibration point. */
export function startupSeconds(ports: number): number {
  if (ports <= 0) return 0;
  return startupSecondsPer1000Ports * (ports / 1000) ** startupGrowthExponent;
}

/** The cost of a set of engine-side binding groups. O(groups), whatever the range sizes. */
export function costOfBindings(bindings: readonly BindingGroup[], options: CostOptions = {}): BindingCost {
  let hostPorts = 0;
  let portFamilies = 0;
  for (const b of bindings) {
    const n = portCount(b.hostPorts);
    if (n <= 0) continue;
    hostPorts += n;
    portFamilies += n * addressFamilies(b.hostIp);
  }
  return costOfPortCounts(hostPorts, portFamilies, options);
}

/**
 * The cost of `hostPorts` published host ports bound in `portFamilies` (port, address family) pairs, for callers that
 * sum many groups without building BindingGroup objects (see costOfBindings for how groups count).
 */
export function costOfPortCounts(hostPorts: number, portFamilies: number, options: CostOptions = {}): BindingCost {
  const proxyOn = options.userlandProxy !== false;
  return {
    hostPorts,
    proxyProcesses: proxyOn ? portFamilies : 0,
    memoryMb: proxyOn ? portFamilies * dockerProxyMemoryMb : 0,
    iptablesRules: hostPorts * iptablesRulesPerPort,
    startupSeconds: proxyOn ? startupSeconds(hostPorts) : undefined,
    userlandProxy: options.userlandProxy === undefined ? 'assumed-on' : proxyOn ? 'on' : 'off',
    reportedByEngine: options.userlandProxy !== undefined && options.userlandProxyReported === true,
  };
}

/** `1,000`, with thousands separators. */
export function formatCount(n: number): string {
  // not Intl.NumberFormat: creating one loads ICU data, ~60 ms at extension activation
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `951 MB`, `19 GB` (decimal units, rounded the way a person would say it). */
export function formatMemory(mb: number): string {
  if (mb < 1) return `${Math.round(mb * 1000)} kB`;
  if (mb < 1000) return `${Math.round(mb)} MB`;
  const gb = mb / 1000;
  return `${gb < 10 ? gb.toFixed(1).replace(/\.0$/, '') : formatCount(Math.round(gb))} GB`;
}

/** `45 s`, `12 min`, `3.2 h`. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return '<1 s';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1).replace(/\.0$/, '')} h`;
}

/** `20,002 docker-proxy · ~19 GB · ~30,003 iptables rules · ~53 min to start`, plus the proxy assumption. */
export function describeCost(cost: BindingCost): string {
  const parts: string[] = [];
  if (cost.userlandProxy === 'off') {
    parts.push('no docker-proxy (userland proxy off)');
  } else {
    parts.push(`${formatCount(cost.proxyProcesses)} docker-proxy`, `~${formatMemory(cost.memoryMb)}`);
  }
  parts.push(`~${formatCount(cost.iptablesRules)} iptables rules`);
  if (cost.startupSeconds !== undefined && cost.startupSeconds >= 1) parts.push(`~${formatDuration(cost.startupSeconds)} to start`);
  return parts.join(' · ');
}

/**
 * Where the userland proxy state behind the figures comes from, to show next to them: the engine's own report, or the
 * assumption of the default. Undefined when a setting said it (describeCost already says "userland proxy off").
 */
export function userlandProxyNote(cost: BindingCost): string | undefined {
  if (cost.userlandProxy === 'assumed-on') return 'assumes the userland proxy is on, the engine default';
  if (cost.reportedByEngine) return `the engine reports the userland proxy ${cost.userlandProxy}`;
  return undefined;
}
