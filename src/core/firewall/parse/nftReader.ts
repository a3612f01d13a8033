// `nft list ruleset` / `nft list table …` text into the model: tables, base chains with hooks, verdict maps and
// sets, rules with the selectors Docker and iptables-nft use. Unknown expressions are kept verbatim.
import { parseAddressPort } from '../addressPort';
import type { RulesetBuilder } from './rulesetBuilder';
import type { SectionReader } from './sectionReader';
import { parsePortRange } from '../iptablesRule';
import type {
  Counters, FirewallChain, FirewallFamily, FirewallTable, NftMap, RuleAction, RuleMatches,
} from '../model';
import type { PortInterval } from '../../net/portInterval';
import { normalizeProtocol } from '../text';

const families: Record<string, FirewallFamily> = { ip: 'ipv4', ip6: 'ipv6', inet: 'inet', arp: 'arp', bridge: 'bridge', netdev: 'netdev' };
const priorities: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100, out: 100 };

export function nftPriority(text: string): number | undefined {
  const m = /^(-?\d+)$|^([a-z]+)(?:\s*([+-])\s*(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  if (m[1] !== undefined) return Number(m[1]);
  const base = priorities[m[2]!];
  if (base === undefined) return undefined;
  return m[3] ? base + (m[3] === '-' ? -1 : 1) * Number(m[4]) : base;
}

/** Tokens of one nft statement: words, quoted strings (quotes removed, marked), `{ … }` groups as one token. */
function nftTokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === ';') { i++; continue; }
    if (c === '"') {
      let s = '';
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) { s += text[i + 1]; i += 2; continue; }
        s += text[i++];
      }
      i++;
      out.push(`"${s}`);
      continue;
    }
    if (c === '{') {
      let depth = 0;
      const start = i;
      while (i < n) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}' && --depth === 0) { i++; break; }
        i++;
      }
      out.push(text.slice(start, i));
      continue;
    }
    const start = i;
    while (i < n && text[i] !== ' ' && text[i] !== '\t' && text[i] !== ';') i++;
    out.push(text.slice(start, i));
  }
  return out;
}

const unquote = (t: string) => (t.startsWith('"') ? t.slice(1) : t);
const groupItems = (t: string) => (t.startsWith('{') ? t.slice(1, -1).split(',').map((s) => unquote(s.trim().replace(/^"|"$/g, ''))).filter(Boolean)
  : [unquote(t)]);

function ports(t: string): PortInterval[] | undefined {
  const out: PortInterval[] = [];
  for (const item of groupItems(t)) {
    const r = parsePortRange(item);
    if (!r) return undefined;
    out.push(r);
  }
  return out;
}

export interface NftRuleParse {
  matches: RuleMatches;
  action: RuleAction;
  counters?: Counters;
}

/** Parses one nft rule statement. */
export function parseNftRule(text: string): NftRuleParse {
  const t = nftTokens(text);
  const matches: RuleMatches = {};
  const action: RuleAction = { kind: 'none' };
  let counters: Counters | undefined;
  const unknown: string[] = [];
  const flush = () => { if (unknown.length) { (matches.unknown ??= []).push(unknown.join(' ')); unknown.length = 0; } };
  const n = t.length;
  let i = 0;
  /** Reads `[op] value` at i; returns the value token and negation. */
  const operand = (): { value: string; negated: boolean } | undefined => {
    let negated = false;
    if (t[i] === '!=' || t[i] === 'ne') { negated = true; i++; } else if (t[i] === '==' || t[i] === 'eq') i++;
    const v = t[i];
    if (v === undefined) return undefined;
    i++;
    return { value: v, negated };
  };
  const address = (field: 'source' | 'destination') => {
    const o = operand();
    if (!o) return;
    if (o.value.startsWith('@')) (matches.sets ??= []).push({ name: o.value.slice(1), flags: [field === 'source' ? 'src' : 'dst'], negated: o.negated });
    else matches[field] = { value: groupItems(o.value).join(','), negated: o.negated };
  };
  const iface = (field: 'inInterface' | 'outInterface', key: 'iifname' | 'oifname') => {
    if (t[i] === 'vmap') {
      action.kind = 'vmap';
      action.target = 'vmap';
      action.vmap = { key, map: (t[i + 1] ?? '').replace(/^@/, '') };
      i += 2;
      return;
    }
    const o = operand();
    if (o) matches[field] = { value: groupItems(o.value).join(','), negated: o.negated };
  };
  while (i < n) {
    const w = t[i]!;
    const start = i;
    i++;
    switch (w) {
      case 'iifname': case 'iif': flush(); iface('inInterface', 'iifname'); continue;
      case 'oifname': case 'oif': flush(); iface('outInterface', 'oifname'); continue;
      case 'meta': {
        const k = t[i];
        if (k === 'iifname' || k === 'oifname') { flush(); i++; iface(k === 'iifname' ? 'inInterface' : 'outInterface', k); continue; }
        if (k === 'l4proto') {
          flush(); i++;
          const o = operand();
          if (o) matches.protocol = { value: normalizeProtocol(unquote(o.value)), negated: o.negated };
          continue;
        }
        break;
      }
      case 'ip': case 'ip6': {
        const k = t[i];
        if (k === 'saddr' || k === 'daddr') { flush(); i++; address(k === 'saddr' ? 'source' : 'destination'); continue; }
        if (k === 'protocol' || k === 'nexthdr') {
          flush(); i++;
          const o = operand();
          if (o) matches.protocol = { value: normalizeProtocol(o.value), negated: o.negated };
          continue;
        }
        break;
      }
      case 'tcp': case 'udp': case 'sctp': case 'udplite': case 'th': {
        const k = t[i];
        if (k === 'dport' || k === 'sport') {
          flush(); i++;
          if (w !== 'th') matches.protocol = { value: w, negated: false };
          const o = operand();
          const r = o && ports(o.value);
          if (o && r) matches[k === 'dport' ? 'dport' : 'sport'] = { value: r, negated: o.negated };
          else if (o) unknown.push(`${w} ${k} ${o.value}`);
          continue;
        }
        break;
      }
      case 'ct': {
        if (t[i] === 'state') {
          flush(); i++;
          const o = operand();
          if (o) matches.ctstate = { value: groupItems(o.value).flatMap((s) => s.split(',')).map((s) => s.trim().toUpperCase()), negated: o.negated };
          continue;
        }
        if (t[i] === 'status') {
          flush(); i++;
          const o = operand();
          if (o) matches.ctStatus = { value: groupItems(o.value).flatMap((s) => s.split(',')).map((s) => s.trim().toUpperCase()), negated: o.negated };
          continue;
        }
        break;
      }
      case 'fib': {
        // fib daddr type [!=] local / fib saddr type local
        if ((t[i] === 'daddr' || t[i] === 'saddr') && t[i + 1] === 'type') {
          flush();
          const which = t[i];
          i += 2;
          const o = operand();
          if (o) matches[which === 'daddr' ? 'dstType' : 'srcType'] = { value: o.value.toUpperCase(), negated: o.negated };
          continue;
        }
        break;
      }
      case 'counter': {
        flush();
        if (t[i] === 'packets' && t[i + 2] === 'bytes') {
          counters = { packets: Number(t[i + 1]), bytes: Number(t[i + 3]) };
          i += 4;
        } else counters ??= undefined;
        continue;
      }
      case 'comment': {
        flush();
        matches.comment = unquote(t[i] ?? '');
        i++;
        continue;
      }
      case 'accept': case 'drop': case 'return': case 'continue': {
        flush();
        action.kind = w === 'continue' ? 'none' : w;
        action.target = w;
        continue;
      }
      case 'reject': {
        flush();
        action.kind = 'reject';
        action.target = w;
        if (t[i] === 'with') { (action.options ??= {})['reject-with'] = t.slice(i + 1, i + 3).join(' '); i += 3; }
        continue;
      }
      case 'jump': case 'goto': {
        flush();
        action.kind = w;
        action.target = w;
        action.chain = unquote(t[i] ?? '');
        i++;
        continue;
      }
      case 'dnat': case 'snat': case 'redirect': case 'masquerade': {
        flush();
        action.kind = w;
        action.target = w;
        if (t[i] === 'ip' || t[i] === 'ip6') i++;
        if (t[i] === 'to') {
          const to = t[i + 1] ?? '';
          (action.options ??= {}).to = to;
          const ap = parseAddressPort(to);
          if (ap.address) action.toAddress = ap.address;
          if (ap.ports) action.toPorts = ap.ports;
          i += 2;
        }
        while (i < n && /^(random|fully-random|persistent)$/.test(t[i]!)) (action.options ??= {})[t[i++]!] = '';
        continue;
      }
      case 'log': {
        flush();
        if (action.kind === 'none') { action.kind = 'log'; action.target = 'log'; }
        while (i < n && /^(prefix|level|group|snaplen|queue-threshold|flags)$/.test(t[i]!)) {
          (action.options ??= {})[t[i]!] = unquote(t[i + 1] ?? '');
          i += 2;
        }
        continue;
      }
      default:
        break;
    }
    // not understood: keep the word verbatim (grouped with its neighbours until something known)
    i = start + 1;
    unknown.push(w.startsWith('"') ? JSON.stringify(w.slice(1)) : w);
  }
  flush();
  const out: NftRuleParse = { matches, action };
  if (counters) out.counters = counters;
  return out;
}

type Block =
  | { kind: 'table'; table: FirewallTable } | { kind: 'chain'; chain: FirewallChain } | { kind: 'map'; map: NftMap; pending: string }
  | { kind: 'skip'; depth: number };

/** A `table FAMILY NAME { … }` block, fed line by line; `done` turns true at its closing brace. */
export class NftSection implements SectionReader {
  private readonly stack: Block[] = [];
  private table!: FirewallTable;
  readonly takesEveryLine = true;
  done = false;

  constructor(private readonly b: RulesetBuilder) {
    b.noteFormat('nft');
  }

  static isStart(text: string): boolean {
    return text.startsWith('table ') && text.endsWith('{');
  }

  line(raw: string, line: number): boolean {
    this.takeLine(raw, line);
    return true;
  }

  /** A table not closed when the text ends is one problem at the last line. */
  end(line: number): void {
    if (!this.done) this.b.diagnose(line, 'nft table not closed', '');
  }

  private takeLine(raw: string, line: number): void {
    const text = raw.trim();
    if (!text) return;
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      const m = /^table\s+(\S+)\s+(\S+)\s*\{$/.exec(text);
      if (!m) { this.b.diagnose(line, 'expected a table', raw); return; }
      const family = families[m[1]!];
      if (!family) this.b.diagnose(line, `unknown nft family ${m[1]}`, raw);
      this.table = this.b.table(family ?? 'inet', m[2]!, 'nft', line);
      this.stack.push({ kind: 'table', table: this.table });
      return;
    }
    if (top.kind === 'skip') {
      for (const ch of text) { if (ch === '{') top.depth++; else if (ch === '}') top.depth--; }
      if (top.depth <= 0) this.stack.pop();
      return;
    }
    if (top.kind === 'map') {
      this.mapLine(top, text, line);
      return;
    }
    if (text === '}') {
      this.stack.pop();
      if (!this.stack.length) this.done = true;
      return;
    }
    if (top.kind === 'table') {
      const m = /^(chain|map|set)\s+(\S+)\s*\{$/.exec(text);
      if (m && m[1] === 'chain') {
        const chain = this.b.chain(this.table, m[2]!, line);
        this.stack.push({ kind: 'chain', chain });
      } else if (m) {
        const map: NftMap = { name: m[2]!, kind: m[1] as 'map' | 'set', type: '', elements: {}, line };
        this.table.maps.push(map);
        this.stack.push({ kind: 'map', map, pending: '' });
      } else if (text.endsWith('{')) {
        this.stack.push({ kind: 'skip', depth: 1 });
      } else if (!/^(flags|comment)\b/.test(text)) {
        this.b.diagnose(line, 'table statement not understood', raw);
      }
      return;
    }
    // in a chain
    const chain = top.chain;
    if (text.startsWith('type ') && / hook /.test(text)) {
      const m = /^type\s+(\S+)\s+hook\s+(\S+)(?:\s+device\s+\S+)?\s+priority\s+([^;]+);(?:\s*policy\s+(\w+);)?/.exec(text);
      if (!m) { this.b.diagnose(line, 'chain hook not understood', raw); return; }
      const priority = nftPriority(m[3]!);
      if (priority === undefined) this.b.diagnose(line, `unknown chain priority ${m[3]}`, raw);
      chain.builtin = true;
      chain.hook = { type: m[1]!, hook: m[2]!, priority: priority ?? 0 };
      chain.policy = (m[4] ?? 'accept').toUpperCase();
      return;
    }
    if (/^(comment|policy|flags)\b/.test(text) && !/\b(accept|drop|jump|goto|return)\b/.test(text.replace(/"[^"]*"/g, ''))) {
      const pm = /^policy\s+(\w+)/.exec(text);
      if (pm) chain.policy = pm[1]!.toUpperCase();
      return;
    }
    const handle = text.lastIndexOf(' # handle ');
    const body = handle >= 0 ? text.slice(0, handle) : text;
    const parsed = parseNftRule(body);
    this.b.rule(this.table, chain, { line, text: body, matches: parsed.matches, action: parsed.action, counters: parsed.counters });
  }

  private mapLine(top: Extract<Block, { kind: 'map' }>, text: string, line: number): void {
    if (top.pending) {
      top.pending += ` ${text}`;
      if (balanced(top.pending)) { this.elements(top.map, top.pending); top.pending = ''; }
      return;
    }
    if (text === '}') { this.stack.pop(); return; }
    if (text.startsWith('type ')) { top.map.type = text.slice(5).replace(/;$/, ''); return; }
    if (text.startsWith('elements')) {
      if (balanced(text)) this.elements(top.map, text);
      else top.pending = text;
      return;
    }
    if (/^(flags|comment|timeout|size|policy|auto-merge|counter|gc-interval|typeof)\b/.test(text)) return;
    this.b.diagnose(line, `${top.map.kind} statement not understood`, text);
  }

  private elements(map: NftMap, text: string): void {
    const body = text.slice(text.indexOf('{') + 1, text.lastIndexOf('}'));
    for (const part of body.split(',')) {
      const item = part.trim();
      if (!item) continue;
      const colon = item.indexOf(' : ');
      if (colon >= 0) map.elements[item.slice(0, colon).trim().replace(/^"|"$/g, '')] = item.slice(colon + 3).trim();
      else map.elements[item.replace(/^"|"$/g, '')] = '';
    }
  }
}

function balanced(text: string): boolean {
  let d = 0;
  for (const c of text) { if (c === '{') d++; else if (c === '}') d--; }
  return d === 0;
}
