// published-port-unreachable: a service attached only to networks the host cannot reach (internal: true, ipvlan,
// macvlan) publishes ports nobody can reach through the host.
import type { NetworkDefinition, ServiceModel } from '../model';
import { networkModeKind, portsRange } from '../publishedPorts';
import type { ComposeRule, FindingsOut } from './rule';

export const publishedPortUnreachableRule: ComposeRule<'published-port-unreachable'> = {
  code: 'published-port-unreachable',
  defaultSeverity: 'warning',
  summary: 'The service publishes ports but is attached only to internal, ipvlan or macvlan networks, which the host '
    + 'cannot forward to: the ports can never be reached.',
  run: ({ services, project }, out) => { for (const s of services) publishedPortUnreachable(s, project.networks, out); },
  fixes: [],
};

const unreachableDrivers = new Set(['ipvlan', 'macvlan']);

const unreachableWhy = (d: NetworkDefinition) => d.internal ? 'internal: true' : d.driver && unreachableDrivers.has(d.driver) ? `driver ${d.driver}`
  : undefined;

/** Whether every network the service is attached to is known, not external, and unreachable from the host. */
function onlyOnUnreachableNetworks(svc: ServiceModel, networks: Map<string, NetworkDefinition>): boolean {
  if (!svc.networks?.length) {
    const d = networks.get('default');
    return !!d && !d.external && !!unreachableWhy(d);
  }
  // unknown or external networks: not decidable from the file
  for (const n of svc.networks) { const d = networks.get(n.name); if (!d || d.external) return false; }
  for (const n of svc.networks) if (!unreachableWhy(networks.get(n.name)!)) return false;
  return true;
}

function publishedPortUnreachable(svc: ServiceModel, networks: Map<string, NetworkDefinition>, out: FindingsOut<'published-port-unreachable'>): void {
  if (networkModeKind(svc.networkMode?.value) || !svc.ports.length || !onlyOnUnreachableNetworks(svc, networks)) return;
  const attached = svc.networks?.length ? svc.networks.map((n) => n.name) : ['default'];
  const defs = attached.map((n) => networks.get(n));
  const why = unreachableWhy;
  const names = defs.map((d) => `${d!.name} (${why(d!)})`).join(', ');
  out.push({
    code: 'published-port-unreachable', service: svc.name, range: portsRange(svc),
    message: `${svc.name} is attached only to ${names}: its ${svc.ports.length} published port ${svc.ports.length === 1 ? 'entry' : 'entries'} can never be ` +
      `reached from the host`
      + ' (internal networks have no route out; ipvlan/macvlan containers are not NATed through the host). Attach a bridge network too, or drop ports:.',
    related: defs.map((d) => ({ message: `network ${d!.name}: ${why(d!)}`, range: d!.range })),
  });
}
