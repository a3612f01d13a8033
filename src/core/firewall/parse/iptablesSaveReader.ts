// `iptables-save [-c]` / `ip6tables-save` (several tables, `*table … COMMIT`) and `iptables -S [-v]` (one table)
// lines into the model. parseFirewall.ts feeds content lines one at a time.
import { inferTableFromChains, type RulesetBuilder } from './rulesetBuilder';
import type { SectionReader } from './sectionReader';
import { parseRuleOptions } from '../iptablesRule';
import type { FirewallChain, FirewallFamily, FirewallTable } from '../model';
import { prefixCounters } from '../rule';
import { appendChainStart, chainNameEnd, isNameAt, isWordAgainAt, mayLackAValue, trimmedLineEnd } from '../ruleLineScan';
import { countersPrefixEnd, tokenize } from '../text';

const iptablesTables = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);

export class IptablesSaveSection implements SectionReader {
  private table: FirewallTable | undefined;
  /** Set when rules come without `*table`: an `iptables -S` dump whose table is named at the end. */
  private provisional: FirewallTable | undefined;
  private readonly builtins = new Set<string>();
  /** The chain of the previous rule line: rules come in runs per chain. */
  private lastChain: FirewallChain | undefined;
  private lastTable: FirewallTable | undefined;
  /** How many lines the last `takeRules` took. */
  linesTaken = 0;
  /** Whether chains (`-N`) or rules came yet: `iptables -S` prints its policies before them. */
  private sawBody = false;

  constructor(
    private readonly b: RulesetBuilder,
    private family: FirewallFamily,
    private readonly tableHint: string | undefined,
  ) {}

  setFamily(family: FirewallFamily): void {
    this.family = family;
  }

  /**
   * Whether this line begins another `iptables -S` dump: a policy after chains or rules (`-t nat -S` then `-S`
   * pasted together, without their commands, would otherwise make one table of both).
   */
  startsNewDump(text: string): boolean {
    return !this.table && this.sawBody && text.startsWith('-P ');
  }

  /** Returns false when the line is not iptables-save/-S text (the dispatcher then tries other formats). */
  line(text: string, line: number): boolean {
    const c = text.charCodeAt(0);
    if (c === 42 /* * */) {
      const name = text.slice(1).trim();
      // `*x` alone is no dump: iptables has these tables only
      if (!iptablesTables.has(name)) return false;
      this.b.noteFormat('iptables-save');
      this.table = this.b.table(this.family, name, 'iptables', line);
      return true;
    }
    if (c === 58 /* : */) {
      // `:NAME POLICY [packets:bytes]`, the policy upper case or `-`: a stray `:` line of other text is not taken
      const m = /^:([!-~]+)\s+([A-Z]+|-)(?:\s+\[(\d+):(\d+)\])?$/.exec(text);
      if (!m) return false;
      const table = this.table ?? this.sTable(line);
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
      if (opLetter === 65 && this.lazyRule(text, line, bodyStart + 3)) return true;
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
      this.sawBody = true;
      const name = body.slice(3).trim();
      this.b.chain(this.table ?? this.sTable(line), name, line);
      return true;
    }
    return false;
  }

  /**
   * The fast path: takes the run of plain rule lines (`[p:b] -A CHAIN …`, `-A CHAIN …`) that starts at `source[pos]`
   * (line number `line`) and stores where each lies, making no string (see Rule in rule.ts). Returns where the first
   * line it leaves starts (`pos` when it takes none; past the end when it took the last line); `linesTaken` says how
   * many it took. It leaves every line it is not sure of to `line()`.
   */
  takeRules(source: string, pos: number, line: number): number {
    const n = source.length;
    const firstLine = line;
    let table = this.table ?? this.provisional;
    let chain = table === this.lastTable ? this.lastChain : undefined;
    // the lines of the chain read since it changed: added when it changes again or the lines end
    let count = 0;
    let countFrom = pos;
    // where the previous line had the chain's name, once a line of this call had it
    let nameAt = -1;
    while (pos < n) {
      let newline = source.indexOf('\n', pos);
      if (newline < 0) newline = n;
      const end = trimmedLineEnd(source, pos, newline);
      // a line whose last character is other white space (or not ASCII) is trimmed by `line()`'s trimEnd
      const last = source.charCodeAt(end - 1);
      if (end === pos || last <= 32 || last >= 127) break;
      const nameStart = appendChainStart(source, pos);
      if (nameStart < 0 || mayLackAValue(source, pos, end)) break;
      const sameChain = nameAt >= 0 ? isWordAgainAt(source, nameStart, end, nameAt, chain!.name.length) : !!chain
        && isNameAt(source, nameStart, end, chain.name);
      if (!sameChain) {
        const nameEnd = chainNameEnd(source, nameStart, end);
        if (nameEnd < 0) break;
        if (count) this.b.lazyRules(table!, chain!, line - count, source, countFrom, count);
        count = 0;
        countFrom = pos;
        table ??= this.sTable(line);
        const chainName = source.slice(nameStart, nameEnd);
        chain = this.b.findChain(table, chainName) ?? this.b.chain(table, chainName, line);
        this.lastChain = chain;
        this.lastTable = table;
      }
      nameAt = nameStart;
      count++;
      line++;
      pos = newline + 1;
    }
    if (count) this.b.lazyRules(table!, chain!, line - count, source, countFrom, count);
    this.linesTaken = line - firstLine;
    if (this.linesTaken) this.sawBody = true;
    return pos;
  }

  /** `-A CHAIN …` given as a line of its own (`line()`): lazy like the rules `takeRules` takes, when it can be. */
  private lazyRule(text: string, line: number, nameStart: number): boolean {
    const nameEnd = chainNameEnd(text, nameStart, text.length);
    if (nameEnd < 0 || mayLackAValue(text, 0, text.length)) return false;
    const table = this.table ?? this.sTable(line);
    const name = text.slice(nameStart, nameEnd);
    const chain = this.b.findChain(table, name) ?? this.b.chain(table, name, line);
    this.lastChain = chain;
    this.lastTable = table;
    this.sawBody = true;
    this.b.lazyRule(table, chain, line, text, 0);
    return true;
  }

  /** `-A`/`-I` rules the lazy path leaves: tokenized and parsed now, so their problems are diagnosed in order. */
  private eagerRule(text: string, line: number, bodyStart: number): void {
    const body = bodyStart ? text.slice(bodyStart) : text;
    const tokens = tokenize(body);
    const chainName = tokens[1];
    if (!chainName) { this.b.diagnose(line, 'rule without a chain', text); return; }
    this.sawBody = true;
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
