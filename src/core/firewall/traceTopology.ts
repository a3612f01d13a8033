// What the tracer needs to know about the host besides the rules' order: which base chains run at each hook (and
// in which order), which bridge holds which subnet, the host's own address on each bridge, whether Docker publishes a
// port, and which container holds an address. From the model and plain engine facts only.
import { parseCidr } from './addresses';
import type { EngineFacts } from './link';
import type { FirewallChain, FirewallRuleset, FirewallTable, Negatable } from './model';
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

export function baseChains(ruleset: FirewallRuleset, hook: Hook, family: 'ipv4' | 'ipv6'): BaseChain[] {
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
    if (!out.has(address)) out.set(address, `${address} is taken to be the host's own address on ${b.bridge} (Docker's default gateway, the subnet's first address)`);
  }
  return out;
}

/** A single address (`/32`, `/128`) rather than a subnet. */
export const isHost = (cidr: string) => { const c = parseCidr(cidr); return !!c && c.prefix === (c.family === 'ipv4' ? 32 : 128); };

/** Which bridge holds which subnet or address: from the engine facts, else from Docker's own rules. */
export function subnetBridges(ruleset: FirewallRuleset, facts?: EngineFacts): Array<{ cidr: string; bridge: string }> {
  const out: Array<{ cidr: string; bridge: string }> = [];
  for (const n of facts?.networks ?? []) if (n.bridgeName) for (const s of n.subnets) out.push({ cidr: s, bridge: n.bridgeName });
  for (const t of ruleset.tables) for (const c of t.chains) for (const r of c.rules) {
    if (r.owner !== 'docker') continue;
    const m = r.matches;
    const single = (v: Negatable<string> | undefined) => (v && !v.negated && !v.value.includes(',') && !v.value.endsWith('+') ? v.value : undefined);
    // MASQUERADE -s <subnet> ! -o <bridge>
    if (r.action.kind === 'masquerade' && m.source && !m.source.negated && m.outInterface?.negated && !isHost(m.source.value)) out.push({ cidr: m.source.value, bridge: m.outInterface.value });
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
export function publishedTarget(ruleset: FirewallRuleset, req: TraceRequest, family: 'ipv4' | 'ipv6', to: string): { address?: string; port?: number; ruleId?: string } | undefined {
  for (const t of ruleset.tables) {
    if (t.family !== family && t.family !== 'inet') continue;
    for (const c of t.chains) for (const r of c.rules) {
      if (r.owner !== 'docker' || r.action.kind !== 'dnat') continue;
      const m = r.matches;
      if (m.protocol && m.protocol.value !== req.protocol) continue;
      if (!m.dport || m.dport.negated || !m.dport.value.some((x) => req.port >= x.from && req.port <= x.to)) continue;
      if (m.destination && !m.destination.negated && isHost(m.destination.value) && parseCidr(m.destination.value)?.address !== parseCidr(to)?.address) continue;
      const out: { address?: string; port?: number; ruleId?: string } = { ruleId: r.id };
      if (r.action.toAddress) out.address = r.action.toAddress;
      if (r.action.toPorts) out.port = r.action.toPorts.from + (req.port - m.dport.value[0]!.from) * (r.action.toPorts.to > r.action.toPorts.from ? 1 : 0);
      return out;
    }
  }
  for (const c of req.facts?.containers ?? []) for (const p of c.ports) {
    if (p.protocol !== req.protocol || req.port < p.hostPort || req.port > (p.hostPortEnd ?? p.hostPort)) continue;
    if (!hostIpServes(p.hostIp, family, to)) continue;
    const address = c.addresses[0]?.ip;
    return { ...(address ? { address } : {}), port: p.containerPort + (req.port - p.hostPort) };
  }
  return undefined;
}

export function containerAt(facts: EngineFacts | undefined, address: string): { name: string; id: string } | undefined {
  for (const c of facts?.containers ?? []) if (c.addresses.some((a) => a.ip === address)) return { name: c.name, id: c.id };
  return undefined;
}

