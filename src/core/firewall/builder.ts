// Collects tables, chains, rules and diagnostics while a parser walks its text; every parser fills the same model.
import { parseRuleOptions } from './iptablesRule';
import type {
  Counters, FirewallChain, FirewallFamily, FirewallFormat, FirewallRule, FirewallRuleset, FirewallTable,
  IptablesBackend, Owner, RuleAction, RuleMatches,
} from './model';
import { countersPrefixEnd, tokenize } from './text';

/**
 * Works out the owners of all rules of a ruleset at once (they depend on each other: bridges named in Docker's chains,
 * subnets Docker masquerades), the first time any rule's owner is read. Set up by parseFirewall once the ruleset is whole.
 */
export class DeferredOwners {
  private run: (() => void) | undefined;

  defer(run: () => void): void {
    this.run = run;
  }

  resolve(): void {
    const run = this.run;
    this.run = undefined;
    run?.();
  }
}

/** What the rules of a run of one chain share: their id prefix, the text they lie in, the ruleset's owners. */
interface RuleContext {
  readonly prefix: string;
  readonly source: string;
  readonly owners: DeferredOwners;
}

interface RuleOptions {
  matches: RuleMatches;
  action: RuleAction;
  counters: Counters | undefined;
}

/**
 * A rule of the model. An iptables-save/-S rule keeps only where its text lies while parsing; `text`, `matches`,
 * `action` and `counters` are read from the text on first access, `owner` once for the whole ruleset, `id` when asked
 * for. This is what makes a 100,000-rule dump parse in tens of milliseconds: views that read a few rules pay for
 * those, views that read all pay once. The fields are accessors on the prototype, so JSON goes through `toJSON`
 * (same shape and key order as a plain rule); `{...rule}` and structuredClone do not see them: copy with `toJSON()`.
 */
export class Rule implements FirewallRule {
  private _text: string | undefined;
  private _id: string | undefined;
  private _options: RuleOptions | undefined;
  private _owner: Owner | undefined;

  /** `start`/`end`: the rule's line in `ctx.source` (trimmed), when `text` is not given. */
  constructor(
    private readonly ctx: RuleContext,
    public index: number,
    public line: number,
    private readonly start: number,
    private readonly end: number,
    text: string | undefined,
  ) {
    this._text = text;
  }

  get text(): string {
    return (this._text ??= this.ctx.source.slice(this.start, this.end));
  }
  set text(value: string) {
    this._text = value;
  }

  get id(): string {
    return (this._id ??= this.ctx.prefix + this.index);
  }
  set id(value: string) {
    this._id = value;
  }

  get matches(): RuleMatches {
    return (this._options ?? this.parse()).matches;
  }
  set matches(value: RuleMatches) {
    (this._options ?? this.parse()).matches = value;
  }

  get action(): RuleAction {
    return (this._options ?? this.parse()).action;
  }
  set action(value: RuleAction) {
    (this._options ?? this.parse()).action = value;
  }

  get counters(): Counters | undefined {
    return (this._options ?? this.parse()).counters;
  }
  set counters(value: Counters | undefined) {
    (this._options ?? this.parse()).counters = value;
  }

  get owner(): Owner {
    if (this._owner === undefined) {
      this.ctx.owners.resolve();
      this._owner ??= 'other';
    }
    return this._owner;
  }
  set owner(value: Owner) {
    this._owner = value;
  }

  /** Whether the owner is known without working out the ruleset's owners (set, or already worked out). */
  get ownerKnown(): boolean {
    return this._owner !== undefined;
  }

  /** Gives matches, action and counters at construction (parsers that read them eagerly). */
  given(matches: RuleMatches, action: RuleAction, counters: Counters | undefined): this {
    this._options = { matches, action, counters };
    return this;
  }

  toJSON(): FirewallRule {
    const out: FirewallRule = {
      id: this.id, index: this.index, line: this.line, text: this.text, matches: this.matches, action: this.action,
      owner: this.owner,
    };
    const c = this.counters;
    if (c) out.counters = c;
    return out;
  }

  /**
   * Reads the options of a `[p:b] -A CHAIN …` line. The scanner that made this rule lazy made sure parsing yields no
   * problems (an option missing its value can only be the last word; such rules are parsed while scanning, so they
   * are diagnosed in order).
   */
  private parse(): RuleOptions {
    const src = this.ctx.source;
    const hasCounters = src.charCodeAt(this.start) === 91 /* [ */;
    const bodyStart = hasCounters ? countersPrefixEnd(src, this.start, this.end) : this.start;
    const parsed = parseRuleOptions(tokenize(src.slice(bodyStart, this.end)), 2);
    // a `[p:b]` prefix wins over `-c p b` in the options
    return (this._options = { matches: parsed.matches, action: parsed.action, counters: hasCounters ? prefixCounters(src, this.start) : parsed.counters });
  }
}

/** `[12:720] -A …` at `start` → {packets: 12, bytes: 720}; the scanner checked the prefix's form. */
export function prefixCounters(text: string, start = 0): Counters {
  const colon = text.indexOf(':', start);
  return { packets: Number(text.slice(start + 1, colon)), bytes: Number(text.slice(colon + 1, text.indexOf(']', colon))) };
}

export class RulesetBuilder {
  readonly tables: FirewallTable[] = [];
  readonly diagnostics: FirewallRuleset['diagnostics'] = [];
  readonly formats: FirewallFormat[] = [];
  readonly backendHints: IptablesBackend[] = [];
  private readonly tableIndex = new Map<string, FirewallTable>();
  private readonly chainIndex = new Map<FirewallTable, Map<string, FirewallChain>>();
  /** The context (id prefix `ipv4/nat/DOCKER#`, source text) of the chain that last got a rule: rules come in runs. */
  private ctxChain: FirewallChain | undefined;
  private ctxTable: FirewallTable | undefined;
  private ctx: RuleContext | undefined;
  readonly owners = new DeferredOwners();
  ruleCount = 0;

  noteFormat(format: FirewallFormat): void {
    if (this.formats[this.formats.length - 1] !== format) this.formats.push(format);
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
    const rule = new Rule(this.context(table, chain, ''), chain.rules.length + 1, r.line, 0, 0, r.text)
      .given(r.matches, r.action, r.counters);
    chain.rules.push(rule);
    this.ruleCount++;
    return rule;
  }

  /** An iptables `-A` rule, the trimmed line `source[start, end)`, whose options are parsed when first read. */
  lazyRule(table: FirewallTable, chain: FirewallChain, line: number, source: string, start: number, end: number): void {
    chain.rules.push(new Rule(this.context(table, chain, source), chain.rules.length + 1, line, start, end, undefined));
    this.ruleCount++;
  }

  private context(table: FirewallTable, chain: FirewallChain, source: string): RuleContext {
    if (chain !== this.ctxChain || table !== this.ctxTable || this.ctx!.source !== source) {
      this.ctxChain = chain;
      this.ctxTable = table;
      this.ctx = { prefix: `${table.family}/${table.name}/${chain.name}#`, source, owners: this.owners };
    }
    return this.ctx!;
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
    this.ctxTable = undefined;
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
