// The rule objects of the model: small while parsing, filled in from the text when first read.
import { parseRuleOptions } from './iptablesRule';
import type { Counters, FirewallRule, Owner, RuleAction, RuleMatches } from './model';
import { trimmedLineEnd } from './ruleLineScan';
import { scanPrefixCounters, scanRuleOptions } from './ruleOptionScan';
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

/**
 * Rules of one chain on consecutive lines of one text (what an iptables-save dump is made of). They share their id
 * prefix, their text and the ruleset's owners; a rule's line, index and where its line starts follow from its place
 * in the run, so a rule stores only its run and that place.
 */
export class RuleRun {
  /** Where each rule's line starts in `source`, found on the first read of a rule's text. */
  private starts: number[] | undefined;
  /** What each rule worked out or was given after parsing, by place; made on the first read or write of any. */
  details: (RuleDetails | undefined)[] | undefined;

  constructor(
    readonly prefix: string,
    readonly source: string,
    readonly owners: DeferredOwners,
    readonly firstIndex: number,
    readonly firstLine: number,
    private readonly firstStart: number,
  ) {}

  /** Where the line of the rule at `place` starts: the lines of a run follow each other. */
  lineStart(place: number): number {
    const starts = (this.starts ??= [this.firstStart]);
    while (starts.length <= place) starts.push(this.source.indexOf('\n', starts[starts.length - 1]!) + 1);
    return starts[place]!;
  }

  detailsAt(place: number): RuleDetails {
    const all = (this.details ??= []);
    while (all.length <= place) all.push(undefined);
    return (all[place] ??= { text: undefined, id: undefined, index: undefined, line: undefined, owner: undefined, matches: undefined, action: undefined,
      counters: undefined });
  }
}

/**
 * What a rule works out or is given after parsing (`index` and `line` only when set). Its options are read all at
 * once: `matches` is set exactly when `action` is (and `counters` then is what they say). One object a rule, not one
 * more for the options: every object a read rule keeps is copied by the young-generation GC.
 */
interface RuleDetails {
  text: string | undefined;
  id: string | undefined;
  index: number | undefined;
  line: number | undefined;
  owner: Owner | undefined;
  matches: RuleMatches | undefined;
  action: RuleAction | undefined;
  counters: Counters | undefined;
}

/**
 * A rule of the model. An iptables-save/-S rule is only its run and its place in the run while parsing; `text`,
 * `matches`, `action` and `counters` are read from the text on first access, `owner` once for the whole ruleset, `id`
 * when asked for. This is what makes a 100,000-rule dump parse in a few times the time of splitting it into lines:
 * views that read a few rules pay for those, views that read all pay once. A rule is two fields (40 bytes; what is
 * worked out later lives in its run) because the young-generation GC copies every rule it finds alive, and that
 * copying is much of what parsing costs.
 * The fields are accessors on the prototype, so JSON goes through `toJSON` (same shape and key order as a plain
 * rule); `{...rule}` and structuredClone do not see them: copy with `toJSON()`.
 */
export class Rule implements FirewallRule {
  // `declare`: assigned in the constructor only (a class field would be defined, then assigned again)
  declare private readonly run: RuleRun;
  declare private readonly place: number;

  constructor(run: RuleRun, place: number) {
    this.run = run;
    this.place = place;
  }

  private get details(): RuleDetails | undefined {
    return this.run.details?.[this.place];
  }

  private more(): RuleDetails {
    return this.run.detailsAt(this.place);
  }

  get line(): number {
    return this.details?.line ?? this.run.firstLine + this.place;
  }
  set line(value: number) {
    this.more().line = value;
  }

  get index(): number {
    return this.details?.index ?? this.run.firstIndex + this.place;
  }
  set index(value: number) {
    this.more().index = value;
  }

  get text(): string {
    const d = this.more();
    if (d.text === undefined) {
      const start = this.run.lineStart(this.place);
      d.text = this.run.source.slice(start, ruleLineEnd(this.run.source, start));
    }
    return d.text;
  }
  set text(value: string) {
    this.more().text = value;
  }

  get id(): string {
    const d = this.more();
    return (d.id ??= this.run.prefix + this.index);
  }
  set id(value: string) {
    this.more().id = value;
  }

  get matches(): RuleMatches {
    return this.read().matches!;
  }
  set matches(value: RuleMatches) {
    this.read().matches = value;
  }

  get action(): RuleAction {
    return this.read().action!;
  }
  set action(value: RuleAction) {
    this.read().action = value;
  }

  get counters(): Counters | undefined {
    return this.read().counters;
  }
  set counters(value: Counters | undefined) {
    this.read().counters = value;
  }

  get owner(): Owner {
    if (this.details?.owner === undefined) {
      this.run.owners.resolve();
      this.more().owner ??= 'other';
    }
    return this.details!.owner!;
  }
  set owner(value: Owner) {
    this.more().owner = value;
  }

  /** Whether the owner is known without working out the ruleset's owners (set, or already worked out). */
  get ownerKnown(): boolean {
    return this.details?.owner !== undefined;
  }

  /** Gives text, matches, action and counters at construction (parsers that read them eagerly). */
  given(text: string, matches: RuleMatches, action: RuleAction, counters: Counters | undefined): this {
    const d = this.more();
    d.text = text;
    d.matches = matches;
    d.action = action;
    d.counters = counters;
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

  /** The details with the options read. */
  private read(): RuleDetails {
    const d = this.details;
    return d?.action ? d : this.parse();
  }

  /**
   * Reads the options of a `[p:b] -A CHAIN …` line. The scanner that made this rule lazy made sure parsing yields no
   * problems (an option missing its value can only be the last word; such rules are parsed while scanning, so they
   * are diagnosed in order).
   */
  private parse(): RuleDetails {
    const src = this.run.source;
    const start = this.run.lineStart(this.place);
    const end = ruleLineEnd(src, start);
    const hasCounters = src.charCodeAt(start) === 91 /* [ */;
    const bodyStart = hasCounters ? countersPrefixEnd(src, start, end) : start;
    // what scanRuleOptions leaves goes through the reference (no problems: the line scanner saw to that)
    const options = scanRuleOptions(src, bodyStart, end) ?? parseRuleOptions(tokenize(src.slice(bodyStart, end)), 2);
    const d = this.more();
    d.matches = options.matches;
    d.action = options.action;
    // a `[p:b]` prefix wins over `-c p b` in the options
    d.counters = hasCounters ? scanPrefixCounters(src, start) : options.counters;
    return d;
  }
}

/** Where the rule line starting at `start` ends, as the scanner saw it (trailing CR, spaces and tabs left out). */
function ruleLineEnd(source: string, start: number): number {
  const newline = source.indexOf('\n', start);
  return trimmedLineEnd(source, start, newline < 0 ? source.length : newline);
}

/** `[12:720] -A …` at `start` → {packets: 12, bytes: 720}; the scanner checked the prefix's form. */
export function prefixCounters(text: string, start = 0): Counters {
  const colon = text.indexOf(':', start);
  return { packets: Number(text.slice(start + 1, colon)), bytes: Number(text.slice(colon + 1, text.indexOf(']', colon))) };
}
