// Words for containers and their ports, shared by the tree, the published-ports view and the CLI. The cost figures
// come from src/core/cost (the one cost model); this file only maps engine bindings onto it.
import type { CalibrationChoice } from '../cost/calibration';
import { addressFamilies, costNote, costOfPortCounts, formatCount, type BindingCost, type CostOptions } from '../cost/dockerProxyCost';
import type { ContainerModel, EndpointModel, ExposedPorts, PortBinding } from './model';
import { formatRange } from '../net/portInterval';

export interface CostSettings {
  /** `undefined`: not known (the engine did not report it, no setting); the cost model assumes the default, on. */
  userlandProxy?: boolean;
  /** `userlandProxy` is the engine's own report (`/info` on Engine 29+). */
  userlandProxyReported?: boolean;
  /** Whose measurements the figures use (the connected engine's); undefined: the newest, said as such. */
  calibration?: CalibrationChoice;
}


/** `[::]` for IPv6 addresses, as docker's own output writes them next to a port. */
export function formatHostIp(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/** Host port and (port, address family) counts, summed over bindings. */
export interface BindingTally {
  hostPorts: number;
  portFamilies: number;
}

/**
 * Adds one engine binding to a tally the way the cost model counts its groups (BindingGroup): the engine lists a
 * plain `-p 80:80` on 0.0.0.0 and ::, which the cost model calls one group with no host IP (two docker-proxy per
 * port, iptables rules once per port, as calibrated); any other address is a group of its own (one family). Sums
 * instead of building groups: the Published ports view adds up every binding on each refresh.
 */
export function tallyBinding(b: PortBinding, tally: BindingTally): void {
  const ports = b.hostEnd - b.hostStart + 1;
  const ips = b.hostIps;
  let v4Wildcard = false;
  let v6Wildcard = false;
  for (let i = 0; i < ips.length; i++) {
    if (ips[i] === '0.0.0.0') v4Wildcard = true;
    else if (ips[i] === '::') v6Wildcard = true;
  }
  const bothWildcards = v4Wildcard && v6Wildcard;
  if (bothWildcards) {
    tally.hostPorts += ports;
    tally.portFamilies += ports * addressFamilies(undefined);
  }
  for (let i = 0; i < ips.length; i++) {
    const ip = ips[i]!;
    if (bothWildcards && (ip === '0.0.0.0' || ip === '::')) continue;
    tally.hostPorts += ports;
    tally.portFamilies += ports * addressFamilies(ip);
  }
}

export function costOptions(settings: CostSettings): CostOptions {
  const options: CostOptions = settings.calibration ? { calibration: settings.calibration } : {};
  if (settings.userlandProxy === undefined) return options;
  options.userlandProxy = settings.userlandProxy;
  if (settings.userlandProxyReported) options.userlandProxyReported = true;
  return options;
}

export function costOfEngineBindings(bindings: readonly PortBinding[], settings: CostSettings = {}): BindingCost {
  const tally = { hostPorts: 0, portFamilies: 0 };
  for (const b of bindings) tallyBinding(b, tally);
  return costOfPortCounts(tally.hostPorts, tally.portFamilies, costOptions(settings));
}

/** `0.0.0.0, [::]` */
export function hostIpsLabel(b: PortBinding): string {
  return b.hostIps.map(formatHostIp).join(', ');
}

/** `0.0.0.0, [::] 40000-40099/udp → 40000-40099` */
export function bindingLabel(b: PortBinding): string {
  return `${hostIpsLabel(b)} ${formatRange(b.hostStart, b.hostEnd)}/${b.protocol} → ${formatRange(b.containerStart, b.containerEnd)}`;
}

/** `100 ports · 200 docker-proxy` (or `1 port · no docker-proxy (userland proxy off)`). */
export function bindingCostDescription(b: PortBinding, settings: CostSettings = {}): string {
  const cost = costOfEngineBindings([b], settings);
  const ports = cost.hostPorts;
  const proxies = cost.userlandProxy === 'off' ? 'no docker-proxy (userland proxy off)' : `${formatCount(cost.proxyProcesses)} docker-proxy`;
  return `${formatCount(ports)} ${ports === 1 ? 'port' : 'ports'} · ${proxies}`;
}

/** `0.0.0.0, [::] 40000-40099/udp → 40000-40099 · 100 ports · 200 docker-proxy` */
export function bindingText(b: PortBinding, settings: CostSettings = {}): string {
  return `${bindingLabel(b)} · ${bindingCostDescription(b, settings)}`;
}

/** `9000/tcp` (shown with "exposed, not published") */
export function exposedLabel(e: ExposedPorts): string {
  return `${formatRange(e.containerStart, e.containerEnd)}/${e.protocol}`;
}

/** The container's addresses on one network: `10.79.0.3, fd00:78::2`. */
export function endpointAddresses(e: EndpointModel): string[] {
  return [e.ipv4, e.ipv6].filter((a): a is string => Boolean(a));
}

/** `running · 10.79.0.3 · fd00:78::2` */
export function containerDescription(c: ContainerModel, endpoint?: EndpointModel): string {
  const addresses = endpoint ? endpointAddresses(endpoint) : c.endpoints.flatMap(endpointAddresses);
  return [c.state, ...addresses].join(' · ');
}

export function containerTooltip(c: ContainerModel, settings: CostSettings = {}): string {
  const lines = [`${c.name} (${c.state}: ${c.status || 'no status'})`, `image ${c.image}`, `ID ${c.id.slice(0, 12)}`,
    `network mode ${c.networkMode}`];
  for (const e of c.endpoints) {
    const parts = [e.ipv4 && `${e.ipv4}${e.ipv4PrefixLength ? `/${e.ipv4PrefixLength}` : ''}`,
      e.ipv6 && `${e.ipv6}${e.ipv6PrefixLength ? `/${e.ipv6PrefixLength}` : ''}`, e.mac && `MAC ${e.mac}`,
      e.aliases.length && `aliases ${e.aliases.join(', ')}`].filter(Boolean);
    lines.push(`on ${e.networkName}: ${parts.length ? parts.join(' · ') : 'no address'}`);
  }
  if (c.bindings.length) {
    const cost = costOfEngineBindings(c.bindings, settings);
    const rules = cost.iptablesRules === undefined ? '' : ` · ${formatCount(cost.iptablesRules)} iptables rules`;
    lines.push(`publishes ${formatCount(cost.hostPorts)} host ports · ${formatCount(cost.proxyProcesses)} docker-proxy${rules} (${costNote(cost)})`);
  } else if (c.state !== 'running' && c.state !== 'paused') {
    lines.push('not running: no ports are published while it is stopped');
  }
  return lines.join('\n');
}
