// The rules of a ViewData as the view reads them: one rule at a time, by its place, from the columns the message
// carried (protocol.ts ViewRuleColumns). Nothing per rule is made up front beyond two typed arrays (where each text
// starts, which chain holds each rule); a row's fields are read when it is drawn. DOM-free, unit-tested.
import { VIEW_OWNERS, type ViewCounters, type ViewData, type ViewLink, type ViewOwner } from './protocol';

export class RuleTable {
  readonly count: number;
  /** Where rule i's text starts in columns.text; starts[count] is the text's length. */
  private readonly starts: Int32Array;
  private readonly chainOf: Int32Array;
  private readonly comments: Map<number, string>;
  private readonly linkMap: Map<number, ViewLink[]>;
  private readonly approximate: ReadonlySet<number>;
  private lower: { text: string; starts: Int32Array } | undefined;

  constructor(private readonly data: ViewData) {
    const cols = data.rules;
    this.count = cols.count;
    this.starts = lineStarts(cols.text, cols.count);
    this.chainOf = new Int32Array(cols.count);
    data.chains.forEach((c, ci) => this.chainOf.fill(ci, c.firstRule, c.firstRule + c.ruleCount));
    this.comments = new Map(cols.comments);
    this.linkMap = new Map(cols.links);
    this.approximate = new Set(cols.approximate ?? []);
  }

  text(i: number): string {
    return this.data.rules.text.slice(this.starts[i]!, this.starts[i + 1]! - 1);
  }

  line(i: number): number {
    return this.data.rules.line[i]!;
  }

  chain(i: number): number {
    return this.chainOf[i]!;
  }

  /** 1-based place in its chain. */
  index(i: number): number {
    return i - this.data.chains[this.chainOf[i]!]!.firstRule + 1;
  }

  /** `ipv4/nat/DOCKER#3`: the core model's id, which trace steps name. */
  id(i: number): string {
    const c = this.data.chains[this.chainOf[i]!]!;
    const t = this.data.tables[c.table]!;
    return `${t.family}/${t.name}/${c.name}#${this.index(i)}`;
  }

  /** The rule an id names, if it is in the data. */
  byId(id: string): number | undefined {
    const hash = id.lastIndexOf('#');
    const index = Number(id.slice(hash + 1));
    if (hash < 0 || !Number.isInteger(index) || index < 1) return undefined;
    const prefix = id.slice(0, hash);
    for (const c of this.data.chains) {
      if (index > c.ruleCount) continue;
      const t = this.data.tables[c.table]!;
      if (prefix === `${t.family}/${t.name}/${c.name}`) return c.firstRule + index - 1;
    }
    return undefined;
  }

  target(i: number): string | undefined {
    const t = this.data.rules.target[i]!;
    return t < 0 ? undefined : this.data.rules.targets[t];
  }

  jump(i: number): number | undefined {
    const j = this.data.rules.jump[i]!;
    return j < 0 ? undefined : j;
  }

  owner(i: number): ViewOwner {
    return VIEW_OWNERS[this.data.rules.owner[i]!]!;
  }

  counters(i: number): ViewCounters | undefined {
    const c = this.data.rules.counters;
    if (!c || c[2 * i]! < 0) return undefined;
    return { packets: c[2 * i]!, bytes: c[2 * i + 1]!, ...(this.approximate.has(i) ? { approximate: true } : {}) };
  }

  /** Whether any rule counted a packet or a byte (the counters column is hidden otherwise). */
  anyCounted(): boolean {
    const c = this.data.rules.counters;
    return !!c && c.some((x) => x > 0);
  }

  comment(i: number): string | undefined {
    return this.comments.get(i);
  }

  links(i: number): ViewLink[] | undefined {
    return this.linkMap.get(i);
  }

  /** Every rule with links, in order. */
  linked(): Iterable<[number, ViewLink[]]> {
    return this.data.rules.links;
  }

  /**
   * Marks the rules a filter finds (case-insensitive): in the text, the comment, the target, the owner's name or a
   * link's name or port. One scan of the text for all rules, not one search per rule.
   */
  find(needle: string): Uint8Array {
    const hits = new Uint8Array(this.count);
    const n = needle.toLowerCase();
    if (!n) return hits.fill(1);
    if (!n.includes('\n')) {
      // lower-casing may change lengths (`İ` becomes two code units): the lower text keeps its own line starts
      const lower = (this.lower ??= lowerText(this.data.rules.text, this.count));
      let rule = 0;
      for (let at = lower.text.indexOf(n); at >= 0; at = lower.text.indexOf(n, at + 1)) {
        while (lower.starts[rule + 1]! <= at) rule++;
        hits[rule] = 1;
        at = lower.starts[rule + 1]! - 1;
      }
    }
    const cols = this.data.rules;
    const targetHit = cols.targets.map((t) => t.toLowerCase().includes(n));
    const ownerHit = VIEW_OWNERS.map((o) => o.includes(n));
    if (targetHit.some(Boolean) || ownerHit.some(Boolean)) {
      for (let i = 0; i < this.count; i++) {
        const t = cols.target[i]!;
        if ((t >= 0 && targetHit[t]) || ownerHit[cols.owner[i]!]) hits[i] = 1;
      }
    }
    for (const [i, c] of cols.comments) if (c.toLowerCase().includes(n)) hits[i] = 1;
    for (const [i, links] of cols.links) if (links.some((l) => `${l.name} ${l.port ?? ''}`.toLowerCase().includes(n))) hits[i] = 1;
    return hits;
  }
}

function lineStarts(text: string, count: number): Int32Array {
  const starts = new Int32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = at;
    at = text.indexOf('\n', at) + 1;
  }
  starts[count] = text.length;
  return starts;
}

function lowerText(text: string, count: number): { text: string; starts: Int32Array } {
  const lower = text.toLowerCase();
  return { text: lower, starts: lineStarts(lower, count) };
}
