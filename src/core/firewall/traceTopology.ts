// What the tracer needs to know about the host besides the rules' order: which base chains run at each hook (and
// in which order), which bridge holds which subnet, the host's own address on each bridge, whether Docker publishes a
// port, and which container holds an address. From the model and plain engine facts only.
import { addressInCidr, ipv4Number, parseCidr } from '../net/addresses';
import type { EngineFacts } from './link';
import { perRuleset } from './perRuleset';
import type { FirewallChain, FirewallRule, FirewallRuleset, FirewallTable, Negatable } from './model';
import type { Hook, TraceRequest } from './trace';

/** Where iptables' built-in chains hook, with the kernel's priorities. */
const iptablesHooks: Record<string, Partial<Record<string, { hook: Hook; priority: number }>>> = {
  raw: { PREROUTING: { hook: 'prerouting', priority: -300 }, OUTPUT: { hook: 'output', priority: -300 } },
  mangle: {
    PREROUTING: { hook: 'prerouting', priority: -150 }, INPUT: { hook: 'input', priority: -150 },
    FORWARD: { hook: 'forward', priority: -150 }, OUTPUT: { hook: 'output', priority: -150 },
    POSTROUTING: { hook: 'postrouting', priority: -150 },
  },
  nat: {
    PREROUTING: { hook: 'prerouting', priority: -100 }, INPUT: { hook: 'input', priority: 100 },
    OUTPUT: { hook: 'output', priority: -100 }, POSTROUTING: { hook: 'postrouting', priority: 100 },
  },
  filter: { INPUT: { hook: 'input', priority: 0 }, FORWARD: { hook: 'forward', priority: 0 }, OUTPUT: { hook: 'output', priority: 0 } },
  security: { INPUT: { hook: 'input', priority: 50 }, FORWARD: { hook: 'forward', priority: 50 }, OUTPUT: { hook: 'output', priority: 50 } },
};

export interface BaseChain { table: FirewallTable; chain: FirewallChain; priority: number }

const baseChainLists = new WeakMap<FirewallRuleset, Map<string, readonly BaseChain[]>>();

/** The base chains of a hook for a family, by priority (found once per parsed ruleset; the list is shared: read only). */
export function baseChains(ruleset: FirewallRuleset, hook: Hook, family: 'ipv4' | 'ipv6'): readonly BaseChain[] {
  let lists = baseChainLists.get(ruleset);
  if (!lists) baseChainLists.set(ruleset, lists = new Map());
  const key = `${hook} ${family}`;
  let list = lists.get(key);
  if (!list) lists.set(key, list = findBaseChains(ruleset, hook, family));
  return list;
}

function findBaseChains(ruleset: FirewallRuleset, hook: Hook, family: 'ipv4' | 'ipv6'): BaseChain[] {
  const out: BaseChain[] = [];
  for (const table of ruleset.tables) {
    if (table.family !== family && table.family !== 'inet') continue;
    for (const chain of table.chains) {
      if (table.source === 'iptables') {
        const h = iptablesHooks[table.name]?.[chain.name];
        if (h && h.hook === hook) out.push({ table, chain, priority: h.priority });
      } else if (chain.hook && chain.hook.hook === hook) {
        out.push({ table, chain, priority: chain.hook.priority });
      }
    }
  }
  return out.sort((a, b) => a.priority - b.priority);
}

/**
 * The host's address on each bridge → '' when the engine said so, or the assumption made when it is taken to be the
 * subnet's first address (Docker's default gateway), as for a saved dump with no engine facts. Decided per network
 * and family: an engine lists a gateway only for some networks (Engines 20.10 and 28.5 list none for a network made
 * with `--subnet` and no `--gateway`, and 28.5 lists the default bridge's).
 */
export function bridgeGateways(bridges: Array<{ cidr: string; bridge: string }>, facts?: EngineFacts): Map<string, string> {
  const out = new Map<string, string>();
  const stated = new Set<string>();
  for (const n of facts?.networks ?? []) {
    for (const g of n.gateways ?? []) {
      out.set(g, '');
      const family = parseCidr(g)?.family;
      if (n.bridgeName && family) stated.add(`${n.bridgeName} ${family}`);
    }
  }
  for (const b of bridges) {
    const c = parseCidr(b.cidr);
    if (!c || c.family !== 'ipv4' || c.prefix > 30 || stated.has(`${b.bridge} ipv4`)) continue;
    const first = Number((c.address >> BigInt(32 - c.prefix)) << BigInt(32 - c.prefix)) + 1;
    const address = [24, 16, 8, 0].map((shift) => (first >>> shift) & 255).join('.');
    if (!out.has(address)) out.set(address,
      `${address} is taken to be the host's own address on ${b.bridge} (Docker's default gateway, the subnet's first address)`);
  }
  return out;
}

/** A single address (`/32`, `/128`) rather than a subnet. */
export const isHost = (cidr: string) => { const c = parseCidr(cidr); return !!c && c.prefix === (c.family === 'ipv4' ? 32 : 128); };


/** Which bridge holds which subnet or address: from the engine facts, else from Docker's own rules. */
export function subnetBridges(ruleset: FirewallRuleset, facts?: EngineFacts): Array<{ cidr: string; bridge: string }> {
  const out: Array<{ cidr: string; bridge: string }> = [];
  for (const n of facts?.networks ?? []) if (n.bridgeName) for (const s of n.subnets) out.push({ cidr: s, bridge: n.bridgeName });
  for (const x of bridgesFromRules(ruleset)) out.push(x);
  return out;
}

/** What Docker's own rules say about bridges, read once per parsed ruleset (every trace asks; 100,000 rules took 30-50 ms). */
const bridgesFromRules = perRuleset(readBridgesFromRules);

function readBridgesFromRules(ruleset: FirewallRuleset): Array<{ cidr: string; bridge: string }> {
  const out: Array<{ cidr: string; bridge: string }> = [];
  for (const t of ruleset.tables) for (const c of t.chains) for (const r of c.rules) {
    if (r.owner !== 'docker') continue;
    const m = r.matches;
    const single = (v: Negatable<string> | undefined) => (v && !v.negated && !v.value.includes(',') && !v.value.endsWith('+') ? v.value : undefined);
    // MASQUERADE -s <subnet> ! -o <bridge>
    if (r.action.kind === 'masquerade' && m.source && !m.source.negated && m.outInterface?.negated
      && !isHost(m.source.value)) out.push({ cidr: m.source.value, bridge: m.outInterface.value });
    // raw drop -d <ip> ! -i <bridge>; filter accept -d <ip> -o <bridge>
    if (m.destination && !m.destination.negated && isHost(m.destination.value)) {
      if (r.action.kind === 'drop' && m.inInterface?.negated) out.push({ cidr: m.destination.value, bridge: m.inInterface.value });
      const o = single(m.outInterface);
      if (r.action.kind === 'accept' && o) out.push({ cidr: m.destination.value, bridge: o });
    }
    // nft per-bridge chains: `filter-forward-in__bridge1` with `ip daddr X`
    const per = /^filter-forward-in__(.+)$/.exec(c.name);
    if (per && m.destination && !m.destination.negated) out.push({ cidr: m.destination.value, bridge: per[1]! });
  }
  return out;
}

/**
 * Whether a published port's host IP takes connections of this family to this address. The userland proxy runs
 * one process per host IP, and the one on `::` takes IPv6 only (Engines 20.10 and 28.5 run a second one on 0.0.0.0
 * for IPv4; Engine 28.5 maps only `::` for a network whose IPv4 gateway mode is `routed`, and IPv4 connections to
 * the host port are refused). No host IP: both families.
 */
function hostIpServes(hostIp: string | undefined, family: 'ipv4' | 'ipv6', to: string): boolean {
  if (!hostIp) return true;
  const c = parseCidr(hostIp);
  if (!c) return true;
  if (c.family !== family) return false;
  return hostIp === '0.0.0.0' || hostIp === '::' || c.address === parseCidr(to)?.address;
}

/**
 * Whether Docker publishes `protocol/port` on the host for a connection of this family to this address: a Docker
 * DNAT rule for it in a table of that family, or a published port in the facts whose host IP takes it.
 */
/** Docker's DNAT rules with their table's family, per parsed ruleset (every trace to the host asks). */
interface DockerDnat { family: FirewallTable['family']; rule: FirewallRule; order: number }

/** Docker's DNAT rules in ruleset order, filed by their single destination port (one per published port), the rest
 *  (ranges, lists, none) apart: a lookup judges only the rules that can hold the port, in the same order. */
const dockerDnats = perRuleset((ruleset) => {
  const byPort = new Map<number, DockerDnat[]>();
  const other: DockerDnat[] = [];
  let order = 0;
  for (const t of ruleset.tables) for (const c of t.chains) for (const rule of c.rules) {
    if (rule.owner !== 'docker' || rule.action.kind !== 'dnat') continue;
    const entry = { family: t.family, rule, order: order++ };
    const d = rule.matches.dport;
    const single = d && !d.negated && d.value.length === 1 && d.value[0]!.start === d.value[0]!.end ? d.value[0]!.start : undefined;
    if (single === undefined) { other.push(entry); continue; }
    const list = byPort.get(single);
    if (list) list.push(entry); else byPort.set(single, [entry]);
  }
  return { byPort, other };
});

function dnatsForPort(ruleset: FirewallRuleset, port: number): DockerDnat[] {
  const { byPort, other } = dockerDnats(ruleset);
  const filed = byPort.get(port);
  if (!filed) return other;
  if (!other.length) return filed;
  return [...filed, ...other].sort((a, b) => a.order - b.order);
}

export function publishedTarget(ruleset: FirewallRuleset, req: TraceRequest, family: 'ipv4' | 'ipv6',
  to: string): { address?: string; port?: number; ruleId?: string } | undefined {
  for (const { family: tableFamily, rule: r } of dnatsForPort(ruleset, req.port)) {
    if (tableFamily !== family && tableFamily !== 'inet') continue;
    const m = r.matches;
    if (m.protocol && m.protocol.value !== req.protocol) continue;
    if (!m.dport || m.dport.negated || !m.dport.value.some((x) => req.port >= x.start && req.port <= x.end)) continue;
    if (m.destination && !m.destination.negated && isHost(m.destination.value) && parseCidr(m.destination.value)?.address !== parseCidr(to)?.address) continue;
    const out: { address?: string; port?: number; ruleId?: string } = { ruleId: r.id };
    if (r.action.toAddress) out.address = r.action.toAddress;
    if (r.action.toPorts) out.port = r.action.toPorts.start + (req.port - m.dport.value[0]!.start) * (r.action.toPorts.end > r.action.toPorts.start ? 1 : 0);
    return out;
  }
  for (const c of req.facts?.containers ?? []) for (const p of c.ports) {
    if (p.protocol !== req.protocol || req.port < p.hostPort || req.port > (p.hostPortEnd ?? p.hostPort)) continue;
    if (!hostIpServes(p.hostIp, family, to)) continue;
    const address = c.addresses[0]?.ip;
    return { ...(address ? { address } : {}), port: p.containerPort + (req.port - p.hostPort) };
  }
  return undefined;
}

const containersByAddress = new WeakMap<EngineFacts, Map<string, { name: string; id: string }>>();

/** The container with this address (the first one listed, if several claim it), looked up in a map made once per facts. */
export function containerAt(facts: EngineFacts | undefined, address: string): { name: string; id: string } | undefined {
  if (!facts) return undefined;
  let byAddress = containersByAddress.get(facts);
  if (!byAddress) {
    byAddress = new Map();
    for (const c of facts.containers) for (const a of c.addresses) if (!byAddress.has(a.ip)) byAddress.set(a.ip, { name: c.name, id: c.id });
    containersByAddress.set(facts, byAddress);
  }
  const found = byAddress.get(address);
  return found && { ...found };
}


/**
 * The bridges and gateways a trace needs, made once per parsed ruleset and engine facts (every trace asked again:
 * with 33,000 published ports that was 33,000 CIDRs parsed per trace). IPv4 host addresses are looked up in a map;
 * subnets and IPv6 entries are tried longest prefix first, as routing picks them.
 */
export interface Topology {
  bridgeOf: Array<{ cidr: string; bridge: string }>;
  gateways: Map<string, string>;
  hosts: Map<string, string>;
  ranges: Array<{ cidr: string; bridge: string }>;
  /** The subnets of Docker's external bridges, for Docker 28.0.0's ipset. */
  extBridges: { ipv4: string[]; ipv6: string[] };
}

const NO_FACTS = {};
const topologies = new WeakMap<FirewallRuleset, WeakMap<object, Topology>>();

export function topologyOf(ruleset: FirewallRuleset, facts?: EngineFacts): Topology {
  let byFacts = topologies.get(ruleset);
  if (!byFacts) topologies.set(ruleset, byFacts = new WeakMap());
  let topo = byFacts.get(facts ?? NO_FACTS);
  if (!topo) byFacts.set(facts ?? NO_FACTS, topo = makeTopology(ruleset, facts));
  return topo;
}

function makeTopology(ruleset: FirewallRuleset, facts?: EngineFacts): Topology {
  const bridgeOf = subnetBridges(ruleset, facts);
  const hosts = new Map<string, string>();
  const ranges: Array<{ cidr: string; bridge: string; prefix: number }> = [];
  for (const b of bridgeOf) {
    const slash = b.cidr.indexOf('/');
    const address = slash < 0 ? b.cidr : b.cidr.slice(0, slash);
    if ((slash < 0 || b.cidr.slice(slash) === '/32') && ipv4Number(address) >= 0) {
      if (!hosts.has(address)) hosts.set(address, b.bridge);
      continue;
    }
    const c = parseCidr(b.cidr);
    if (c) ranges.push({ ...b, prefix: c.prefix });
  }
  ranges.sort((a, b) => b.prefix - a.prefix);
  // Docker 28.0.0's ipset holds the subnets of its bridges (internal ones excepted)
  const ext = facts
    ? facts.networks.filter((n) => !n.internal && n.bridgeName).flatMap((n) => n.subnets)
    : ranges.filter((r) => !isHost(r.cidr)).map((r) => r.cidr);
  return {
    bridgeOf, gateways: bridgeGateways(bridgeOf, facts), hosts, ranges,
    extBridges: { ipv4: ext.filter((c) => parseCidr(c)?.family === 'ipv4'), ipv6: ext.filter((c) => parseCidr(c)?.family === 'ipv6') },
  };
}

/** The bridge whose subnet (or host entry) holds `address`, the longest prefix first; undefined for none. */
export function bridgeOfAddress(topo: Topology, address: string): string | undefined {
  const host = topo.hosts.get(address);
  if (host !== undefined) return host;
  for (const r of topo.ranges) if (addressInCidr(address, r.cidr)) return r.bridge;
  return undefined;
}
