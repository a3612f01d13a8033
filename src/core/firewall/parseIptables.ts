// `iptables-save [-c]` / `ip6tables-save` (several tables, `*table … COMMIT`) and `iptables -S [-v]` (one table)
// lines into the model. The dispatcher in parse.ts feeds content lines one at a time.
import { inferTableFromChains, prefixCounters, type RulesetBuilder } from './builder';
import { parseRuleOptions } from './iptablesRule';
import type { FirewallChain, FirewallFamily, FirewallTable } from './model';
import { countersPrefixEnd, tokenize } from './text';

/**
 * Whether parsing could report an option without its value: only an option as the last word can lack one (and a
 * quoted last word may hide one). Such rules take the eager path.
 */
function mayLackAValue(text: string, start: number, end: number): boolean {
  let i = end - 1;
  for (; i >= start; i--) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || ch === 9) break;
    if (ch === 34 /* " */) return true;
  }
  const first = text.charCodeAt(i + 1);
  return first === 45 /* - */ || first === 33 /* ! */;
}

export class IptablesSaveSection {
  private table: FirewallTable | undefined;
  /** Set when rules come without `*table`: an `iptables -S` dump whose table is named at the end. */
  private provisional: FirewallTable | undefined;
  private readonly builtins = new Set<string>();
  /** The chain of the previous rule line: rules come in runs per chain. */
  private lastChain: FirewallChain | undefined;
  private lastTable: FirewallTable | undefined;

  constructor(
    private readonly b: RulesetBuilder,
    private family: FirewallFamily,
    private readonly tableHint: string | undefined,
  ) {}

  setFamily(family: FirewallFamily): void {
    this.family = family;
  }

  /** Returns false when the line is not iptables-save/-S text (the dispatcher then tries other formats). */
  line(text: string, line: number): boolean {
    const c = text.charCodeAt(0);
    if (c === 42 /* * */) {
      this.b.noteFormat('iptables-save');
      this.table = this.b.table(this.family, text.slice(1).trim(), 'iptables', line);
      return true;
    }
    if (c === 58 /* : */) {
      const m = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?/.exec(text);
      const table = this.table ?? this.sTable(line);
      if (!m) { this.b.diagnose(line, 'chain line without a policy', text); return true; }
      const chain = this.b.chain(table, m[1]!, line);
      if (m[2] !== '-') {
        chain.builtin = true;
        chain.policy = m[2]!.toUpperCase();
        if (m[3] !== undefined) chain.counters = { packets: Number(m[3]), bytes: Number(m[4]) };
      }
      return true;
    }
    if (text === 'COMMIT') {
      this.table = undefined;
      return true;
    }
    let bodyStart = 0;
    if (c === 91 /* [ */) {
      bodyStart = countersPrefixEnd(text, 0, text.length);
      if (bodyStart < 0) return false;
    }
    if (text.charCodeAt(bodyStart) !== 45 /* - */) return false;
    const opLetter = text.charCodeAt(bodyStart + 1);
    if ((opLetter === 65 /* A */ || opLetter === 73 /* I */) && text.charCodeAt(bodyStart + 2) === 32) {
      if (opLetter === 65 && this.lazyRule(text, 0, text.length, line, bodyStart)) return true;
      this.eagerRule(text, line, bodyStart);
      return true;
    }
    const body = bodyStart ? text.slice(bodyStart) : text;
    const op = body.slice(0, 3);
    if (op === '-P ') {
      const tokens = tokenize(body);
      const table = this.table ?? this.sTable(line);
      const name = tokens[1];
      if (!name || !tokens[2]) { this.b.diagnose(line, 'policy line without a chain or policy', text); return true; }
      const chain = this.b.chain(table, name, line);
      chain.builtin = true;
      chain.policy = tokens[2].toUpperCase();
      this.builtins.add(name);
      if (tokens[3] === '-c') chain.counters = { packets: Number(tokens[4] ?? 0), bytes: Number(tokens[5] ?? 0) };
      return true;
    }
    if (op === '-N ') {
      const name = body.slice(3).trim();
      this.b.chain(this.table ?? this.sTable(line), name, line);
      return true;
    }
    return false;
  }

  /**
   * The fast path for the common line, `[p:b] -A CHAIN …` or `-A CHAIN …`, the trimmed line `source[start, end)`: no
   * string is made for it. False when the line needs `line()` (another kind of line, or a rule `lazyRule` leaves).
   */
  ruleAt(source: string, start: number, end: number, line: number): boolean {
    let bodyStart = start;
    if (source.charCodeAt(start) === 91 /* [ */) {
      bodyStart = countersPrefixEnd(source, start, end);
      // the dispatcher's test for a counters rule: `] -`
      if (bodyStart < 0 || source.charCodeAt(bodyStart - 1) !== 32 || source.charCodeAt(bodyStart - 2) !== 93) return false;
    }
    if (source.charCodeAt(bodyStart) !== 45 /* - */ || source.charCodeAt(bodyStart + 1) !== 65 /* A */ || source.charCodeAt(bodyStart + 2) !== 32) return false;
    return this.lazyRule(source, start, end, line, bodyStart);
  }

  /**
   * `-A CHAIN …` with a plain chain name and options that cannot be missing a value: stores where the rule lies, for
   * parsing on first read (see Rule in builder.ts). False when the rule needs the careful path.
   */
  private lazyRule(source: string, start: number, end: number, line: number, bodyStart: number): boolean {
    const nameStart = bodyStart + 3;
    let nameEnd = nameStart;
    for (; nameEnd < end; nameEnd++) {
      const ch = source.charCodeAt(nameEnd);
      if (ch === 32 || ch === 9) break;
      if (ch === 34 /* " */) return false;
    }
    if (nameEnd === nameStart || mayLackAValue(source, start, end)) return false;
    const table = this.table ?? this.sTable(line);
    let chain = this.lastChain;
    if (!chain || table !== this.lastTable || chain.name.length !== nameEnd - nameStart || !source.startsWith(chain.name, nameStart)) {
      const name = source.slice(nameStart, nameEnd);
      chain = this.b.findChain(table, name) ?? this.b.chain(table, name, line);
      this.lastChain = chain;
      this.lastTable = table;
    }
    this.b.lazyRule(table, chain, line, source, start, end);
    return true;
  }

  /** `-A`/`-I` rules the lazy path leaves: tokenized and parsed now, so their problems are diagnosed in order. */
  private eagerRule(text: string, line: number, bodyStart: number): void {
    const body = bodyStart ? text.slice(bodyStart) : text;
    const tokens = tokenize(body);
    const chainName = tokens[1];
    if (!chainName) { this.b.diagnose(line, 'rule without a chain', text); return; }
    const table = this.table ?? this.sTable(line);
    const chain = this.b.findChain(table, chainName) ?? this.b.chain(table, chainName, line);
    // `-I CHAIN 3 …` from hand-written dumps: skip the position
    const start = body.charCodeAt(1) === 73 /* I */ && /^\d+$/.test(tokens[2] ?? '') ? 3 : 2;
    const parsed = parseRuleOptions(tokens, start);
    for (const p of parsed.problems) this.b.diagnose(line, p, text);
    const counters = bodyStart ? prefixCounters(text) : undefined;
    this.b.rule(table, chain, { line, text, matches: parsed.matches, action: parsed.action, counters: counters ?? parsed.counters });
  }

  private sTable(line: number): FirewallTable {
    if (!this.provisional) {
      this.b.noteFormat('iptables-S');
      this.provisional = this.b.table(this.family, this.tableHint ?? `?S${line}`, 'iptables', line);
    }
    return this.provisional;
  }

  /** Names an `iptables -S` table from its built-in chains when no `-t` was seen. */
  end(): void {
    const t = this.provisional;
    if (!t || !t.name.startsWith('?S')) return;
    // DNAT rules say nat when the built-in chains do not: only then are the rules read
    const name = inferTableFromChains(this.builtins, () => t.chains.some((c) => c.rules.some((r) => r.action.kind === 'dnat'))) ?? 'filter';
    this.b.rename(t, name);
  }
}
