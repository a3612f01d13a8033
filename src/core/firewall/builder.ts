// Collects tables, chains, rules and diagnostics while a parser walks its text; every parser fills the same model.
import { parseRuleOptions } from './iptablesRule';
import type {
  Counters, FirewallChain, FirewallFamily, FirewallFormat, FirewallRule, FirewallRuleset, FirewallTable,
  IptablesBackend, Owner, RuleAction, RuleMatches,
} from './model';
import { tokenize } from './text';

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

/**
 * A rule of the model. iptables-save/-S rules keep only their text and line while parsing; `matches`, `action` and
 * `counters` are read from the text on first access, `owner` once for the whole ruleset, `id` when asked for. This is
 * what makes a 100,000-rule dump parse in tens of milliseconds: most views read a few rules, and those that read all
 * pay once. The fields are accessors on the prototype, so JSON goes through `toJSON` (same shape and key order as a
 * plain rule); `{...rule}` and structuredClone do not see them: copy with `toJSON()` instead.
 */
export class Rule implements FirewallRule {
  private _id: string | undefined;
  private _matches: RuleMatches | undefined;
  private _action: RuleAction | undefined;
  /** undefined: not read yet; null: the rule has none. */
  private _counters: Counters | null | undefined;
  private _owner: Owner | undefined;

  /**
   * @param bodyStart where `-A`/`-I` starts in `text` for a rule still to be parsed (after a `[p:b]` prefix), or -1
   *   when matches, action and counters were given.
   */
  constructor(
    private readonly idPrefix: string,
    public index: number,
    public line: number,
    public text: string,
    private bodyStart: number,
    private readonly owners: DeferredOwners | undefined,
  ) {}

  get id(): string {
    return (this._id ??= this.idPrefix + this.index);
  }
  set id(value: string) {
    this._id = value;
  }

  get matches(): RuleMatches {
    if (this.bodyStart >= 0) this.parse();
    return this._matches!;
  }
  set matches(value: RuleMatches) {
    if (this.bodyStart >= 0) this.parse();
    this._matches = value;
  }

  get action(): RuleAction {
    if (this.bodyStart >= 0) this.parse();
    return this._action!;
  }
  set action(value: RuleAction) {
    if (this.bodyStart >= 0) this.parse();
    this._action = value;
  }

  get counters(): Counters | undefined {
    if (this._counters === undefined) {
      if (this.text.charCodeAt(0) === 91 /* [ */) this._counters = prefixCounters(this.text);
      else this.parse();
    }
    return this._counters ?? undefined;
  }
  set counters(value: Counters | undefined) {
    this._counters = value ?? null;
  }

  get owner(): Owner {
    if (this._owner === undefined) {
      this.owners?.resolve();
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
    this._matches = matches;
    this._action = action;
    this._counters = counters ?? null;
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
   * Reads the options. The scanner that made this rule lazy made sure parsing yields no problems (an option missing
   * its value can only be the last word, and such rules are parsed while scanning so they are diagnosed in order).
   */
  private parse(): void {
    const body = this.bodyStart === 0 ? this.text : this.text.slice(this.bodyStart);
    this.bodyStart = -1;
    const tokens = tokenize(body);
    // `-I CHAIN 3 …` from hand-written dumps: skip the position
    const start = body.charCodeAt(1) === 73 /* I */ && /^\d+$/.test(tokens[2] ?? '') ? 3 : 2;
    const parsed = parseRuleOptions(tokens, start);
    this._matches = parsed.matches;
    this._action = parsed.action;
    // a `[p:b]` prefix wins over `-c p b` in the options, as iptables-save -c prints only the prefix
    if (this._counters === undefined) this._counters = this.text.charCodeAt(0) === 91 /* [ */ ? prefixCounters(this.text) : parsed.counters ?? null;
  }
}

/** `[12:720] -A …` → {packets: 12, bytes: 720}; the scanner checked the prefix's form. */
export function prefixCounters(text: string): Counters {
  const colon = text.indexOf(':');
  return { packets: Number(text.slice(1, colon)), bytes: Number(text.slice(colon + 1, text.indexOf(']', colon))) };
}

export class RulesetBuilder {
  readonly tables: FirewallTable[] = [];
  readonly diagnostics: FirewallRuleset['diagnostics'] = [];
  readonly formats: FirewallFormat[] = [];
  readonly backendHints: IptablesBackend[] = [];
  private readonly tableIndex = new Map<string, FirewallTable>();
  private readonly chainIndex = new Map<FirewallTable, Map<string, FirewallChain>>();
  /** The id prefix (`ipv4/nat/DOCKER#`) of the chain that last got a rule: rules come in runs per chain. */
  private prefixChain: FirewallChain | undefined;
  private prefixTable: FirewallTable | undefined;
  private prefix = '';
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
    const rule = new Rule(this.idPrefix(table, chain), chain.rules.length + 1, r.line, r.text, -1, this.owners)
      .given(r.matches, r.action, r.counters);
    chain.rules.push(rule);
    this.ruleCount++;
    return rule;
  }

  /** An iptables rule whose options (from `bodyStart` in `text`) are parsed when first read. */
  lazyRule(table: FirewallTable, chain: FirewallChain, line: number, text: string, bodyStart: number): void {
    chain.rules.push(new Rule(this.idPrefix(table, chain), chain.rules.length + 1, line, text, bodyStart, this.owners));
    this.ruleCount++;
  }

  private idPrefix(table: FirewallTable, chain: FirewallChain): string {
    if (chain !== this.prefixChain || table !== this.prefixTable) {
      this.prefixChain = chain;
      this.prefixTable = table;
      this.prefix = `${table.family}/${table.name}/${chain.name}#`;
    }
    return this.prefix;
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
    this.prefixTable = undefined;
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
