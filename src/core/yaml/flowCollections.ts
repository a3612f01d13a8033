// Flow collections inside the fast YAML subset (fastYaml.ts): `[a, b]` and `{k: v}` of scalars and aliases, on one
// line or spread over lines deeper than their parent, with comments between items. Nested flow collections and
// multi-line scalars inside them are outside the subset.
import type { Alias, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { giveUp } from './fastYamlGiveUp';
import { FastMap, FastPair, FastSeq } from './fastYamlNodes';
import type { PendingItems } from './pendingItems';
import { plainScalar } from './plainScalar';
import { COLON, COMMA, CR, DQUOTE, HASH, LF, RBRACE, RBRACKET, SPACE, SQUOTE, STAR, TAB } from './yamlChars';

/** What the flow reader borrows from the block scanner: the text and its scalar readers. */
export interface FlowReader {
  readonly s: string;
  readonly n: number;
  /** Where the last plainEnd stopped. */
  readonly stop: number;
  /** Items of the collections being read (a flow collection takes its own when it ends). */
  readonly pending: PendingItems;
  skipSpaces(q: number): number;
  quoted(p: number): Scalar;
  alias(p: number): Alias;
  canStartPlain(p: number, flow: boolean): boolean;
  plainEnd(p: number, flow: boolean): number;
}

/** A flow sequence at `p`, on one line or several (each deeper than `parentIndent`). */
export function flowSeqAt(r: FlowReader, p: number, parentIndent: number): YAMLSeq {
  const mark = r.pending.mark();
  const q = flowItems(r, p, parentIndent, RBRACKET, (at) => {
    const item = flowScalarAt(r, at);
    if (r.s.charCodeAt(r.skipSpaces(item.range![1])) === COLON) giveUp(); // `[a: 1]` is a map in a sequence
    r.pending.push(item);
    return item.range![1];
  });
  const seq = new FastSeq(true, r.pending.take(mark));
  seq.range = [p, q + 1, q + 1];
  return seq;
}

/** A flow map at `p`, on one line or several (each deeper than `parentIndent`); each pair on one line. */
export function flowMapAt(r: FlowReader, p: number, parentIndent: number): YAMLMap {
  const s = r.s;
  const mark = r.pending.mark();
  const q = flowItems(r, p, parentIndent, RBRACE, (at, c) => {
    if (c === STAR) giveUp();
    const key = flowScalarAt(r, at);
    let v = r.skipSpaces(key.range![1]);
    if (s.charCodeAt(v) !== COLON || s.charCodeAt(v + 1) !== SPACE) giveUp();
    v = r.skipSpaces(v + 1);
    const value = flowScalarAt(r, v);
    r.pending.push(new FastPair(key, value));
    return value.range![1];
  });
  const map = new FastMap(true, r.pending.take(mark));
  map.range = [p, q + 1, q + 1];
  return map;
}

/**
 * The items of a flow collection opened at `p`, up to its `close` character (whose offset it returns): gaps and
 * comments skipped, items separated by commas, anything else given up on. `readItem` reads one item at `at` (whose
 * first character is `c`), pushes it and returns where it ends.
 */
function flowItems(r: FlowReader, p: number, parentIndent: number, close: number, readItem: (at: number, c: number) => number): number {
  const s = r.s;
  let q = p + 1;
  for (;;) {
    q = skipFlowGap(r, q, parentIndent);
    const c = q < r.n ? s.charCodeAt(q) : LF;
    if (c === close) return q;
    q = skipFlowGap(r, readItem(q, c), parentIndent);
    const d = q < r.n ? s.charCodeAt(q) : LF;
    if (d === COMMA) { q++; continue; }
    if (d === close) return q;
    giveUp();
  }
}

/** A scalar or alias inside a flow collection. */
function flowScalarAt(r: FlowReader, q: number): Scalar | Alias {
  const s = r.s;
  const c = q < r.n ? s.charCodeAt(q) : LF;
  if (c === DQUOTE || c === SQUOTE) return r.quoted(q);
  if (c === STAR) return r.alias(q);
  if (!r.canStartPlain(q, true)) giveUp();
  const end = r.plainEnd(q, true);
  const stop = s.charCodeAt(r.stop);
  // at a line's end or a comment the caller checks that a `,` or the end follows (else it is a multi-line plain)
  if (!(stop === COMMA || stop === RBRACKET || stop === RBRACE || stop === COLON || stop === LF || stop === CR || stop === HASH)) giveUp();
  return plainScalar(s.slice(q, end), q, end);
}

/**
 * Spaces, line breaks and comments between the items of a flow collection: the position of the next item, `,` or
 * closing bracket. Lines must be deeper than `parentIndent` (a closing bracket may stand at it; `yaml` only warns);
 * comment and blank lines may be anywhere.
 */
function skipFlowGap(r: FlowReader, q: number, parentIndent: number): number {
  const s = r.s;
  for (;;) {
    const from = q;
    q = r.skipSpaces(q);
    let c = q < r.n ? s.charCodeAt(q) : -1;
    if (c === HASH) {
      const before = s.charCodeAt(q - 1);
      // a comment needs a space before it; one at column 0 is an error for `yaml` after a flow map value
      if (q === from && before !== SPACE) giveUp();
      q = s.indexOf('\n', q);
      if (q < 0) giveUp();
      c = LF;
    }
    if (c === CR) c = s.charCodeAt(++q);
    if (c !== LF) return q;
    const lineStart = ++q;
    while (s.charCodeAt(q) === SPACE) q++;
    const d = q < r.n ? s.charCodeAt(q) : -1;
    if (d === LF || d === CR || d === HASH) continue;
    if (d === TAB || d < 0) giveUp();
    const indent = q - lineStart;
    if (indent <= parentIndent && !(indent === parentIndent && (d === RBRACKET || d === RBRACE))) giveUp();
  }
}
