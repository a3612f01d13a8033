// Walks the first packet of a new connection through the ruleset as the kernel would: the base chains of each hook
// in priority order (raw, mangle, nat, filter; nft base chains by their own priority), jumps, gotos, returns,
// verdict maps and policies, DNAT rewriting the destination, routing to a bridge, and docker-proxy for what ends on
// the host. Pure: only the model and plain engine facts.
import { addressInCidr, isLoopback, parseCidr } from '../net/addresses';
import { inferUserlandProxy } from './layout';
import { networkOfAddress } from './link';
import type { FirewallChain, FirewallRule, FirewallRuleset, FirewallTable } from './model';
import { candidateRules } from './chainIndex';
import { actionWords, addressMatches, conntrackStatusFlags, interfaceMatches, nonDeciding, otherProtocolPayload, portMatches } from './traceMatch';
import { baseChains, bridgeOfAddress, containerAt, publishedTarget, topologyOf, type Topology } from './traceTopology';
import type { Hook, StepEffect, TraceRequest, TraceResult, TraceStep, TraceVerdict } from './traceTypes';

export type { Hook, StepEffect, TraceRequest, TraceResult, TraceStep, TraceVerdict, VerdictKind } from './traceTypes';

interface Packet {
  family: 'ipv4' | 'ipv6';
  protocol: string;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  inIf: string;
  outIf: string;
  srcLocal: boolean;
  dstLocal: boolean;
  dnat?: { ruleId: string; address: string; port: number };
  /** Where the connection was first made to, before any DNAT (conntrack's original direction). */
  origDst: string;
  origDport: number;
}

export const STAND_IN_HOST = '198.51.100.10';
const STAND_IN_REMOTE = '203.0.113.7';
const STAND_IN_REMOTE_V6 = '2001:db8:ffff::7';
const MAX_DEPTH = 64;
/** A bound on the work of one trace whatever the rules: a real path takes a few dozen steps. */
export const MAX_STEPS = 250_000;

type WalkResult = { kind: 'accept' | 'drop' | 'reject' | 'end' | 'return'; ruleId?: string };

class Tracer {
  readonly steps: TraceStep[] = [];
  readonly assumptions: string[] = [];
  /** Set when a rule that could have changed the verdict could not be evaluated (see TraceResult.undetermined). */
  undetermined = false;
  /** Rules that decide (ACCEPT, DROP, a jump, …) whose matches could not be evaluated: judged against the verdict. */
  readonly unevaluatedDeciders: Array<{ rule: FirewallRule; unknown: string }> = [];
  /**
   * Chains walked through to their end (or a RETURN) while one base chain is walked, with the packet as it is then.
   * Until a rule decides, nothing changes the packet (NAT decides), so walking such a chain again would give the same
   * steps and no verdict: chains that jump twice to the same chain, 20 deep, made 2^20 steps (800 MB) before.
   */
  private walked = new Set<FirewallChain>();
  /**
   * Set while a walk is cut short by MAX_DEPTH: such a walk depends on its depth, so only the least depth it was cut
   * from is remembered (entered as deep or deeper, it is cut again; a chain that jumps to itself twice made 2^64).
   */
  private depthCut = false;
  private cutFrom = new Map<FirewallChain, number>();
  /** Set once MAX_STEPS steps are taken: every walk then ends at once. */
  private stepsCut = false;
  private readonly chainsByTable = new Map<FirewallTable, Map<string, FirewallChain>>();
  private readonly topology: Topology;
  private readonly sets = new Map<string, string[]>();
  /** The host's addresses on its bridges: connections to them are local, not routed to a container. */
  private readonly gateways: Map<string, string>;

  constructor(private readonly ruleset: FirewallRuleset, private readonly req: TraceRequest, private readonly hostAddress: string) {
    for (const t of ruleset.tables) this.chainsByTable.set(t, new Map(t.chains.map((c) => [c.name, c])));
    this.topology = topologyOf(ruleset, req.facts);
    this.gateways = this.topology.gateways;
    this.sets.set('docker-ext-bridges-v4', this.topology.extBridges.ipv4);
    this.sets.set('docker-ext-bridges-v6', this.topology.extBridges.ipv6);
  }

  /** Loopback, or the address the connection is made to unless that lies in a bridge's subnet (a container). */
  isLocal(address: string): boolean {
    if (isLoopback(address)) return true;
    const gateway = this.gateways.get(address);
    if (gateway !== undefined) {
      if (gateway) this.assume(gateway);
      return true;
    }
    return address === this.hostAddress && bridgeOfAddress(this.topology, address) === undefined;
  }

  private assume(text: string): void {
    if (!this.assumptions.includes(text)) this.assumptions.push(text);
  }

  /** The interface a packet to `address` leaves by: the bridge of its subnet, `lo`, or the outside interface. */
  route(address: string): string {
    if (this.isLocal(address)) return 'lo';
    return bridgeOfAddress(this.topology, address) ?? (this.req.inInterface ?? 'eth0');
  }

  /** Runs one hook; returns the terminal verdict when a rule or policy drops or rejects. */
  hook(hook: Hook, p: Packet): { kind: 'dropped' | 'rejected'; ruleId?: string } | undefined {
    for (const base of baseChains(this.ruleset, hook, p.family)) {
      // nat chains see only the first packet of a connection, which is what is traced; once NAT is done for a
      // direction, later nat chains of the same hook are not consulted
      this.walked = new Set();
      this.cutFrom = new Map();
      const r = this.walk(hook, base.table, base.chain, p, 0);
      if (r.kind === 'drop' || r.kind === 'reject') return { kind: r.kind === 'drop' ? 'dropped' : 'rejected', ...(r.ruleId ? { ruleId: r.ruleId } : {}) };
      if (r.kind === 'end' || r.kind === 'return') {
        const policy = base.chain.policy ?? 'ACCEPT';
        if (policy === 'DROP' || policy === 'REJECT') {
          this.steps.push({ hook, table: base.table.name, chain: base.chain.name, effect: 'policy',
            text: `policy ${policy} of ${base.table.name} ${base.chain.name}` });
          return { kind: policy === 'DROP' ? 'dropped' : 'rejected' };
        }
        if (base.chain.rules.length || base.chain.owner !== 'system') {
          this.steps.push({ hook, table: base.table.name, chain: base.chain.name, effect: 'policy',
            text: `no rule decided: policy ${policy} of ${base.table.name} ${base.chain.name}` });
        }
      }
    }
    return undefined;
  }

  /** Walks into `target` from a jump (or verdict map) at depth `depth`, or says it was walked before for this packet. */
  private enter(hook: Hook, table: FirewallTable, target: FirewallChain, p: Packet, depth: number, step: (text: string) => void, text: string): WalkResult {
    if (this.walked.has(target) || depth >= (this.cutFrom.get(target) ?? Infinity)) {
      step(`${text} (walked before for this packet: no verdict there; not repeated)`);
      return { kind: 'end' };
    }
    step(text);
    const cutBefore = this.depthCut;
    this.depthCut = false;
    const sub = this.walk(hook, table, target, p, depth);
    if (sub.kind === 'end' || sub.kind === 'return') {
      if (!this.depthCut) this.walked.add(target);
      else this.cutFrom.set(target, Math.min(depth, this.cutFrom.get(target) ?? Infinity));
    }
    this.depthCut ||= cutBefore;
    return sub;
  }

  private walk(hook: Hook, table: FirewallTable, chain: FirewallChain, p: Packet, depth: number): WalkResult {
    if (depth > MAX_DEPTH) {
      this.assume(`jumps nested deeper than ${MAX_DEPTH} at ${chain.name}: stopped following`);
      this.depthCut = true;
      return { kind: 'end' };
    }
    const step = (r: FirewallRule | undefined, effect: StepEffect, text: string) =>
      this.steps.push({ hook, table: table.name, chain: chain.name, ...(r ? { ruleId: r.id } : {}), effect, text });
    for (const r of candidateRules(chain, p.dst, p.dport)) {
      if (this.steps.length >= MAX_STEPS) {
        if (!this.stepsCut) this.assume(`the trace stopped after ${MAX_STEPS} steps: the rules after that were not followed`);
        this.stepsCut = true;
        return { kind: 'end' };
      }
      const m = this.matches(r, p);
      if (m === false) continue;
      if (m === 'unevaluated') {
        const unknown = (r.matches.unknown ?? []).join(' ') || 'unknown set';
        step(r, 'unevaluated', `assumed not to match: ${unknown}`);
        if (!nonDeciding.has(r.action.kind)) this.unevaluatedDeciders.push({ rule: r, unknown });
        continue;
      }
      const a = r.action;
      switch (a.kind) {
        case 'accept': step(r, 'accept', 'ACCEPT'); return { kind: 'accept', ruleId: r.id };
        case 'drop': step(r, 'drop', 'DROP'); return { kind: 'drop', ruleId: r.id };
        case 'reject': step(r, 'reject', 'REJECT'); return { kind: 'reject', ruleId: r.id };
        case 'return': step(r, 'return', `RETURN from ${chain.name}`); return { kind: 'return' };
        case 'jump': case 'goto': {
          const target = this.chainsByTable.get(table)!.get(a.chain ?? '');
          if (!target) { step(r, 'continue',
            `${a.kind} to ${a.chain}, which is not in the dump: skipped`); this.assume(`chain ${a.chain} is not in the dump`); continue; }
          const sub = this.enter(hook, table, target, p, depth + 1, (text) => step(r, a.kind as StepEffect, text), `${a.kind} to ${target.name}`);
          if (sub.kind === 'accept' || sub.kind === 'drop' || sub.kind === 'reject') return sub;
          if (a.kind === 'goto') return { kind: 'return' };
          continue;
        }
        case 'vmap': {
          const key = a.vmap!.key === 'iifname' ? p.inIf : p.outIf;
          const map = table.maps.find((x) => x.name === a.vmap!.map);
          const verdict = map?.elements[key];
          if (!verdict) { step(r, 'continue', `${a.vmap!.key} ${key || '(none)'} is not in @${a.vmap!.map}`); continue; }
          const [kind, name] = verdict.split(/\s+/);
          if (kind === 'jump' || kind === 'goto') {
            const target = this.chainsByTable.get(table)!.get(name ?? '');
            if (!target) { step(r, 'continue', `@${a.vmap!.map} → ${verdict}: chain not in the dump`); continue; }
            const sub = this.enter(hook, table, target, p, depth + 1, (text) => step(r, 'vmap', text), `${a.vmap!.key} ${key} → ${verdict}`);
            if (sub.kind === 'accept' || sub.kind === 'drop' || sub.kind === 'reject') return sub;
            if (kind === 'goto') return { kind: 'return' };
            continue;
          }
          if (kind === 'accept' || kind === 'drop') { step(r, kind, `${a.vmap!.key} ${key} → ${kind}`); return { kind, ruleId: r.id }; }
          continue;
        }
        case 'dnat': case 'redirect': {
          if (a.kind === 'dnat' && a.toAddress === undefined && a.toPorts === undefined) {
            // nft -j shows iptables-nft's DNAT by name only: where the packet goes next is not in the dump
            this.undetermined = true;
            this.noteOnce(`the destination of DNAT rule ${r.id} is not in the dump (nft -j shows iptables-nft's DNAT by name only; `
              + '`nft list ruleset` or iptables-save shows it): the packet is followed as if it kept its destination');
          }
          const address = a.kind === 'redirect' ? (p.family === 'ipv4' ? '127.0.0.1' : '::1') : (a.toAddress ?? p.dst);
          const port = a.toPorts?.start ?? p.dport;
          step(r, a.kind, `${a.kind.toUpperCase()} ${p.dst}:${p.dport} → ${address}:${port}`);
          p.dnat = { ruleId: r.id, address, port };
          p.dst = address;
          p.dport = port;
          p.dstLocal = a.kind === 'redirect' || this.isLocal(address);
          if (hook === 'output') p.outIf = this.route(address);
          return { kind: 'accept', ruleId: r.id };
        }
        case 'masquerade': case 'snat':
          step(r, a.kind, a.kind === 'masquerade' ? `MASQUERADE: source ${p.src} becomes the address of ${p.outIf}` : `SNAT to ${a.toAddress ?? '?'}`);
          return { kind: 'accept', ruleId: r.id };
        default:
          // LOG, MARK, counting-only and other non-terminating targets
          step(r, 'continue', `${a.target ?? 'no target'} (does not decide)`);
          continue;
      }
    }
    return { kind: 'end' };
  }

  /** true / false, or `unevaluated` when every known match holds but the rule has matches the tracer cannot judge. */
  private matches(r: FirewallRule, p: Packet): boolean | 'unevaluated' {
    const m = r.matches;
    if (m.protocol && m.protocol.value !== 'all' && (m.protocol.value === p.protocol) === m.protocol.negated) return false;
    if (m.inInterface && !interfaceMatches(m.inInterface, p.inIf)) return false;
    if (m.outInterface && !interfaceMatches(m.outInterface, p.outIf)) return false;
    if (m.source) {
      const fam = parseCidr(m.source.value.split(',')[0]!.trim())?.family;
      if (fam && fam !== p.family) return false;
      if (!addressMatches(m.source, p.src)) return false;
    }
    if (m.destination) {
      const fam = parseCidr(m.destination.value.split(',')[0]!.trim())?.family;
      if (fam && fam !== p.family) return false;
      if (!addressMatches(m.destination, p.dst)) return false;
    }
    if (m.dport && !portMatches(m.dport, p.dport)) return false;
    if (m.sport && !portMatches(m.sport, p.sport)) return false;
    if (m.ctstate) {
      const states = new Set(m.ctstate.value);
      const hit = states.has('NEW') || (!!p.dnat && states.has('DNAT'));
      if (hit === m.ctstate.negated) return false;
    }
    if (m.ctStatus) {
      // a new connection's first packet: only DNAT (done in prerouting or output) can be set yet
      const known = m.ctStatus.value.every((f) => conntrackStatusFlags.has(f));
      if (!known) return 'unevaluated';
      const hit = m.ctStatus.value.some((f) => f === 'DNAT' && !!p.dnat);
      if (hit === m.ctStatus.negated) return false;
    }
    if (m.ctOrigDst && !addressMatches(m.ctOrigDst, p.origDst)) return false;
    if (m.ctOrigDport && !portMatches(m.ctOrigDport, p.origDport)) return false;
    // a new connection's first packet goes the original way
    if (m.ctDir === 'REPLY') return false;
    if (m.dstType && this.addrType(m.dstType.value, p.dstLocal) === m.dstType.negated) return false;
    if (m.srcType && this.addrType(m.srcType.value, p.srcLocal) === m.srcType.negated) return false;
    let unevaluated = false;
    for (const s of m.sets ?? []) {
      const members = this.sets.get(s.name);
      if (!members) { unevaluated = true; this.noteOnce(`set ${s.name} has unknown members: rules using it are assumed not to match`); continue; }
      const useSrc = (s.flags[0] ?? 'dst') === 'src';
      const hit = members.some((c) => addressInCidr(useSrc ? p.src : p.dst, c));
      if (hit === s.negated) return false;
    }
    if (m.unknown?.length) {
      // an nft payload match implies its protocol (`icmpv6 type …` is `meta l4proto ipv6-icmp icmpv6 type …`)
      if (m.unknown.some((u) => otherProtocolPayload(u, p.protocol))) return false;
      unevaluated = true;
    }
    return unevaluated ? 'unevaluated' : true;
  }

  private addrType(type: string, local: boolean): boolean {
    if (type === 'LOCAL') return local;
    if (type === 'UNICAST') return true;
    return false;
  }

  /** Whether a rule taken not to match could have changed `verdict` (a DROP before a drop could not); says which. */
  settleUnevaluated(verdict: TraceVerdict): void {
    const stopped = verdict.kind === 'dropped' || verdict.kind === 'rejected';
    for (const { rule, unknown } of this.unevaluatedDeciders) {
      if (stopped && (rule.action.kind === 'drop' || rule.action.kind === 'reject')) continue;
      this.undetermined = true;
      this.noteOnce(`rule ${rule.id} could not be evaluated (${unknown}) and was taken not to match; had it matched, it would ${actionWords(rule.action)}`);
    }
  }

  private noteOnce(text: string): void {
    if (!this.assumptions.includes(text)) this.assumptions.push(text);
  }
}

/** Traces one new connection; see TraceRequest. */
export function traceConnection(ruleset: FirewallRuleset, req: TraceRequest): TraceResult {
  const fromLocal = req.from === 'localhost';
  const fromOutside = req.from === 'outside';
  const defaultHost = fromLocal ? '127.0.0.1' : STAND_IN_HOST;
  const hostAddress = req.toAddress ?? defaultHost;
  const family = parseCidr(hostAddress)?.family ?? 'ipv4';
  const tracer = new Tracer(ruleset, req, fromLocal && !req.toAddress ? STAND_IN_HOST : hostAddress);
  if (!req.toAddress
    && !fromLocal) tracer.assumptions.push(`the host is reached at a stand-in address ${STAND_IN_HOST} (give the real one with toAddress, or --to in the CLI)`);
  const src = fromLocal ? (family === 'ipv4' ? '127.0.0.1' : '::1') : fromOutside ? (family === 'ipv4' ? STAND_IN_REMOTE : STAND_IN_REMOTE_V6) : req.from;
  if (!fromLocal && !fromOutside && !parseCidr(src)) {
    return { steps: [], assumptions: [], verdict: { kind: 'dropped', text: `"${req.from}" is not outside, localhost or an IP address` } };
  }
  let inIf = req.inInterface ?? 'eth0';
  if (!fromLocal && !fromOutside) {
    const net = req.facts ? networkOfAddress(req.facts, src) : undefined;
    inIf = net?.bridgeName ?? tracer.route(src);
    if (inIf === (req.inInterface ?? 'eth0')) tracer.assumptions.push(`no bridge is known for ${src}: it is treated as arriving from outside`);
  }
  const p: Packet = {
    family, protocol: req.protocol, src, dst: hostAddress, sport: 40000, dport: req.port, origDst: hostAddress, origDport: req.port,
    inIf: fromLocal ? '' : inIf, outIf: fromLocal ? tracer.route(hostAddress) : '',
    srcLocal: fromLocal, dstLocal: tracer.isLocal(hostAddress),
  };
  const steps = tracer.steps;
  const end = (verdict: TraceVerdict): TraceResult => {
    tracer.settleUnevaluated(verdict);
    return { steps, verdict, assumptions: tracer.assumptions, ...(tracer.undetermined ? { undetermined: true as const } : {}) };
  };
  // `dropped in raw PREROUTING`, `dropped in FORWARD (filter DOCKER)`: the hook, and the table and chain that decided
  const stopped = (r: { kind: 'dropped' | 'rejected'; ruleId?: string }, where: string) => {
    const last = steps[steps.length - 1];
    const place = !last?.table ? where : last.chain === where ? `${last.table} ${where}` : `${where} (${last.table} ${last.chain})`;
    return end({ kind: r.kind, text: `${r.kind === 'dropped' ? 'dropped' : 'rejected'} in ${place}${r.ruleId ? '' : ' by the chain policy'}`,
      ...(r.ruleId ? { ruleId: r.ruleId } : {}) });
  };

  if (fromLocal) {
    const out = tracer.hook('output', p);
    if (out) return stopped(out, 'OUTPUT');
  } else {
    const pre = tracer.hook('prerouting', p);
    if (pre) return stopped(pre, 'PREROUTING');
  }
  if (!p.dstLocal) {
    p.outIf = tracer.route(p.dst);
    steps.push({ hook: 'routing', table: '', chain: '', effect: 'route', text: `${p.dst} is routed to ${p.outIf}` });
    if (!fromLocal) {
      const fwd = tracer.hook('forward', p);
      if (fwd) return stopped(fwd, 'FORWARD');
    }
    const post = tracer.hook('postrouting', p);
    if (post) return stopped(post, 'POSTROUTING');
    const container = containerAt(req.facts, p.dst);
    if (fromLocal) tracer.assumptions.push('from 127.0.0.1 to a bridge needs route_localnet=1 on it (Docker sets it with userland-proxy=false)');
    const isContainer = !!container || !!p.dnat;
    return end({
      kind: isContainer ? 'container' : 'routed-out',
      text: isContainer ? `reaches ${container ? `container ${container.name}` : 'the container'} at ${p.dst}:${p.dport}`
        : `leaves by ${p.outIf} to ${p.dst}:${p.dport}`,
      ...(container ? { container } : {}), address: p.dst, port: p.dport, ...(p.dnat ? { ruleId: p.dnat.ruleId } : {}),
    });
  }
  // delivered to the host itself
  if (fromLocal) {
    const post = tracer.hook('postrouting', p);
    if (post) return stopped(post, 'POSTROUTING');
    p.inIf = 'lo';
  }
  const input = tracer.hook('input', p);
  if (input) return stopped(input, 'INPUT');
  const published = publishedTarget(ruleset, req, family, hostAddress);
  const proxy = req.userlandProxy ?? inferUserlandProxy(ruleset).state;
  if (published && proxy !== 'off') {
    const container = published.address ? containerAt(req.facts, published.address) : undefined;
    if (proxy === 'unknown') tracer.assumptions.push('the userland proxy is taken to be on (the default); the rules do not say');
    return end({
      kind: 'docker-proxy',
      text: `handled by docker-proxy listening on ${req.protocol}/${req.port}, which connects ` +
        `to ${container ? `container ${container.name} at ` : ''}${published.address ?? '?'}:${published.port ?? '?'}`,
      ...(container ? { container } : {}), ...(published.address ? { address: published.address } : {}),
      ...(published.port !== undefined ? { port: published.port } : {}), ...(published.ruleId ? { ruleId: published.ruleId } : {}),
    });
  }
  // e.g. Engine 28.5 maps a routed network's port on `::` only
  const other = family === 'ipv4' ? 'ipv6' : 'ipv4';
  const otherOnly = !published && publishedTarget(ruleset, req, other, other === 'ipv6' ? '::' : '0.0.0.0');
  return end({
    kind: 'host',
    text: published
      ? `reaches the host on ${req.protocol}/${req.port}; with the userland proxy off nothing of Docker's listens there`
      : otherOnly
        ? `reaches the host on ${req.protocol}/${req.port}; Docker publishes it for ${other === 'ipv6' ? 'IPv6' : 'IPv4'} only (refused unless a host ` +
          `process listens)`
        : `reaches the host on ${req.protocol}/${req.port}; Docker publishes nothing there (refused unless a host process listens)`,
    address: p.dst, port: p.dport,
  });
}
