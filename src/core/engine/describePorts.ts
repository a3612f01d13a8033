// Words for containers and their ports, shared by the tree, the published-ports view and the CLI. The cost figures
// come from src/core/cost (the one cost model); this file only maps engine bindings onto it.
import { costOfBindings, formatCount, type BindingCost, type BindingGroup } from '../cost/dockerProxyCost';
import { groupBindingsByRange, type BindingGroupView } from './compactPorts';
import type { ContainerModel, EndpointModel, ExposedPorts, PortBinding, PortRange } from './model';

export interface CostSettings {
  /** `undefined`: not known (the engine does not report it); the cost model assumes the default, on. */
  userlandProxy?: boolean;
}

export function formatRange(r: PortRange): string {
  return r.start === r.end ? String(r.start) : `${r.start}-${r.end}`;
}

/** `[::]` for IPv6 addresses, as docker's own output writes them next to a port. */
export function formatHostIp(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/**
 * Engine bindings onto the cost model's groups. The engine lists a plain `-p 80:80` as two bindings (0.0.0.0 and ::);
 * the cost model calls that one group with no host IP (two docker-proxy per port, iptables rules once per port, as
 * calibrated). Any other address is a group of its own (one family).
 */
function toCostGroups(bindings: readonly PortBinding[]): BindingGroup[] {
  return costGroupsOf(groupBindingsByRange(bindings));
}

/** Cost model groups of already grouped bindings (see toCostGroups). */
export function costGroupsOf(groups: readonly BindingGroupView[]): BindingGroup[] {
  const out: BindingGroup[] = [];
  for (const g of groups) {
    const bothWildcards = g.hostIps.includes('0.0.0.0') && g.hostIps.includes('::');
    if (bothWildcards) out.push({ protocol: g.protocol, hostPorts: g.host });
    for (const ip of g.hostIps) {
      if (bothWildcards && (ip === '0.0.0.0' || ip === '::')) continue;
      out.push({ hostIp: ip, protocol: g.protocol, hostPorts: g.host });
    }
  }
  return out;
}

export function costOfEngineBindings(bindings: readonly PortBinding[], settings: CostSettings = {}): BindingCost {
  return costOfBindings(toCostGroups(bindings), settings.userlandProxy === undefined ? {} : { userlandProxy: settings.userlandProxy });
}

/** `0.0.0.0, [::] 40000-40099/udp → 40000-40099` */
export function bindingGroupLabel(g: BindingGroupView): string {
  return `${g.hostIps.map(formatHostIp).join(', ')} ${formatRange(g.host)}/${g.protocol} → ${formatRange(g.container)}`;
}

/** `100 ports · 200 docker-proxy` (or `1 port · no docker-proxy (userland proxy off)`). */
export function bindingCostDescription(bindings: readonly PortBinding[], settings: CostSettings = {}): string {
  const cost = costOfEngineBindings(bindings, settings);
  const ports = cost.hostPorts;
  const proxies = cost.userlandProxy === 'off' ? 'no docker-proxy (userland proxy off)' : `${formatCount(cost.proxyProcesses)} docker-proxy`;
  return `${formatCount(ports)} ${ports === 1 ? 'port' : 'ports'} · ${proxies}`;
}

/** `0.0.0.0, [::] 40000-40099/udp → 40000-40099 · 100 ports · 200 docker-proxy` */
export function bindingGroupText(g: BindingGroupView, settings: CostSettings = {}): string {
  return `${bindingGroupLabel(g)} · ${bindingCostDescription(g.bindings, settings)}`;
}

/** `9000/tcp exposed, not published` */
export function exposedLabel(e: ExposedPorts): string {
  return `${formatRange(e.container)}/${e.protocol}`;
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
    lines.push(`publishes ${formatCount(cost.hostPorts)} host ports · ${formatCount(cost.proxyProcesses)} docker-proxy · ${formatCount(cost.iptablesRules)} iptables rules`);
  } else if (c.state !== 'running' && c.state !== 'paused') {
    lines.push('not running: no ports are published while it is stopped');
  }
  return lines.join('\n');
}
