// A strict scanner for the block-style YAML subset compose files are written in, building the same `yaml` nodes
// (Scalar, YAMLMap, YAMLSeq, Pair, Alias, with the same values, types, anchors and offsets) that the `yaml` package
// composes, about ten times faster. Anything outside the subset makes it give up (undefined), and the caller parses
// with `yaml`, which stays the reference and the only error reporter. The subset:
//   - block maps and sequences by indentation (spaces only), compact `- key: v` and `- - x`, a sequence at its
//     parent key's indentation;
//   - scalars on one line: plain (resolved with the YAML 1.2 core schema, as `yaml` does), 'single', "double" with
//     the usual escapes; keys plain or quoted; block scalars `|`, `>` with `-`/`+` (blockScalar.ts says which);
//   - flow sequences and flow maps of scalars and aliases, on one line or spread over deeper lines:
//     `["8080:80", 90]`, `{a: 1}`, `{}` (flowCollections.ts);
//   - comments, one `---` before the content, anchors `&a` on values, aliases `*a` as values, `<<` keys (merges are
//     applied by YamlFile, as for the `yaml` path).
// Not taken: a scalar spanning lines inside a flow collection, tags, directives,
// `?` complex keys, anchors or aliases as keys, nested flow collections, tabs outside quotes and comments, a second
// document or `...`, a BOM, a root that is not a block map, and anything else that could be ambiguous.
import { Scalar } from 'yaml';
import type { Alias, Node, YAMLMap, YAMLSeq } from 'yaml';
import { blockScalarAt, isBlockScalarIndicator } from './blockScalar';
import { giveUp, giveUpSignal } from './fastYamlGiveUp';
import { flowMapAt, flowSeqAt, type FlowReader } from './flowCollections';
import { FastAlias, FastMap, FastPair, FastSeq, nullScalar } from './fastYamlNodes';
import { PendingItems } from './pendingItems';
import { plainScalar } from './plainScalar';
import { canStartPlainAt, plainStop } from './plainScalarScan';
import { quotedScalarAt } from './quotedScalar';
import { findDuplicateKeys, maxYamlDepth } from './yamlChecks';
import type { DuplicateKey } from './yamlChecks';
import { AMP, COLON, COMMA, CR, DASH, DOT, DQUOTE, HASH, LBRACE, LBRACKET, LF, RBRACE, RBRACKET, SPACE, SQUOTE, STAR, TAB, isNameChar } from './yamlChars';

export interface AnchoredNode {
  name: string;
  node: Node;
  start: number;
}

export interface FastYamlResult {
  /** null when the text nests deeper than maxYamlDepth (then `tooDeepAt` says where; nothing else is read). */
  root: YAMLMap | null;
  /** Every anchored node, in source order. */
  anchors: AnchoredNode[];
  /** Every alias, in source order. */
  aliases: Alias[];
  /** Keys written twice in one map (compose refuses them). */
  duplicates: DuplicateKey[];
  tooDeepAt?: number;
}

/** Thrown where nesting goes deeper than maxYamlDepth: a file that deep is refused, not handed to `yaml` (whose
 *  recursive reader would only fail later and slower). */
class TooDeep {
  constructor(readonly at: number) {}
}

/** The parsed root map, or undefined when the text is outside the subset (then parse it with `yaml`). */
export function scanComposeYaml(text: string): FastYamlResult | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  if (!crOnlyBeforeLf(text)) return undefined;
  try {
    return new Scanner(text).document();
  } catch (e) {
    if (e === giveUpSignal) return undefined;
    if (e instanceof TooDeep) return { root: null, anchors: [], aliases: [], duplicates: [], tooDeepAt: e.at };
    throw e;
  }
}

function crOnlyBeforeLf(text: string): boolean {
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) return false;
  return true;
}

class Scanner implements FlowReader {
  /** The current content line: where it starts, its indentation, its first character (-1 at the end). */
  private lineStart = 0;
  private indent = -1;
  private cpos = -1;
  private readonly anchors: AnchoredNode[] = [];
  private readonly aliases: Alias[] = [];
  private readonly duplicates: DuplicateKey[] = [];
  /** Block collections open around the current line. */
  private depth = 0;
  readonly pending = new PendingItems();
  readonly n: number;

  constructor(readonly s: string) {
    this.n = s.length;
  }

  document(): FastYamlResult {
    this.seekContent(0, true);
    if (this.cpos < 0 || this.indent !== 0) giveUp();
    const root = this.blockNodeAtLine();
    if (!(root instanceof FastMap) || this.cpos >= 0) giveUp();
    this.anchors.sort((a, b) => a.start - b.start);
    return { root, anchors: this.anchors, aliases: this.aliases, duplicates: this.duplicates };
  }

  /** Moves to the next line with content at or after line start `p`, skipping blank and comment lines. */
  private seekContent(p: number, documentStart = false): void {
    const s = this.s;
    const n = this.n;
    while (p < n) {
      let q = p;
      while (q < n && s.charCodeAt(q) === SPACE) q++;
      const c = q < n ? s.charCodeAt(q) : LF;
      if (c === LF || c === CR || c === HASH) {
        const nl = s.indexOf('\n', q);
        if (nl < 0) break;
        p = nl + 1;
        continue;
      }
      if (c === TAB) giveUp();
      if (q === p && (c === DASH || c === DOT) && this.isDocumentMarker(q)) {
        if (!documentStart || c === DOT) giveUp();
        documentStart = false;
        p = this.endOfLine(q + 3);
        continue;
      }
      this.lineStart = p;
      this.indent = q - p;
      this.cpos = q;
      return;
    }
    this.indent = -1;
    this.cpos = -1;
  }

  private isDocumentMarker(q: number): boolean {
    const s = this.s;
    const c = s.charCodeAt(q);
    if (s.charCodeAt(q + 1) !== c || s.charCodeAt(q + 2) !== c) return false;
    const d = q + 3 < this.n ? s.charCodeAt(q + 3) : LF;
    return d === SPACE || d === LF || d === CR || d === TAB;
  }

  /** After a node on a line: only spaces and a comment may follow. Returns the start of the next line. */
  private endOfLine(q: number): number {
    const s = this.s;
    const start = q;
    while (q < this.n && s.charCodeAt(q) === SPACE) q++;
    if (q >= this.n) return this.n;
    const c = s.charCodeAt(q);
    if (c === HASH) {
      if (q === start && s.charCodeAt(q - 1) !== SPACE) giveUp();
      const nl = s.indexOf('\n', q);
      return nl < 0 ? this.n : nl + 1;
    }
    if (c === LF) return q + 1;
    if (c === CR) return q + 2;
    return giveUp();
  }

  private finishLine(q: number): void {
    this.seekContent(this.endOfLine(q));
  }

  skipSpaces(q: number): number {
    const s = this.s;
    while (q < this.n && s.charCodeAt(q) === SPACE) q++;
    if (s.charCodeAt(q) === TAB) giveUp();
    return q;
  }

  private isSeqIndicator(q: number): boolean {
    if (this.s.charCodeAt(q) !== DASH) return false;
    const d = q + 1 < this.n ? this.s.charCodeAt(q + 1) : LF;
    if (d === TAB) giveUp();
    return d === SPACE || d === LF || d === CR;
  }

  /** A block map or sequence starting at the current content line. */
  private blockNodeAtLine(): YAMLMap | YAMLSeq {
    return this.isSeqIndicator(this.cpos) ? this.blockSeq(this.cpos, this.indent) : this.blockMap(this.cpos, this.indent);
  }

  private enter(at: number): void {
    if (++this.depth > maxYamlDepth) throw new TooDeep(at);
  }

  private blockMap(first: number, indent: number): YAMLMap {
    this.enter(first);
    const mark = this.pending.mark();
    let p = first;
    let end = first;
    for (;;) {
      const key = this.key(p);
      const value = this.valueAfter(this.colon + 1, indent, true);
      this.pending.push(new FastPair(key, value));
      end = contentEndOf(value) ?? key.range![1];
      if (this.cpos < 0 || this.indent < indent) break;
      if (this.indent > indent) giveUp();
      p = this.cpos;
    }
    const map = new FastMap(false, this.pending.take(mark));
    map.range = [first, end, end];
    findDuplicateKeys(map.items, this.duplicates);
    this.depth--;
    return map;
  }

  private blockSeq(first: number, indent: number): YAMLSeq {
    this.enter(first);
    const mark = this.pending.mark();
    let p = first;
    let end = first;
    for (;;) {
      const item = this.valueAfter(p + 1, indent, false);
      this.pending.push(item);
      end = contentEndOf(item) ?? p + 1;
      if (this.cpos < 0 || this.indent < indent) break;
      if (this.indent > indent) giveUp();
      if (!this.isSeqIndicator(this.cpos)) break;
      p = this.cpos;
    }
    const seq = new FastSeq(false, this.pending.take(mark));
    seq.range = [first, end, end];
    this.depth--;
    return seq;
  }

  /** A block map key at `p`, plain or quoted, followed by `:` and a space or the line's end; ends at the `:`. */
  private key(p: number): Scalar {
    const s = this.s;
    const c = s.charCodeAt(p);
    let key: Scalar;
    let q: number;
    if (c === DQUOTE || c === SQUOTE) {
      key = this.quoted(p);
      q = this.skipSpaces(key.range![1]);
      if (s.charCodeAt(q) !== COLON || !this.isSeparatorAt(q + 1)) giveUp();
    } else {
      if (!this.canStartPlain(p, false)) giveUp();
      const end = this.plainEnd(p, false);
      q = this.stop;
      if (s.charCodeAt(q) !== COLON) giveUp();
      key = plainScalar(s.slice(p, end), p, end);
    }
    if (q - p > 1000) giveUp(); // `yaml` limits implicit keys to 1024 characters
    this.colon = q;
    return key;
  }

  /** Where the last key's `:` is (keys may have spaces before it). */
  private colon = 0;
  /** Where the last plain scalar scan stopped: line end, comment, `:` indicator or (in flow) a flow indicator. */
  stop = 0;

  private isSeparatorAt(q: number): boolean {
    if (q >= this.n) return true;
    const d = this.s.charCodeAt(q);
    if (d === TAB) giveUp();
    return d === SPACE || d === LF || d === CR;
  }

  /**
   * The value after a map's `:` or a sequence's `-` (`after` is just past the indicator). `indent` is the parent's
   * indentation; a map's value may be a sequence at that same indentation. Leaves the scanner on the next content
   * line after the value.
   */
  private valueAfter(after: number, indent: number, inMap: boolean): Node {
    const s = this.s;
    let p = this.skipSpaces(after);
    let anchor: string | undefined;
    let c = p < this.n ? s.charCodeAt(p) : LF;
    if (c === AMP) {
      let q = p + 1;
      while (q < this.n && isNameChar(s.charCodeAt(q))) q++;
      if (q === p + 1 || !this.isSeparatorAt(q)) giveUp();
      anchor = s.slice(p + 1, q);
      p = this.skipSpaces(q);
      c = p < this.n ? s.charCodeAt(p) : LF;
    }
    if (c === LF || c === CR || (c === HASH && p > after)) {
      // nothing on this line: a nested block below, or null
      const nullAt = p;
      this.finishLine(p);
      let node: Node;
      const below = this.cpos >= 0 ? s.charCodeAt(this.cpos) : LF;
      if (this.cpos >= 0 && this.indent > indent && (below === LBRACKET || below === LBRACE)) {
        // `command:` with its flow collection on the next line
        node = below === LBRACKET ? flowSeqAt(this, this.cpos, indent) : this.flowMap(this.cpos, indent);
        this.finishLine(node.range![1]);
      } else if (this.cpos >= 0 && this.indent > indent) node = this.blockNodeAtLine();
      else if (inMap && this.cpos >= 0 && this.indent === indent && this.isSeqIndicator(this.cpos)) node = this.blockSeq(this.cpos, indent);
      else node = nullScalar(nullAt);
      return this.anchored(node, anchor);
    }
    if (c === STAR) {
      if (anchor !== undefined) giveUp();
      const alias = this.alias(p);
      this.finishLine(alias.range![1]);
      return alias;
    }
    if (isBlockScalarIndicator(c)) {
      const node = blockScalarAt(s, p, indent) ?? giveUp();
      this.seekContent(node.range![1]);
      return this.anchored(node, anchor);
    }
    if (c === LBRACKET || c === LBRACE) {
      const node = c === LBRACKET ? flowSeqAt(this, p, indent) : this.flowMap(p, indent);
      this.finishLine(node.range![1]);
      return this.anchored(node, anchor);
    }
    if (c === DQUOTE || c === SQUOTE) {
      const node = this.quoted(p);
      const q = this.skipSpaces(node.range![1]);
      if (s.charCodeAt(q) === COLON) return this.compactMap(p, inMap, anchor);
      this.finishLine(q);
      return this.anchored(node, anchor);
    }
    if (this.isSeqIndicator(p)) {
      if (inMap || anchor !== undefined) giveUp();
      return this.blockSeq(p, p - this.lineStart);
    }
    if (!this.canStartPlain(p, false)) giveUp();
    const end = this.plainEnd(p, false);
    if (s.charCodeAt(this.stop) === COLON) return this.compactMap(p, inMap, anchor);
    const node = plainScalar(s.slice(p, end), p, end);
    this.finishLine(this.stop);
    return this.anchored(node, anchor);
  }

  /** `- key: value` (a map starting on a sequence item's line); anywhere else a key here is refused. */
  private compactMap(p: number, inMap: boolean, anchor: string | undefined): YAMLMap {
    if (inMap || anchor !== undefined) giveUp(); // `a: b: c` is an error; `- &x k: v` anchors the key
    return this.blockMap(p, p - this.lineStart);
  }

  private flowMap(p: number, indent: number): YAMLMap {
    const map = flowMapAt(this, p, indent);
    findDuplicateKeys(map.items, this.duplicates);
    return map;
  }

  private anchored<T extends Node>(node: T, anchor: string | undefined): T {
    if (anchor !== undefined) {
      (node as Scalar).anchor = anchor;
      this.anchors.push({ name: anchor, node, start: node.range![0] });
    }
    return node;
  }

  alias(p: number): Alias {
    const s = this.s;
    let q = p + 1;
    while (q < this.n && isNameChar(s.charCodeAt(q))) q++;
    if (q === p + 1) giveUp();
    const d = q < this.n ? s.charCodeAt(q) : LF;
    if (!(d === SPACE || d === LF || d === CR || d === COMMA || d === RBRACKET || d === RBRACE)) giveUp();
    // `*a :` would make the alias a key
    if (s.charCodeAt(this.skipSpaces(q)) === COLON) giveUp();
    const alias = new FastAlias(s.slice(p + 1, q), p, q);
    this.aliases.push(alias);
    return alias;
  }

  canStartPlain(p: number, flow: boolean): boolean {
    return canStartPlainAt(this.s, p, flow);
  }

  /** Scans a plain scalar on one line from `p` (plainStop); returns the end of its text, trailing spaces excluded. */
  plainEnd(p: number, flow: boolean): number {
    const stop = plainStop(this.s, p, flow);
    this.stop = stop;
    let end = stop;
    while (end > p && this.s.charCodeAt(end - 1) === SPACE) end--;
    return end;
  }

  /** A quoted scalar on one line at `p`. */
  quoted(p: number): Scalar {
    return quotedScalarAt(this.s, p) ?? giveUp();
  }
}

// read once: bundled, a CommonJS package's exports are read through a getter at every use
const ScalarClass = Scalar;

/** Where a value's content ends (for the parent's range); undefined for an empty value. */
function contentEndOf(node: Node): number | undefined {
  const r = node.range!;
  return r[0] === r[1] && node instanceof ScalarClass ? undefined : r[1];
}
