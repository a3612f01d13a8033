// Ties rules to the engine: a DNAT to a container's address and port → that container and its published port;
// MASQUERADE, isolation and forward rules → the network, by subnet or bridge device. Pure: handed plain data.
import type { EngineModel } from '../engine/model';
import { addressInCidr, parseCidr, sameCidr } from '../net/addresses';
import { inferUserlandProxy, type ProxyState, type UserlandProxyInference } from './layout';
import type { FirewallChain, FirewallRule, FirewallRuleset, FirewallTable } from './model';
import type { PortInterval } from '../net/portInterval';

export interface LinkNetwork {
  name: string;
  id?: string;
  /** CIDRs (`172.17.0.0/16`, `fd00::/64`). */
  subnets: string[];
  /** The Linux bridge (`docker0`, `br-<12 of id>`, or `com.docker.network.bridge.name`). */
  bridgeName?: string;
  internal?: boolean;
  /** The host's own addresses on the bridge (the subnets' gateways): a connection to one stays on the host. */
  gateways?: string[];
}

export interface LinkPort {
  hostIp?: string;
  protocol: string;
  hostPort: number;
  /** Last host port of a range (`40001-40010:…`); absent for a single port. */
  hostPortEnd?: number;
  containerPort: number;
  containerPortEnd?: number;
}

export interface LinkContainer {
  name: string;
  id: string;
  addresses: Array<{ network: string; ip: string }>;
  ports: LinkPort[];
}

export interface EngineFacts {
  networks: LinkNetwork[];
  containers: LinkContainer[];
  /** docker-proxy processes seen on the engine's host, when the helper could count them. */
  dockerProxyProcesses?: number;
}

export type LinkRole =
  | 'dnat' | 'published-accept' | 'hairpin-masquerade' | 'direct-access-drop' | 'masquerade' | 'isolation'
  | 'internal' | 'forward' | 'icc';

export interface RuleLink {
  ruleId: string;
  role: LinkRole;
  container?: { name: string; id: string };
  port?: LinkPort;
  network?: { name: string; id?: string };
  /** What the link was made from: the container's address, a subnet, or a bridge device. */
  via: 'address' | 'subnet' | 'bridge';
}

export interface FirewallLinks {
  links: RuleLink[];
  /** Rule id → its links (a rule may name a container and its network). */
  byRule: Record<string, RuleLink[]>;
  /** DNAT rules of Docker's whose address is no known container (stale rules, or another daemon's). */
  unlinkedDnat: string[];
  userlandProxy: UserlandProxyInference & {
    /** Set when the docker-proxy count was given and disagrees with the rules or explains them. */
    processCheck?: string;
  };
}

/** Plain link input from the engine model (src/core/engine). */
export function engineFactsFromModel(model: EngineModel, dockerProxyProcesses?: number): EngineFacts {
  const facts: EngineFacts = {
    networks: model.networks.map((n) => {
      const out: LinkNetwork = { name: n.name, id: n.id, subnets: n.subnets.map((s) => s.cidr), internal: n.internal };
      if (n.bridgeName) out.bridgeName = n.bridgeName;
      const gateways = n.subnets.map((s) => s.gateway).filter((g): g is string => !!g);
      if (gateways.length) out.gateways = gateways;
      return out;
    }),
    containers: model.containers.map((c) => ({
      name: c.name,
      id: c.id,
      addresses: c.endpoints.flatMap((e) => [e.ipv4, e.ipv6].filter((ip): ip is string => !!ip).map((ip) => ({ network: e.networkName, ip }))),
      ports: c.bindings.flatMap((b) => b.hostIps.map((hostIp) => {
        const p: LinkPort = { hostIp, protocol: b.protocol, hostPort: b.hostStart, containerPort: b.containerStart };
        if (b.hostEnd !== b.hostStart) p.hostPortEnd = b.hostEnd;
        if (b.containerEnd !== b.containerStart) p.containerPortEnd = b.containerEnd;
        return p;
      })),
    })),
  };
  if (dockerProxyProcesses !== undefined) facts.dockerProxyProcesses = dockerProxyProcesses;
  return facts;
}

const stripHostPrefix = (v: string) => v.replace(/\/(32|128)$/, '');
const isHostAddress = (v: string) => { const c = parseCidr(v); return !!c && c.prefix === (c.family === 'ipv4' ? 32 : 128); };

/** The published port a container-side port belongs to (`containerPort` within the binding, host port in the rule). */
function publishedPort(c: LinkContainer, protocol: string | undefined, containerPort: number | undefined,
  hostPorts: PortInterval[] | undefined): LinkPort | undefined {
  return c.ports.find((p) => {
    if (protocol && p.protocol !== protocol) return false;
    const cEnd = p.containerPortEnd ?? p.containerPort;
    if (containerPort !== undefined && (containerPort < p.containerPort || containerPort > cEnd)) return false;
    if (hostPorts) {
      const hEnd = p.hostPortEnd ?? p.hostPort;
      if (!hostPorts.some((r) => r.start <= hEnd && r.end >= p.hostPort)) return false;
      if (containerPort !== undefined && hostPorts.length === 1 && hostPorts[0]!.start === hostPorts[0]!.end) {
        // with both sides known, the offset into a range must agree (40005 → 40005, not 40001)
        const offset = containerPort - p.containerPort;
        const host = hostPorts[0]!.start;
        if (p.hostPortEnd !== undefined && p.containerPortEnd !== undefined && host - p.hostPort !== offset) return false;
      }
    }
    return true;
  });
}

export function linkFirewall(ruleset: FirewallRuleset, facts: EngineFacts): FirewallLinks {
  const links: RuleLink[] = [];
  const unlinkedDnat: string[] = [];
  const byIp = new Map<string, { container: LinkContainer; network: string }>();
  for (const c of facts.containers) for (const a of c.addresses) byIp.set(a.ip, { container: c, network: a.network });
  const byBridge = new Map<string, LinkNetwork>();
  for (const n of facts.networks) if (n.bridgeName) byBridge.set(n.bridgeName, n);
  const networkRef = (n: LinkNetwork) => (n.id ? { name: n.name, id: n.id } : { name: n.name });
  const containerRef = (c: LinkContainer) => ({ name: c.name, id: c.id });
  const networkBySubnet = (cidr: string) => facts.networks.find((n) => n.subnets.some((s) => sameCidr(s, cidr)));

  const add = (l: RuleLink) => links.push(l);
  const visit = (table: FirewallTable, chain: FirewallChain, r: FirewallRule) => {
    const m = r.matches;
    const a = r.action;
    const protocol = m.protocol && !m.protocol.negated && m.protocol.value !== 'all' ? m.protocol.value : undefined;
    // DNAT to a container address
    if (a.kind === 'dnat' && a.toAddress) {
      const hit = byIp.get(a.toAddress);
      if (hit) {
        const port = publishedPort(hit.container, protocol, a.toPorts?.start, m.dport && !m.dport.negated ? m.dport.value : undefined);
        const l: RuleLink = { ruleId: r.id, role: 'dnat', container: containerRef(hit.container), via: 'address' };
        if (port) l.port = port;
        add(l);
      } else if (r.owner === 'docker') unlinkedDnat.push(r.id);
    }
    const dest = m.destination && !m.destination.negated && isHostAddress(m.destination.value) ? stripHostPrefix(m.destination.value) : undefined;
    const src = m.source && !m.source.negated && isHostAddress(m.source.value) ? stripHostPrefix(m.source.value) : undefined;
    // filter ACCEPT for a published port, raw direct-access DROP, hairpin MASQUERADE: all name the container address
    if (dest && byIp.has(dest) && a.kind !== 'dnat') {
      const hit = byIp.get(dest)!;
      let role: LinkRole | undefined;
      if (a.kind === 'accept') role = 'published-accept';
      else if (a.kind === 'drop' && (table.name === 'raw' || chain.name === 'raw-PREROUTING')) role = 'direct-access-drop';
      else if (a.kind === 'masquerade' && src === dest) role = 'hairpin-masquerade';
      if (role) {
        const containerPort = m.dport && !m.dport.negated && m.dport.value.length === 1 && m.dport.value[0]!.start === m.dport.value[0]!.end
          ? m.dport.value[0]!.start : undefined;
        const l: RuleLink = { ruleId: r.id, role, container: containerRef(hit.container), via: 'address' };
        const port = containerPort !== undefined ? publishedPort(hit.container, protocol, containerPort, undefined) : undefined;
        if (port) l.port = port;
        add(l);
      }
    }
    // networks by subnet (MASQUERADE -s subnet, internal-network drops `! -s subnet`)
    for (const side of [m.source, m.destination]) {
      if (!side || isHostAddress(side.value)) continue;
      const n = networkBySubnet(side.value);
      if (!n) continue;
      const role: LinkRole = a.kind === 'masquerade' ? 'masquerade' : side.negated || chain.name === 'DOCKER-INTERNAL' ? 'internal'
        : /ISOLATION/.test(chain.name) ? 'isolation' : 'forward';
      add({ ruleId: r.id, role, network: networkRef(n), via: 'subnet' });
    }
    // networks by bridge device
    const bridges = new Set<string>();
    for (const i of [m.inInterface, m.outInterface]) if (i) for (const name of i.value.split(',')) if (byBridge.has(name)) bridges.add(name);
    const perBridge = /^(?:filter-forward-(?:in|out)|nat-postrouting-(?:in|out))__(.+)$/.exec(chain.name);
    if (perBridge && byBridge.has(perBridge[1]!)) bridges.add(perBridge[1]!);
    for (const b of bridges) {
      const n = byBridge.get(b)!;
      if (links.some((l) => l.ruleId === r.id && l.network?.name === n.name)) continue;
      const sameBoth = m.inInterface?.value === b && m.outInterface?.value === b && !m.inInterface.negated && !m.outInterface.negated;
      const role: LinkRole = /ISOLATION/.test(chain.name) ? 'isolation' : chain.name === 'DOCKER-INTERNAL' || /INTERNAL NETWORK/.test(m.comment ?? '')
        ? 'internal'
        : sameBoth || m.comment === 'ICC' ? 'icc' : a.kind === 'masquerade' ? 'masquerade' : 'forward';
      add({ ruleId: r.id, role, network: networkRef(n), via: 'bridge' });
    }
  };
  for (const t of ruleset.tables) for (const c of t.chains) for (const r of c.rules) visit(t, c, r);

  const byRule: Record<string, RuleLink[]> = {};
  for (const l of links) (byRule[l.ruleId] ??= []).push(l);
  const proxy: FirewallLinks['userlandProxy'] = inferUserlandProxy(ruleset);
  if (facts.dockerProxyProcesses !== undefined) proxy.processCheck = proxyProcessCheck(proxy.state, facts);
  return { links, byRule, unlinkedDnat, userlandProxy: proxy };
}

function proxyProcessCheck(state: ProxyState, facts: EngineFacts): string {
  const n = facts.dockerProxyProcesses!;
  const published = facts.containers.some((c) => c.ports.length > 0);
  if (state === 'on' && n === 0 && published) return 'the rules say the userland proxy is on, but no docker-proxy process runs although ports are published';
  if (state === 'off' && n > 0) return `the rules say the userland proxy is off, but ${n} docker-proxy processes run (another daemon, or SCTP/IPv6 ports)`;
  if (state === 'on') return `${n} docker-proxy processes run, as the rules suggest`;
  if (state === 'off') return 'no docker-proxy process runs, as the rules suggest';
  return `${n} docker-proxy processes run`;
}

/** The network a container address belongs to, by the engine's subnets. */
export function networkOfAddress(facts: EngineFacts, ip: string): LinkNetwork | undefined {
  return facts.networks.find((n) => n.subnets.some((s) => addressInCidr(ip, s)));
}
