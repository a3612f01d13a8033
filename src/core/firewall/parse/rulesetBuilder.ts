// Collects tables, chains, rules and diagnostics while a parser walks its text; every parser fills the same model.
import type {
  Counters, FirewallChain, FirewallFamily, FirewallFormat, FirewallRule, FirewallRuleset, FirewallTable,
  IptablesBackend, RuleAction, RuleMatches,
} from '../model';
import { DeferredOwners, Rule, RuleRun } from '../rule';

export class RulesetBuilder {
  readonly tables: FirewallTable[] = [];
  readonly diagnostics: FirewallRuleset['diagnostics'] = [];
  readonly formats: FirewallFormat[] = [];
  readonly backendHints: IptablesBackend[] = [];
  private readonly tableIndex = new Map<string, FirewallTable>();
  private readonly chainIndex = new Map<FirewallTable, Map<string, FirewallChain>>();
  /** The run of rules (see RuleRun) the last rule joined, with its chain and table. */
  private runChain: FirewallChain | undefined;
  private runTable: FirewallTable | undefined;
  private lastRun: RuleRun | undefined;
  readonly owners = new DeferredOwners();
  ruleCount = 0;

  noteFormat(format: FirewallFormat): void {
    if (!this.formats.includes(format)) this.formats.push(format);
  }

  noteBackend(hint: IptablesBackend): void {
    if (!this.backendHints.includes(hint)) this.backendHints.push(hint);
  }

  diagnose(line: number, message: string, text: string): void {
    this.diagnostics.push({ line, message, text });
  }

  /** The table with this family and name, made on first use (dumps may repeat a table; rules then join it). */
  table(family: FirewallFamily, name: string, source: 'iptables' | 'nft', line: number): FirewallTable {
    const key = `${source}:${family}:${name}`;
    let t = this.tableIndex.get(key);
    if (!t) {
      t = { family, name, source, chains: [], maps: [], owner: 'other', line };
      this.tableIndex.set(key, t);
      this.tables.push(t);
      this.chainIndex.set(t, new Map());
    }
    return t;
  }

  findChain(table: FirewallTable, name: string): FirewallChain | undefined {
    return this.chainIndex.get(table)!.get(name);
  }

  chain(table: FirewallTable, name: string, line: number): FirewallChain {
    const index = this.chainIndex.get(table)!;
    let c = index.get(name);
    if (!c) {
      c = { name, builtin: false, owner: 'other', line, rules: [] };
      index.set(name, c);
      table.chains.push(c);
    }
    return c;
  }

  rule(table: FirewallTable, chain: FirewallChain, r: {
    line: number; text: string; matches: RuleMatches; action: RuleAction; counters?: Counters | undefined;
  }): FirewallRule {
    const run = this.ruleRun(table, chain, '', r.line, 0);
    const rule = new Rule(run, r.line - run.firstLine).given(r.text, r.matches, r.action, r.counters);
    chain.rules.push(rule);
    this.ruleCount++;
    return rule;
  }

  /** An iptables `-A` rule whose line starts at `source[start]`, parsed when first read. */
  lazyRule(table: FirewallTable, chain: FirewallChain, line: number, source: string, start: number): void {
    this.lazyRules(table, chain, line, source, start, 1);
  }

  /**
   * `count` iptables `-A` rules of `chain` on consecutive lines from `line`, the first starting at `source[start]`,
   * parsed when first read. A long run grows the chain's rules once (growing by half again as many each time, as
   * push does, left about 2 MB of copies behind per 100,000 rules); a short one is pushed.
   */
  lazyRules(table: FirewallTable, chain: FirewallChain, line: number, source: string, start: number, count: number): void {
    const run = this.ruleRun(table, chain, source, line, start);
    const rules = chain.rules;
    const first = line - run.firstLine;
    if (count < 64) {
      for (let p = 0; p < count; p++) rules.push(new Rule(run, first + p));
    } else {
      let at = rules.length;
      rules.length = at + count;
      for (let p = 0; p < count; p++) rules[at++] = new Rule(run, first + p);
    }
    this.ruleCount += count;
  }

  /**
   * The run the next rule of `chain`, at `line` starting at `source[start]`, joins: the last one when the rule is next
   * to its last rule.
   */
  private ruleRun(table: FirewallTable, chain: FirewallChain, source: string, line: number, start: number): RuleRun {
    const run = this.lastRun;
    const index = chain.rules.length + 1;
    if (run && chain === this.runChain && table === this.runTable && run.source === source && run.firstIndex + (line - run.firstLine) === index) return run;
    this.runChain = chain;
    this.runTable = table;
    return (this.lastRun = new RuleRun(`${table.family}/${table.name}/${chain.name}#`, source, this.owners, index, line, start));
  }

  /** Moves a table to another name (a `-L`/`-S` section whose table was inferred only at its end). */
  rename(table: FirewallTable, name: string): FirewallTable {
    const existing = this.tables.find((t) => t !== table && t.source === table.source && t.family === table.family && t.name === name);
    const oldKey = `${table.source}:${table.family}:${table.name}`;
    if (existing) {
      // merge into the table of that name: a second dump of the same table
      for (const c of table.chains) {
        const target = this.chain(existing, c.name, c.line);
        if (c.policy) target.policy = c.policy;
        if (c.counters) target.counters = c.counters;
        if (c.references !== undefined) target.references = c.references;
        target.builtin ||= c.builtin;
        for (const r of c.rules) this.rule(existing, target, r), this.ruleCount--;
      }
      this.tables.splice(this.tables.indexOf(table), 1);
      this.tableIndex.delete(oldKey);
      return existing;
    }
    this.tableIndex.delete(oldKey);
    table.name = name;
    this.runTable = undefined;
    this.tableIndex.set(`${table.source}:${table.family}:${name}`, table);
    for (const c of table.chains) for (const r of c.rules) r.id = `${table.family}/${name}/${c.name}#${r.index}`;
    return table;
  }

  removeIfEmpty(table: FirewallTable): void {
    if (table.chains.length || table.maps.length) return;
    this.tables.splice(this.tables.indexOf(table), 1);
    this.tableIndex.delete(`${table.source}:${table.family}:${table.name}`);
  }
}

/** Which table a `-S`/`-L` dump without `-t` shows, from its built-in chains (iptables prints all of them). */
export function inferTableFromChains(builtins: Set<string>, hasDnat: boolean | (() => boolean)): string | undefined {
  const has = (n: string) => builtins.has(n);
  if (has('PREROUTING') && has('POSTROUTING') && has('FORWARD')) return 'mangle';
  if (has('PREROUTING') && has('POSTROUTING')) return 'nat';
  if (has('PREROUTING') && has('OUTPUT') && !has('INPUT')) return 'raw';
  if (has('INPUT') || has('FORWARD')) return 'filter';
  if (typeof hasDnat === 'function' ? hasDnat() : hasDnat) return 'nat';
  return undefined;
}
