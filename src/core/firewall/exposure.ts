// Exposure: who can reach each published port, and what the host firewall would answer for it on its own. Every
// verdict is a trace (trace.ts) of one new connection: from outside, from the host, from a container on the
// binding's network and from one on another network. The firewall's own answer is the outside connection traced
// through the same ruleset with Docker's rules taken out; when Docker lets in what the firewall alone would drop,
// that is the ufw/firewalld bypass (Docker DNATs in PREROUTING and accepts in FORWARD before their INPUT rules).
import { addressInCidr, ipv4Number, parseCidr } from '../net/addresses';
import type { ContainerModel, PortBinding } from '../engine/model';
import type { EngineFacts, LinkNetwork } from './link';
import type { FirewallRuleset, Owner } from './model';
import { perRuleset } from './perRuleset';
import { STAND_IN_HOST, traceConnection, type TraceResult } from './trace';

export type ExposureSource = 'outside' | 'host' | 'same-network' | 'other-network';

/** One published port: a container's, from the engine, or read from a DNAT rule of Docker's (a dump alone). */
export interface ExposedBinding {
  container?: { name: string; id: string };
  /** As published: `0.0.0.0`, `::`, `127.0.0.1`, …; absent when read from a rule without a destination. */
  hostIp?: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  hostPort: number;
  hostPortEnd?: number;
  containerPort: number;
  /** Where Docker's DNAT sends it (a dump alone: the rule's `--to-destination` address). */
  containerAddress?: string;
  /** The container's networks (names), when the engine said. */
  networks: string[];
  /** The DNAT rule it was read from (a dump alone). */
  ruleId?: string;
}

/** `unknown`: a rule that could have decided could not be evaluated (TraceResult.undetermined). */
export type Reach = 'reachable' | 'blocked' | 'refused' | 'unknown';

export interface SourceVerdict {
  source: ExposureSource;
  /** Where the traced connection came from and went to (`outside → 198.51.100.10:5432`). */
  from: string;
  to: string;
  reach: Reach;
  trace: TraceResult;
}

export interface HostFirewall {
  kind: 'ufw' | 'firewalld' | 'input-rules' | 'none';
  /** `ufw`, `firewalld`, `an INPUT policy of DROP`, … */
  name: string;
}

export interface BindingExposure {
  binding: ExposedBinding;
  verdicts: SourceVerdict[];
  firewall: HostFirewall;
  /** The outside connection traced without Docker's rules: what the host firewall answers on its own. */
  firewallAlone?: { reach: Reach; trace: TraceResult };
  /** Set when Docker's rules let in from outside what the host firewall alone would not. */
  disagreement?: string;
}

export interface ExposureOptions {
  facts?: EngineFacts;
  /** The host's address as seen from outside (default: the trace's stand-in, said in its assumptions). */
  hostAddress?: string;
  /** Its IPv6 address, for bindings on `::` or an IPv6 address (default: a stand-in of the documentation prefix). */
  hostAddress6?: string;
}

const STAND_IN_HOST_V6 = '2001:db8::10';

const LOOPBACK = /^(127\.|::1$)/;

/** What decides for the host itself: ufw or firewalld by their chains and tables, else INPUT's own rules or policy
 *  (found once per parsed ruleset). */
export const hostFirewallOf = perRuleset(findHostFirewall);

function findHostFirewall(ruleset: FirewallRuleset): HostFirewall {
  const owners = new Set<Owner>();
  let inputPolicy: string | undefined;
  let inputRules = 0;
  for (const t of ruleset.tables) {
    owners.add(t.owner);
    for (const c of t.chains) {
      owners.add(c.owner);
      const isInput = c.name === 'INPUT' || c.hook?.hook === 'input';
      if (!isInput || t.family === 'arp' || t.family === 'bridge') continue;
      if (c.policy && c.policy !== 'ACCEPT') inputPolicy = c.policy;
      inputRules += c.rules.filter((r) => r.owner !== 'docker').length;
    }
  }
  if (owners.has('ufw')) return { kind: 'ufw', name: 'ufw' };
  if (owners.has('firewalld')) return { kind: 'firewalld', name: 'firewalld' };
  if (inputPolicy) return { kind: 'input-rules', name: `an INPUT policy of ${inputPolicy}` };
  if (inputRules > 0) return { kind: 'input-rules', name: `${inputRules} INPUT rule${inputRules === 1 ? '' : 's'}` };
  // iptables-save of the nf_tables backend cannot show tables made with nft itself (firewalld's nftables backend,
  // nftables.conf): "none" from such a dump alone is not an answer (e28.5-firewalld-1.iptables-save-c.txt)
  if (ruleset.backendHints.includes('iptables-nft') && !ruleset.tables.some((t) => t.source === 'nft')) {
    return { kind: 'none',
      name: 'none in this dump (iptables-save of the nf_tables backend does not show tables made with nft itself, such as firewalld\'s; `nft list ruleset` ' +
      'shows every table)' };
  }
  return { kind: 'none', name: 'no host firewall' };
}

/** The same ruleset with Docker's tables, chains' rules and jumps to them taken out (a copy, made once per ruleset;
 *  the input is untouched). */
export const withoutDocker = perRuleset(copyWithoutDocker);

function copyWithoutDocker(ruleset: FirewallRuleset): FirewallRuleset {
  const tables = ruleset.tables.filter((t) => t.owner !== 'docker').map((t) => ({
    ...t,
    chains: t.chains.map((c) => ({ ...c, rules: c.rules.filter((r) => r.owner !== 'docker') })),
  }));
  return { ...ruleset, tables, ruleCount: tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0) };
}

export function reachOf(trace: Pick<TraceResult, 'verdict' | 'undetermined'>): Reach {
  const verdict = trace.verdict;
  if (trace.undetermined) return 'unknown';
  if (verdict.kind === 'container' || verdict.kind === 'docker-proxy') return 'reachable';
  if (verdict.kind === 'host') return 'refused';
  return 'blocked';
}

/** The bindings to judge: the engine's, when its facts are given; else every DNAT rule of Docker's in the dump. */
export function publishedBindings(ruleset: FirewallRuleset, facts?: EngineFacts): ExposedBinding[] {
  if (facts) {
    return facts.containers.flatMap((c) => c.ports.map((p) => ({
      container: { name: c.name, id: c.id },
      ...(p.hostIp ? { hostIp: p.hostIp } : {}),
      protocol: p.protocol as ExposedBinding['protocol'],
      hostPort: p.hostPort,
      ...(p.hostPortEnd !== undefined ? { hostPortEnd: p.hostPortEnd } : {}),
      containerPort: p.containerPort,
      networks: [...new Set(c.addresses.map((a) => a.network))],
    })));
  }
  const out: ExposedBinding[] = [];
  for (const t of ruleset.tables) for (const c of t.chains) for (const r of c.rules) {
    const m = r.matches;
    if (r.owner !== 'docker' || r.action.kind !== 'dnat' || !m.dport || m.dport.negated) continue;
    const protocol = m.protocol?.value;
    if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'sctp') continue;
    const range = m.dport.value[0]!;
    // `-d 127.0.0.1/32` on a rule: the binding's host IP
    const cidr = m.destination && !m.destination.negated ? parseCidr(m.destination.value) : undefined;
    const dest = cidr && cidr.prefix === (cidr.family === 'ipv4' ? 32 : 128) ? m.destination!.value.replace(/\/\d+$/, '') : undefined;
    out.push({
      ...(dest ? { hostIp: dest } : {}), protocol, hostPort: range.start,
      ...(range.end !== range.start ? { hostPortEnd: range.end } : {}),
      containerPort: r.action.toPorts?.start ?? range.start, ...(r.action.toAddress ? { containerAddress: r.action.toAddress } : {}),
      networks: [], ruleId: r.id,
    });
  }
  return out;
}

/**
 * Where a container on `network` connects from: a running container's IPv4 address there (not `exclude`), else the
 * first address the engine would give one (the gateway's next), said in the label.
 */
function sourceOn(facts: EngineFacts, network: LinkNetwork, exclude?: string): { ip: string; label: string; running: boolean } | undefined {
  for (const c of facts.containers) {
    if (c.id === exclude) continue;
    const a = c.addresses.find((x) => x.network === network.name && ipv4Number(x.ip) >= 0);
    if (a) return { ip: a.ip, label: `${c.name} on ${network.name} (${a.ip})`, running: true };
  }
  const gateway = network.gateways?.find((g) => ipv4Number(g) >= 0);
  if (!gateway) return undefined;
  const n = ipv4Number(gateway) + 1;
  const ip = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  return network.subnets.some((s) => addressInCidr(ip, s))
    ? { ip, label: `a container on ${network.name} (${ip}, the first address one gets there)`, running: false } : undefined;
}

const isWildcard = (ip: string | undefined) => !ip || ip === '0.0.0.0' || ip === '::';

/** The exposure of one binding: a trace per source, the host firewall's own answer and their disagreement. */
export function exposureOf(ruleset: FirewallRuleset, binding: ExposedBinding, opts: ExposureOptions = {}): BindingExposure {
  const { facts } = opts;
  const port = binding.hostPort;
  const protocol = binding.protocol;
  // a wildcard or loopback binding is reached from outside at the host's address (the stand-in, said in the trace's
  // assumptions, unless given): a packet from another machine never carries 127.0.0.1
  const family = binding.hostIp?.includes(':') ? 'ipv6' : 'ipv4';
  const outsideTo = !isWildcard(binding.hostIp) && !LOOPBACK.test(binding.hostIp!) ? binding.hostIp!
    : family === 'ipv6' ? (opts.hostAddress6 ?? STAND_IN_HOST_V6) : opts.hostAddress;
  const hostTo = isWildcard(binding.hostIp) ? (family === 'ipv6' ? '::1' : '127.0.0.1') : binding.hostIp!;
  const verdicts: SourceVerdict[] = [];
  const add = (source: ExposureSource, from: string, fromLabel: string, to: string | undefined) => {
    const trace = traceConnection(ruleset, { protocol, port, from, ...(to ? { toAddress: to } : {}), ...(facts ? { facts } : {}) });
    verdicts.push({ source, from: fromLabel, to: `${to ?? STAND_IN_HOST}:${port}`, reach: reachOf(trace), trace });
  };
  add('outside', 'outside', 'outside', outsideTo);
  add('host', 'localhost', 'the host', hostTo);
  if (facts && !LOOPBACK.test(binding.hostIp ?? '') && family === 'ipv4') {
    // a container reaches a published port at its network's gateway (the host's address on that bridge)
    const gatewayOf = (n: LinkNetwork) => n.gateways?.find((g) => ipv4Number(g) >= 0);
    const own = facts.networks.find((n) => binding.networks.includes(n.name) && gatewayOf(n));
    const ownFrom = own && sourceOn(facts, own, binding.container?.id);
    if (own && ownFrom) add('same-network', ownFrom.ip, ownFrom.label, gatewayOf(own));
    // another network: one where a container runs first, then user networks before the default bridge
    const others = facts.networks.filter((n) => !binding.networks.includes(n.name) && !n.internal && gatewayOf(n))
      .map((n) => ({ n, from: sourceOn(facts, n) })).filter((x) => x.from)
      .sort((a, b) => Number(b.from!.running) - Number(a.from!.running) || Number(a.n.name === 'bridge') - Number(b.n.name === 'bridge'));
    const other = others[0];
    if (other) add('other-network', other.from!.ip, other.from!.label, gatewayOf(other.n));
  }
  const firewall = hostFirewallOf(ruleset);
  const out: BindingExposure = { binding, verdicts, firewall };
  if (firewall.kind !== 'none') {
    const trace = traceConnection(withoutDocker(ruleset), { protocol, port, from: 'outside', ...(outsideTo ? { toAddress: outsideTo } : {}) });
    const alone = reachOf(trace);
    out.firewallAlone = { reach: alone, trace };
    const outside = verdicts[0]!;
    if (outside.reach === 'reachable' && alone === 'blocked') {
      const on = binding.hostIp ?? 'every address';
      out.disagreement = `${firewall.name} denies ${port}/${protocol}, but Docker publishes it on ${on}: reachable from any network `
        + `that reaches this host (Docker's DNAT and FORWARD rules run ` +
          `before ${firewall.kind === 'input-rules' ? 'the INPUT rules' : `${firewall.name}'s INPUT rules`})`;
    }
  }
  return out;
}

/** Every binding's exposure (see exposureOf). */
export function exposure(ruleset: FirewallRuleset, opts: ExposureOptions = {}): BindingExposure[] {
  return publishedBindings(ruleset, opts.facts).map((b) => exposureOf(ruleset, b, opts));
}

/** An engine binding as exposure takes it: one per host IP it is published on (`0.0.0.0` and `::` are two). */
export function exposedBindingsOf(container: ContainerModel, binding: PortBinding): ExposedBinding[] {
  const networks = [...new Set(container.endpoints.map((e) => e.networkName))];
  const address = container.endpoints.find((e) => e.ipv4)?.ipv4;
  return binding.hostIps.map((hostIp) => ({
    container: { name: container.name, id: container.id }, hostIp, protocol: binding.protocol, ...(address ? { containerAddress: address } : {}),
    hostPort: binding.hostStart, ...(binding.hostEnd !== binding.hostStart ? { hostPortEnd: binding.hostEnd } : {}),
    containerPort: binding.containerStart, networks,
  }));
}
