// `iptables-save [-c]` / `ip6tables-save` (several tables, `*table … COMMIT`) and `iptables -S [-v]` (one table)
// lines into the model. The dispatcher in parse.ts feeds content lines one at a time.
import { inferTableFromChains, type RulesetBuilder } from './builder';
import { parseRuleOptions } from './iptablesRule';
import type { FirewallFamily, FirewallTable } from './model';
import { tokenize } from './text';

const countersPrefix = /^\[(\d+):(\d+)\]\s+/;

export class IptablesSaveSection {
  private table: FirewallTable | undefined;
  /** Set when rules come without `*table`: an `iptables -S` dump whose table is named at the end. */
  private provisional: FirewallTable | undefined;
  private readonly builtins = new Set<string>();
  private sawDnat = false;

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
    let body = text;
    let counters: { packets: number; bytes: number } | undefined;
    if (c === 91 /* [ */) {
      const m = countersPrefix.exec(text);
      if (!m) return false;
      counters = { packets: Number(m[1]), bytes: Number(m[2]) };
      body = text.slice(m[0].length);
    }
    if (body.charCodeAt(0) !== 45 /* - */) return false;
    const op = body.slice(0, 3);
    if (op === '-A ' || op === '-I ') {
      const tokens = tokenize(body);
      const chainName = tokens[1];
      if (!chainName) { this.b.diagnose(line, 'rule without a chain', text); return true; }
      const table = this.table ?? this.sTable(line);
      const chain = this.b.findChain(table, chainName) ?? this.b.chain(table, chainName, line);
      // `-I CHAIN 3 …` from hand-written dumps: skip the position
      const start = op === '-I ' && /^\d+$/.test(tokens[2] ?? '') ? 3 : 2;
      const parsed = parseRuleOptions(tokens, start);
      for (const p of parsed.problems) this.b.diagnose(line, p, text);
      if (parsed.action.kind === 'dnat') this.sawDnat = true;
      this.b.rule(table, chain, { line, text, matches: parsed.matches, action: parsed.action, counters: counters ?? parsed.counters });
      return true;
    }
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
    const name = inferTableFromChains(this.builtins, this.sawDnat) ?? 'filter';
    this.b.rename(t, name);
  }
}
