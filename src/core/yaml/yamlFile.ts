// One parsed YAML file with the helpers the compose loader needs: aliases followed, `<<` merge keys applied (also
// `<<: [*a, *b]`), scalars read with their source offsets. Parsed once; nothing re-parses. Files in the block-style
// subset compose files are written in go through a fast scanner (fastYaml.ts) that builds the same `yaml` nodes;
// everything else, and every file with an error, is parsed by eemeli `yaml`, which reports the errors.
import * as yamlPackage from 'yaml';
import type { Document, Node, Pair, Scalar as ScalarNode, YAMLMap, YAMLSeq } from 'yaml';
import { scanComposeYaml } from './fastYaml';
import type { AnchoredNode } from './fastYaml';
import { duplicateKeyProblem, firstOfProblems, LineNumbers, maxYamlDepth, selfContainingAlias, tooDeepProblem, walkYamlTree } from './yamlChecks';
import type { DuplicateKey, YamlProblem } from './yamlChecks';
export type { YamlProblem } from './yamlChecks';

/** Offsets into one file's text, end exclusive. */
export interface SourceRange {
  file: string;
  start: number;
  end: number;
}

// Bundled, a CommonJS package's exports are read through a getter on every use; these run per node, so read once.
// The compose loader and the fixes use these too.
const { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar } = yamlPackage;
export { isMap, isScalar, isSeq };

export type YamlParser = 'auto' | 'yaml';

let parserInUse: YamlParser = 'auto';

/** Runs `fn` with every YamlFile it creates parsed by `parser` ('yaml': never the fast scanner); for tests and the
 *  bench, which compare the two paths. Synchronous, so the choice cannot leak into other work. */
export function withYamlParser<T>(parser: YamlParser, fn: () => T): T {
  const before = parserInUse;
  parserInUse = parser;
  try {
    return fn();
  } finally {
    parserInUse = before;
  }
}

export interface MapEntry {
  key: string;
  keyNode: ScalarNode;
  /** The value, aliases already followed; null for `key:` with nothing after it. */
  value: Node | null;
  /** The value node as written (an alias stays an alias), for edits. */
  writtenValue: Node | null;
  /** True when the entry comes from a `<<` merge, not from this map's own keys. */
  merged: boolean;
}

export type EntryVisitor = (key: string, keyNode: ScalarNode, value: Node | null, writtenValue: Node | null, merged: boolean) => void;

export interface ScalarText {
  text: string;
  /** Source offsets of the scalar (quotes included). */
  start: number;
  end: number;
  /** Where `text` starts in the source when the text is the source shifted (no escapes, no folding): character i
   *  of `text` is at textStart + i. A number, not a function: a file has thousands of scalars. */
  textStart?: number;
}

export class YamlFile {
  /** What compose would say about the text as YAML: at most one error (the first, with a count of the rest), or a
   *  note that the file holds several documents. */
  readonly problems: YamlProblem[] = [];
  /** Compose refuses the file as YAML (a syntax error, a key written twice, an alias inside its own anchor, nesting
   *  too deep): `problems` says where, and nothing else of the file should be read. */
  readonly refused: boolean = false;
  /** The `yaml` document; undefined when the fast scanner parsed the file (or the file is empty). */
  readonly doc: Document.Parsed | undefined;
  /** The document's content: its root node, null for an empty file (or a refused one). */
  readonly root: Node | null;
  /** Which parser read the file: 'fast' (fastYaml.ts) or 'yaml'. */
  readonly parsedBy: 'fast' | 'yaml';
  /** Anchors by name, each name's in source order: resolve() looks an alias up here (a scan of every anchor per
   *  alias took 13 s for 40,000 anchors). */
  private readonly anchorsByName = new Map<string, AnchoredNode[]>();

  constructor(readonly fileName: string, readonly text: string) {
    const fast = parserInUse === 'auto' ? scanComposeYaml(text) : undefined;
    if (fast) {
      this.parsedBy = 'fast';
      if (fast.tooDeepAt !== undefined) {
        this.root = null;
        this.refuse([tooDeepProblem(fast.tooDeepAt, text.length)]);
        return;
      }
      this.root = fast.root;
      this.indexAnchors(fast.anchors);
      this.check(fast.aliases, fast.duplicates, []);
      return;
    }
    this.parsedBy = 'yaml';
    // uniqueKeys off: its check is quadratic in a map's size (2,000 services); yamlChecks.ts finds them in one pass
    const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [];
    this.doc = list[0];
    this.root = (this.doc?.contents as Node | null | undefined) ?? null;
    const errors: YamlProblem[] = [];
    for (const d of list) {
      for (const e of d.errors) {
        // `yaml` catches its own stack overflow on deep nesting and reports it as an error
        const message = e.message.startsWith('Maximum call stack size exceeded')
          ? `nested too deeply to read (more than ${maxYamlDepth} levels is refused)` : e.message.split('\n')[0]!;
        // an error at the end of the text (an unclosed quote) gets a range inside it: `yaml` places it one past the end
        const start = Math.min(e.pos[0], Math.max(text.length - 1, 0));
        errors.push({ message, start, end: Math.min(Math.max(e.pos[1], start + 1), text.length) });
      }
    }
    const facts = walkYamlTree(this.root);
    this.indexAnchors(facts.anchors);
    if (facts.tooDeepAt !== undefined) errors.push(tooDeepProblem(facts.tooDeepAt, text.length));
    if (this.check(facts.aliases, facts.duplicates, errors)) return;
    if (list.length > 1) {
      const second = list[1]!;
      const start = second.range[0];
      this.problems.push({
        message: `${list.length} YAML documents in one file: compose reads one document per file (the first is analysed)`,
        start, end: Math.min(text.length, start + 3),
      });
    }
  }

  /** Adds what compose refuses besides `errors`; true when the file is refused. */
  private check(aliases: readonly yamlPackage.Alias[], duplicates: readonly DuplicateKey[], errors: YamlProblem[]): boolean {
    if (duplicates.length) {
      const lines = new LineNumbers(this.text);
      for (const d of duplicates) errors.push(duplicateKeyProblem(d, lines));
    }
    // an alias inside its own anchor makes every walk through merges endless: stop before anything follows one
    const cycle = aliases.length ? selfContainingAlias(aliases, (a) => this.resolveOne(a)) : undefined;
    if (cycle) errors.push(cycle);
    if (!errors.length) return false;
    this.refuse(errors);
    return true;
  }

  private refuse(errors: YamlProblem[]): void {
    (this as { refused: boolean }).refused = true;
    (this as { root: Node | null }).root = null;
    this.problems.push(...firstOfProblems(errors));
  }

  private indexAnchors(anchors: readonly AnchoredNode[]): void {
    for (const a of anchors) {
      const list = this.anchorsByName.get(a.name);
      if (list) list.push(a); else this.anchorsByName.set(a.name, [a]);
    }
  }

  /** Where a node is, its end at its last character of content (block collections run on over blank lines). */
  range(node: Node | null | undefined, fallback?: Node | null): SourceRange {
    const n = node?.range ? node : fallback;
    const start = n?.range?.[0] ?? 0;
    return { file: this.fileName, start, end: n ? contentEnd(n) : 0 };
  }

  /** Follows an alias to its anchored node (the last anchor of that name before the alias, as YAML defines it). */
  resolve(node: Node | null | undefined): Node | null {
    let n: Node | null | undefined = node;
    for (let guard = 0; n && isAlias(n) && guard < 32; guard++) n = this.resolveOne(n);
    return n ?? null;
  }

  private resolveOne(alias: yamlPackage.Alias): Node | null {
    const list = this.anchorsByName.get(alias.source);
    if (!list) return null;
    const at = alias.range?.[0] ?? 0;
    // the last anchor of the name starting before the alias
    let lo = 0;
    let hi = list.length - 1;
    if (list[0]!.start >= at) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid]!.start < at) lo = mid; else hi = mid - 1;
    }
    return list[lo]!.node;
  }

  /** The sequence item written at `offset` and its sequence: the first in document order (aliases not followed),
   *  as a walk of the document finds it. Nodes nest and follow each other in the source, so this descends into the
   *  last child starting at or before `offset` instead of walking everything (one fix per port entry), found by
   *  binary search: a scan of the 8,000 services of a map per fix was quadratic. */
  sequenceItemAt(offset: number): { node: Node; seq: YAMLSeq } | undefined {
    let node: unknown = this.root;
    while (node) {
      let next: Node | undefined;
      if (isSeq(node)) {
        const items = node.items as (Node | null)[];
        const i = lastStartingAtOrBefore(items.length, (k) => items[k]?.range?.[0], offset);
        const item = i < 0 ? undefined : items[i]!;
        if (item && item.range![0] === offset) return { node: item, seq: node };
        next = item;
      } else if (isMap(node)) {
        const pairs = node.items as Pair<Node | null, Node | null>[];
        const i = lastStartingAtOrBefore(pairs.length, (k) => pairs[k]!.key?.range?.[0], offset);
        if (i >= 0) {
          const { key, value } = pairs[i]!;
          next = value?.range && value.range[0] <= offset ? value : key ?? undefined;
        }
      }
      node = next;
    }
    return undefined;
  }

  asMap(node: Node | null | undefined): YAMLMap | null {
    const n = this.resolve(node);
    return n && isMap(n) ? n : null;
  }

  /** The entries of a map: its own keys first (they win), then those of `<<` merge sources in order. */
  entries(node: Node | null | undefined): MapEntry[] {
    const out: MapEntry[] = [];
    this.forEachEntry(node, (key, keyNode, value, writtenValue, merged) => { out.push({ key, keyNode, value, writtenValue, merged }); });
    return out;
  }

  /** What entries(node) lists, handed to `visit` one by one without building the list (the loader reads every
   *  service's keys this way: no object per key). */
  forEachEntry(node: Node | null | undefined, visit: EntryVisitor, depth = 0, reached?: Set<YAMLMap>): void {
    const map = this.asMap(node);
    if (!map) return;
    let mergeSources: Node[] | undefined;
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      if (!keyNode || !isScalar(keyNode)) continue;
      const key = String(keyNode.value);
      const written = (pair.value as Node | null) ?? null;
      if (key === '<<' && keyNode.type === Scalar.PLAIN) {
        mergeSources = this.addMergeSources(mergeSources, written);
        continue;
      }
      visit(key, keyNode, this.resolve(written), written, depth > 0);
    }
    if (!mergeSources || depth > 16) return;
    // own keys win over merged ones (a quoted "<<" is an own key, the plain one merges)
    const seen = new Set<string>();
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      if (!keyNode || !isScalar(keyNode)) continue;
      const key = String(keyNode.value);
      if (!(key === '<<' && keyNode.type === Scalar.PLAIN)) seen.add(key);
    }
    // a map merged a second time (`<<: [*a, *a]`, or reached through two sources) adds nothing new: skipping it keeps
    // repeated merges linear (eight levels of nine aliases to the level below took 5.7 s)
    const walked = reached ?? new Set<YAMLMap>([map]);
    const onMerged: EntryVisitor = (key, keyNode, value, writtenValue) => {
      if (seen.has(key)) return;
      seen.add(key);
      visit(key, keyNode, value, writtenValue, true);
    };
    for (const src of mergeSources) {
      const srcMap = this.asMap(src);
      if (!srcMap || walked.has(srcMap)) continue;
      walked.add(srcMap);
      this.forEachEntry(srcMap, onMerged, depth + 1, walked);
    }
  }

  /** `list` with the maps a `<<` value names appended (a loop, not push(...items): a spread of a huge list
   *  overflows the stack). */
  private addMergeSources(list: Node[] | undefined, written: Node | null): Node[] | undefined {
    const v = this.resolve(written);
    if (!v) return list;
    const out = list ?? [];
    if (isSeq(v)) for (const item of v.items as Node[]) out.push(item);
    else out.push(v);
    return out;
  }

  /** The entry `key` of a map, as `entries(node)` would list it first, without listing the others. */
  get(node: Node | null | undefined, key: string, depth = 0, reached?: Set<YAMLMap>): MapEntry | undefined {
    const map = this.asMap(node);
    if (!map) return undefined;
    let mergeSources: Node[] | undefined;
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      if (!keyNode || !isScalar(keyNode)) continue;
      const k = String(keyNode.value);
      const written = (pair.value as Node | null) ?? null;
      if (k === '<<' && keyNode.type === Scalar.PLAIN) {
        mergeSources = this.addMergeSources(mergeSources, written);
        continue;
      }
      if (k === key) return { key, keyNode, value: this.resolve(written), writtenValue: written, merged: false };
    }
    if (!mergeSources || depth > 16) return undefined;
    const walked = reached ?? new Set<YAMLMap>([map]);
    for (const src of mergeSources) {
      const srcMap = this.asMap(src);
      if (!srcMap || walked.has(srcMap)) continue; // searched already (forEachEntry says why)
      walked.add(srcMap);
      const e = this.get(srcMap, key, depth + 1, walked);
      if (e) return { ...e, merged: true };
    }
    return undefined;
  }

  items(node: Node | null | undefined): Node[] {
    const n = this.resolve(node);
    const out: Node[] = [];
    if (n && isSeq(n)) {
      for (const item of n.items as Node[]) {
        const resolved = this.resolve(item);
        if (resolved !== null) out.push(resolved);
      }
    }
    return out;
  }

  /** A scalar's text as compose sees it (numbers as written, so `0x50` stays itself), with offsets. */
  scalar(node: Node | null | undefined): ScalarText | undefined {
    const n = this.resolve(node);
    if (!n || !isScalar(n) || !n.range) return undefined;
    const [start, valueEnd] = n.range;
    if (n.type === Scalar.PLAIN) return { text: n.value === null ? '' : this.plainText(n), start, end: valueEnd, textStart: start };
    const text = n.value === null || n.value === undefined ? '' : String(n.value);
    return { text, start, end: valueEnd, textStart: this.quotedIsSource(n, text) ? start + 1 : undefined };
  }

  /** scalar(node)?.text without the offsets: no object, for values read only for their text. */
  scalarText(node: Node | null | undefined): string | undefined {
    const n = this.resolve(node);
    if (!n || !isScalar(n) || !n.range) return undefined;
    if (n.type === Scalar.PLAIN) return n.value === null ? '' : this.plainText(n);
    return n.value === null || n.value === undefined ? '' : String(n.value);
  }

  /** The source text from `start` to `end` of `node`: a plain scalar's own source when that is it (no new string). */
  sourceText(node: Node, start: number, end: number): string {
    const source = isScalar(node) && node.type === Scalar.PLAIN ? node.source : undefined;
    if (source !== undefined && this.parsedBy === 'fast' && node.range![0] === start && source.length === end - start) return source;
    return this.text.slice(start, end);
  }

  /** A plain scalar's written text: the node's source when it is the written text (one line), else the source's. */
  private plainText(n: ScalarNode): string {
    const [start, valueEnd] = n.range!;
    const source = n.source;
    // the fast scanner's plain scalars are their source slice, by construction; `yaml`'s may be folded lines
    if (source !== undefined && source.length === valueEnd - start && (this.parsedBy === 'fast' || this.text.startsWith(source, start))) return source;
    return this.text.slice(start, valueEnd);
  }

  /** Whether a quoted scalar's text is its source between the quotes (no escapes, no folding). */
  private quotedIsSource(n: ScalarNode, text: string): boolean {
    if (n.type !== Scalar.QUOTE_DOUBLE && n.type !== Scalar.QUOTE_SINGLE) return false;
    const [start, valueEnd] = n.range!;
    if (text.length !== valueEnd - start - 2) return false;
    // the fast scanner's quoted scalars are on one line, where every escape shortens the text: equal length is enough
    return this.parsedBy === 'fast' || this.text.startsWith(text, start + 1);
  }
}

/**
 * The last of `n` children (in source order) whose start is at or before `offset`, by binary search; -1 when none.
 * A child without a position (none is expected) makes it scan them all, as the walk did.
 */
function lastStartingAtOrBefore(n: number, startOf: (k: number) => number | undefined, offset: number): number {
  let lo = 0;
  let hi = n - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = startOf(mid);
    if (start === undefined) {
      for (let k = n - 1; k >= 0; k--) { const s = startOf(k); if (s !== undefined && s <= offset) return k; }
      return -1;
    }
    if (start <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/** The offset after a node's last character of content: block collections' own ranges include trailing blank lines
 *  and comments, which belong to whatever follows. */
export function contentEnd(node: Node): number {
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last = node.items[node.items.length - 1] as unknown;
    if (!last) return node.range?.[1] ?? 0;
    if (isPair(last)) {
      const value = last.value as Node | null;
      const key = last.key as Node | null;
      const emptyValue = !value?.range || (isScalar(value) && value.range[0] === value.range[1]);
      return emptyValue ? (key?.range?.[1] ?? node.range?.[1] ?? 0) : contentEnd(value!);
    }
    return contentEnd(last as Node);
  }
  return node.range?.[1] ?? 0;
}
