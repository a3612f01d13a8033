// `iptables [-t TABLE] -L -n [-v] [-x] [--line-numbers]` output into the model. Columns are found from the header
// row; the `opt` column (`--`) anchors each row, so a rule without a target and long chain names both parse.
import { inferTableFromChains, type RulesetBuilder } from './rulesetBuilder';
import type { SectionReader } from './sectionReader';
import { actionForTarget, deriveNatTarget, parsePortList, parsePortRange } from '../iptablesRule';
import type { Counters, FirewallChain, FirewallFamily, FirewallTable, RuleAction, RuleMatches } from '../model';
import { normalizeProtocol } from '../text';

const chainHeader = /^Chain\s+(\S+)\s+\((?:policy\s+(\S+)(?:\s+(\S+)\s+packets,\s+(\S+)\s+bytes)?|(\d+)\s+references?)\)/;
const suffixes: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/** `535K` → 535000 (approximate). iptables scales by 1000. */
export function parseListCount(text: string): { value: number; approximate: boolean } | undefined {
  const m = /^(\d+)([KMGTP]?)$/.exec(text);
  if (!m) return undefined;
  return m[2] ? { value: Number(m[1]) * suffixes[m[2]]!, approximate: true } : { value: Number(m[1]), approximate: false };
}

function listCounters(p: string, b: string): Counters | undefined {
  const packets = parseListCount(p);
  const bytes = parseListCount(b);
  if (!packets || !bytes) return undefined;
  const c: Counters = { packets: packets.value, bytes: bytes.value };
  if (packets.approximate || bytes.approximate) c.approximate = true;
  return c;
}

const neg = (v: string) => (v.startsWith('!') ? { value: v.slice(1), negated: true } : { value: v, negated: false });

export class IptablesListSection implements SectionReader {
  private table: FirewallTable;
  private chain: FirewallChain | undefined;
  private readonly builtins = new Set<string>();
  private sawDnat = false;
  private sawUserChain = false;
  /** Header layout: whether rows start with `num`, and carry `pkts bytes` and `in out`. */
  private hasNum = false;
  private hasCounters = false;
  private hasInterfaces = false;

  constructor(private readonly b: RulesetBuilder, family: FirewallFamily, tableHint: string | undefined, line: number) {
    b.noteFormat('iptables-L');
    this.table = b.table(family, tableHint ?? `?L${line}`, 'iptables', line);
  }

  /** True when a chain header names a built-in chain this section already has (a second `-L` pasted after). */
  startsNewSection(text: string): boolean {
    const m = chainHeader.exec(text);
    // iptables lists built-in chains first: a built-in one after a user chain, or again, is the next table's
    return !!m && m[2] !== undefined && (this.builtins.has(m[1]!) || this.sawUserChain);
  }

  line(text: string, line: number): boolean {
    if (text.startsWith('Chain ')) {
      const m = chainHeader.exec(text);
      if (!m) { this.b.diagnose(line, 'chain header not understood', text); this.chain = undefined; return true; }
      const chain = this.b.chain(this.table, m[1]!, line);
      if (m[2] !== undefined) {
        chain.builtin = true;
        chain.policy = m[2].toUpperCase();
        this.builtins.add(m[1]!);
        if (m[3] !== undefined) {
          const c = listCounters(m[3], m[4]!);
          if (c) chain.counters = c;
        }
      } else {
        chain.references = Number(m[5]);
        this.sawUserChain = true;
      }
      this.chain = chain;
      return true;
    }
    const first = text.trimStart();
    if (/^(num\s+)?(pkts\s+bytes\s+)?target\s+prot\s+opt/.test(first) || /^(num\s+)?(pkts\s+bytes\s+)?target\s+prot\s+/.test(first)) {
      this.hasNum = first.startsWith('num');
      this.hasCounters = /\bpkts\s+bytes\b/.test(first);
      this.hasInterfaces = /\bin\s+out\b/.test(first);
      return true;
    }
    if (!this.chain) return false;
    this.row(text, line);
    return true;
  }

  private row(text: string, line: number): void {
    const chain = this.chain!;
    // the fixed columns are separated by spaces; what follows `destination` is free text (matches, comment)
    const tokens: string[] = [];
    const starts: number[] = [];
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    const prefix = (this.hasNum ? 1 : 0) + (this.hasCounters ? 2 : 0);
    // fixed columns after target/prot: opt [in out] source destination
    const fixedAfterProt = 1 + (this.hasInterfaces ? 2 : 0) + 2;
    while ((m = re.exec(text))) {
      tokens.push(m[0]);
      starts.push(m.index);
      if (tokens.length >= prefix + 2 + fixedAfterProt + 1) break;
    }
    // find the opt column: `--`, `-f`, `!f`; ip6tables prints it blank, then prot is followed by the interfaces
    let optAt = -1;
    for (let i = prefix + 1; i <= prefix + 2 && i < tokens.length; i++) {
      if (tokens[i] === '--' || tokens[i] === '-f' || tokens[i] === '!f') { optAt = i; break; }
    }
    let protAt: number;
    let afterOpt: number;
    if (optAt >= 0) { protAt = optAt - 1; afterOpt = optAt + 1; } else {
      // no opt column: target? prot in out source destination → decide by count of address-like tokens
      protAt = prefix + 1;
      afterOpt = prefix + 2;
      const looksLikeProto = (t: string | undefined) => !!t && /^(all|tcp|udp|icmp|ipv6-icmp|icmpv6|sctp|udplite|esp|ah|gre|\d+)$/i.test(t);
      if (!looksLikeProto(tokens[protAt]) && looksLikeProto(tokens[prefix])) { protAt = prefix; afterOpt = prefix + 1; }
    }
    const need = afterOpt + (this.hasInterfaces ? 2 : 0) + 2;
    if (tokens.length < need || protAt < prefix) {
      this.b.diagnose(line, `rule row has too few columns for chain ${chain.name}`, text);
      return;
    }
    const matches: RuleMatches = {};
    const action: RuleAction = { kind: 'none' };
    const target = protAt > prefix ? tokens[prefix]! : undefined;
    let counters: Counters | undefined;
    if (this.hasCounters) {
      counters = listCounters(tokens[prefix - 2]!, tokens[prefix - 1]!);
      if (!counters) { this.b.diagnose(line, 'rule counters not understood', text); return; }
    }
    const prot = neg(tokens[protAt]!);
    const protocol = normalizeProtocol(prot.value);
    if (protocol !== 'all' || prot.negated) matches.protocol = { value: protocol, negated: prot.negated };
    let col = afterOpt;
    if (this.hasInterfaces) {
      const inIf = neg(tokens[col++]!);
      const outIf = neg(tokens[col++]!);
      if (inIf.value !== '*') matches.inInterface = inIf;
      if (outIf.value !== '*') matches.outInterface = outIf;
    }
    const src = neg(tokens[col++]!);
    const dst = neg(tokens[col]!);
    const any = (v: string) => v === '0.0.0.0/0' || v === '::/0' || v === 'anywhere';
    if (!any(src.value) || src.negated) matches.source = src;
    if (!any(dst.value) || dst.negated) matches.destination = dst;
    const restStart = starts[col]! + tokens[col]!.length;
    const rest = text.slice(restStart).trim();
    if (target !== undefined) {
      action.target = target;
      action.kind = actionForTarget(target);
      if (action.kind === 'jump') action.chain = target;
    }
    if (rest) this.extras(rest, matches, action);
    deriveNatTarget(action);
    if (action.kind === 'dnat') this.sawDnat = true;
    const rule = { line, text, matches, action, counters };
    this.b.rule(this.table, chain, rule);
  }

  /** The free text after the addresses: `tcp dpt:80`, `ctstate RELATED,ESTABLISHED`, `/* comment *\/`, `to:…`. */
  private extras(rest: string, matches: RuleMatches, action: RuleAction): void {
    let text = rest;
    const open = text.indexOf('/* ');
    if (open >= 0) {
      const close = text.indexOf(' */', open + 3);
      if (close >= 0) {
        matches.comment = text.slice(open + 3, close);
        text = `${text.slice(0, open)} ${text.slice(close + 3)}`;
      }
    }
    const t = text.split(/\s+/).filter(Boolean);
    const unknown: string[] = [];
    const flushUnknown = () => {
      if (unknown.length) { (matches.unknown ??= []).push(unknown.join(' ')); unknown.length = 0; }
    };
    const setOption = (k: string, v: string) => { (action.options ??= {})[k] = v; };
    for (let i = 0; i < t.length; i++) {
      let w = t[i]!;
      let negated = false;
      if (w === '!') { negated = true; w = t[++i] ?? ''; }
      const colon = w.indexOf(':');
      const key = colon > 0 ? w.slice(0, colon) : w;
      const val = colon > 0 ? w.slice(colon + 1) : '';
      if (/^(tcp|udp|sctp|udplite)$/.test(w)) { flushUnknown(); continue; }
      if ((key === 'dpt' || key === 'dpts' || key === 'spt' || key === 'spts') && colon > 0) {
        flushUnknown();
        const v = val.startsWith('!') ? val.slice(1) : val;
        const r = parsePortRange(v);
        if (r) {
          const m = { value: [r], negated: negated || val.startsWith('!') };
          if (key.startsWith('d')) matches.dport = m; else matches.sport = m;
        } else unknown.push(w);
        continue;
      }
      if (w === 'multiport' && /^(dports|sports|ports)$/.test(t[i + 1] ?? '')) {
        flushUnknown();
        const kind = t[i + 1]!;
        let list = t[i + 2] ?? '';
        let n = negated;
        if (list === '!') { n = true; list = t[i + 3] ?? ''; i++; }
        const ranges = parsePortList(list);
        if (ranges) { if (kind === 'sports') matches.sport = { value: ranges, negated: n }; else matches.dport = { value: ranges,
          negated: n }; } else unknown.push(`multiport ${kind} ${list}`);
        i += 2;
        continue;
      }
      if ((w === 'ctstate' || w === 'state') && t[i + 1]) {
        flushUnknown();
        let v = t[++i]!;
        let n = negated;
        if (v === '!') { n = true; v = t[++i] ?? ''; }
        matches.ctstate = { value: v.toUpperCase().split(','), negated: n };
        continue;
      }
      if (w === 'ADDRTYPE' && t[i + 1] === 'match') {
        flushUnknown();
        i += 2;
        while (i < t.length && /^(dst-type|src-type)$/.test(t[i]!)) {
          const which = t[i]!;
          let v = t[i + 1] ?? '';
          let n = false;
          if (v === '!') { n = true; v = t[i + 2] ?? ''; i++; }
          if (v.startsWith('!')) { n = true; v = v.slice(1); }
          const m = { value: v.toUpperCase(), negated: n };
          if (which === 'dst-type') matches.dstType = m; else matches.srcType = m;
          i += 2;
        }
        i--;
        continue;
      }
      if (w === 'match-set' && t[i + 1]) {
        flushUnknown();
        (matches.sets ??= []).push({ name: t[i + 1]!, flags: (t[i + 2] ?? '').split(',').filter(Boolean), negated });
        i += 2;
        continue;
      }
      if (key === 'to' && colon > 0) {
        flushUnknown();
        setOption(action.kind === 'snat' ? 'to-source' : 'to-destination', val);
        continue;
      }
      if ((w === 'masq' || w === 'redir') && t[i + 1] === 'ports:' && t[i + 2]) {
        flushUnknown();
        setOption('to-ports', t[i + 2]!);
        i += 2;
        continue;
      }
      if (w === 'reject-with' && t[i + 1]) {
        flushUnknown();
        setOption('reject-with', t[++i]!);
        continue;
      }
      unknown.push(negated ? `! ${w}` : w);
    }
    flushUnknown();
  }

  /** Names the table from its built-in chains when no `-t` was given. */
  end(): void {
    if (!this.table.name.startsWith('?L')) return;
    const name = inferTableFromChains(this.builtins, this.sawDnat) ?? 'filter';
    this.table = this.b.rename(this.table, name);
  }
}
