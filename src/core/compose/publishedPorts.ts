// What a service publishes on the engine's host: the network modes under which compose drops `ports`, the host ports
// an entry really occupies, and what they cost. Shared by the rules, the lenses and hovers, and cross-project checks.
import { addressFamilies, costOfPortCounts, portCount } from '../cost/dockerProxyCost';
import type { BindingCost, BindingGroup, CostOptions } from '../cost/dockerProxyCost';
import type { PortEntry, ServiceModel, SourceRange } from './model';

/** network_mode values under which compose does not publish `ports`. */
export function networkModeKind(mode: string | undefined): 'host' | 'none' | 'service' | 'container' | undefined {
  if (!mode) return undefined;
  if (mode === 'host' || mode === 'none') return mode;
  if (mode.startsWith('service:')) return 'service';
  if (mode.startsWith('container:')) return 'container';
  return undefined;
}

/** The engine-side binding group of a port entry: the host ports it will really occupy. */
export function bindingGroupOf(p: PortEntry): BindingGroup {
  // no host port: one ephemeral host port per container port; a host range to one container port: one port of it
  const hostPorts = p.published && !p.publishedIsPool ? p.published : { start: p.target.start, end: p.target.end };
  return p.hostIp ? { hostIp: p.hostIp, protocol: p.protocol, hostPorts } : { protocol: p.protocol, hostPorts };
}

/** Ports that will be published for a service (none when its network_mode discards them). */
export function publishedEntries(svc: ServiceModel): PortEntry[] {
  return networkModeKind(svc.networkMode?.value) ? [] : svc.ports;
}

/** costOfBindings over the service's binding groups, summed in place (no group objects: runs for every service). */
export function serviceCost(svc: ServiceModel, options: CostOptions): BindingCost {
  let hostPorts = 0;
  let processes = 0;
  for (const p of publishedEntries(svc)) {
    const n = p.published && !p.publishedIsPool ? portCount(p.published) : portCount(p.target);
    if (n <= 0) continue;
    hostPorts += n;
    processes += n * addressFamilies(p.hostIp);
  }
  return costOfPortCounts(hostPorts, processes, options);
}

/** Where a finding about a service's ports as a whole goes: its `ports:` key. */
export function portsRange(svc: ServiceModel): SourceRange {
  return svc.portsKeyRange ?? svc.ports[0]?.range ?? svc.nameRange;
}
