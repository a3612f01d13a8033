// The cost of published host ports on a Docker engine: docker-proxy processes, their memory, iptables rules and
// container start-up time. Pure: handed binding groups, returns numbers. Shared by the compose lenses and the sidebar.
//
// The figures come from the calibration row of the connected engine (calibration.ts, measured on real engines by
// scripts/probes/calibrate-cost.js; docs/calibration.md). What holds on every engine measured (20.10, 26.1, 28.5):
// with the userland proxy on (the default), one docker-proxy per published host port per address family: `-p 8080:80`
// (no host IP) starts two, one for 0.0.0.0 and one for ::; a binding with a host IP starts one. What differs: the
// iptables rules per port (3 on 20.10 and 26.1, 2 on 28.5: no per-port MASQUERADE), memory per process and start-up.
import { calibrationNote, chooseCalibration, type CalibrationChoice, type StartupCurve } from './calibration';
import type { PortInterval, PortProtocol } from '../net/portInterval';


/** One group of host ports as the engine binds them: a host address (or none), a protocol and a port interval. */
export interface BindingGroup {
  /** `undefined` or `''`: no host IP given, the engine binds 0.0.0.0 and :: (two families). */
  hostIp?: string;
  protocol: PortProtocol;
  hostPorts: PortInterval;
}

export interface CostOptions {
  /** Whose figures (see calibration.ts); undefined: the newest calibration, said as "no engine connected". */
  calibration?: CalibrationChoice;
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
  /** Real memory of those processes, MB; `undefined` when the engine's row has no memory figure. */
  memoryMb: number | undefined;
  /** IPv4 iptables rules the engine adds for these ports; `undefined` when the row has no figure. */
  iptablesRules: number | undefined;
  /** Predicted container start-up time in seconds; `undefined` when the row has no curve for this proxy state. */
  startupSeconds: number | undefined;
  /** The engine whose measurements these figures are (calibrationNote says it in words). */
  calibration: CalibrationChoice;
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

/** Start-up seconds for `ports` published ports on a fitted curve. */
export function startupSeconds(ports: number, curve: StartupCurve): number {
  if (ports <= 0) return 0;
  return curve.secondsAt1000 * (ports / 1000) ** curve.exponent;
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
  const calibration = options.calibration ?? newestCalibration();
  const row = calibration.row;
  const processes = proxyOn ? portFamilies * row.proxy.processesPerPortWithHostIp : 0;
  const perProcessMb = row.proxy.memoryMbPerProcess ?? row.proxy.pssMbPerProcess;
  const rules = (proxyOn ? row.rulesPerPort.userlandProxy : row.rulesPerPort.noUserlandProxy)?.iptables;
  const curve = proxyOn ? row.startup.userlandProxy : row.startup.noUserlandProxy;
  return {
    hostPorts,
    proxyProcesses: processes,
    memoryMb: !proxyOn ? 0 : perProcessMb === null ? undefined : processes * perProcessMb,
    iptablesRules: rules ? hostPorts * rules.total : undefined,
    startupSeconds: curve ? startupSeconds(hostPorts, curve) : undefined,
    calibration,
    userlandProxy: options.userlandProxy === undefined ? 'assumed-on' : proxyOn ? 'on' : 'off',
    reportedByEngine: options.userlandProxy !== undefined && options.userlandProxyReported === true,
  };
}

let newest: CalibrationChoice | undefined;
function newestCalibration(): CalibrationChoice {
  return (newest ??= chooseCalibration());
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

/** `20,002 docker-proxy · ~25 GB · ~20,002 iptables rules · ~13 min to start` (figures the row lacks are left out). */
export function describeCost(cost: BindingCost): string {
  const parts: string[] = [];
  if (cost.userlandProxy === 'off') {
    parts.push('no docker-proxy (userland proxy off)');
  } else {
    parts.push(`${formatCount(cost.proxyProcesses)} docker-proxy`);
    if (cost.memoryMb !== undefined) parts.push(`~${formatMemory(cost.memoryMb)}`);
  }
  if (cost.iptablesRules !== undefined) parts.push(`~${formatCount(cost.iptablesRules)} iptables rules`);
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

/**
 * Everything the figures rest on, to show next to them: whose measurements, and the userland proxy state:
 * `Engine 28.5 figures; assumes the userland proxy is on, the engine default`.
 */
export function costNote(cost: BindingCost): string {
  const proxy = userlandProxyNote(cost);
  return `${calibrationNote(cost.calibration)}${proxy ? `; ${proxy}` : ''}`;
}
