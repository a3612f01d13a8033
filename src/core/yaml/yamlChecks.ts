// What compose refuses in a file that still parses as YAML, checked once per file for both YAML paths: a mapping key
// written twice (`mapping key "web" already defined at line 2`), an alias inside the node its anchor names (compose:
// "cycle detected"), and nesting deeper than any compose file needs (a guard for the recursive readers after it).
// Also: many YAML errors become one problem at the first, as `docker compose` reports one.
import type { Alias, Node, Pair } from 'yaml';
import * as yamlPackage from 'yaml';
import { formatCount } from '../cost/dockerProxyCost';
import type { AnchoredNode } from './fastYaml';

const { isAlias, isMap, isScalar, isSeq } = yamlPackage;

/** Deeper nesting is refused (the scanners and readers recurse per level; real compose files nest about ten). */
export const maxYamlDepth = 256;

export interface YamlProblem {
  message: string;
  start: number;
  end: number;
}

/** A key written twice in one map: where each is, and the key as compose compares it (the text, not the value). */
export interface DuplicateKey {
  key: string;
  first: number;
  second: number;
  secondEnd: number;
}

/** Finds the keys of one map's pairs written twice; `out` gets each repeat. Small maps compare pairwise (no Set). */
export function findDuplicateKeys(items: readonly Pair<unknown, unknown>[], out: DuplicateKey[]): void {
  const n = items.length;
  if (n < 2) return;
  if (n <= 16) {
    for (let j = 1; j < n; j++) {
      const kj = keyText(items[j]!.key);
      if (kj === undefined) continue;
      for (let i = 0; i < j; i++) {
        if (keyText(items[i]!.key) === kj) { out.push(duplicate(kj, items[i]!.key as Node, items[j]!.key as Node)); break; }
      }
    }
    return;
  }
  const firstOf = new Map<string, Node>();
  for (const pair of items) {
    const k = keyText(pair.key);
    if (k === undefined) continue;
    const first = firstOf.get(k);
    if (first) out.push(duplicate(k, first, pair.key as Node));
    else firstOf.set(k, pair.key as Node);
  }
}

function duplicate(key: string, first: Node, second: Node): DuplicateKey {
  return { key, first: first.range![0], second: second.range![0], secondEnd: second.range![1] };
}

/** A scalar key as go-yaml compares keys: its text as written (unescaped), so `1` and `"1"` are the same key. */
function keyText(key: unknown): string | undefined {
  if (!key || !isScalar(key)) return undefined;
  return typeof key.source === 'string' ? key.source : String(key.value);
}

/** What a walk of a `yaml` document finds (the fast scanner collects the same while it reads). */
export interface TreeFacts {
  anchors: AnchoredNode[];
  aliases: Alias[];
  duplicates: DuplicateKey[];
  /** Where nesting first goes deeper than maxYamlDepth. */
  tooDeepAt?: number;
}

/** Walks the tree without recursion (a deep tree must not overflow the stack here either). */
export function walkYamlTree(root: Node | null): TreeFacts {
  const facts: TreeFacts = { anchors: [], aliases: [], duplicates: [] };
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (isAlias(node)) { facts.aliases.push(node); continue; }
    const n = node as Node;
    if ((isScalar(n) || isMap(n) || isSeq(n)) && n.anchor) facts.anchors.push({ name: n.anchor, node: n, start: n.range?.[0] ?? 0 });
    if (!isMap(n) && !isSeq(n)) continue;
    if (depth >= maxYamlDepth) { facts.tooDeepAt ??= n.range?.[0] ?? 0; continue; }
    if (isMap(n)) {
      findDuplicateKeys(n.items, facts.duplicates);
      for (const pair of n.items) {
        stack.push({ node: pair.key, depth: depth + 1 });
        stack.push({ node: pair.value, depth: depth + 1 });
      }
    } else for (const item of n.items) stack.push({ node: item, depth: depth + 1 });
  }
  facts.anchors.sort((a, b) => a.start - b.start);
  return facts;
}

/** Line numbers (1-based) of offsets, from one index of line starts made on first use. */
export class LineNumbers {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  of(offset: number): number {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid; else hi = mid - 1;
    }
    return lo + 1;
  }
}

export function duplicateKeyProblem(d: DuplicateKey, lines: LineNumbers): YamlProblem {
  return {
    message: `mapping key "${d.key}" already defined at line ${lines.of(d.first)}: compose refuses a key written twice in one map`,
    start: d.second, end: Math.max(d.secondEnd, d.second + 1),
  };
}

export function tooDeepProblem(at: number, textLength: number): YamlProblem {
  return { message: `nested deeper than ${maxYamlDepth} levels: not read further (no compose file needs that many)`, start: at,
    end: Math.min(textLength, at + 1) };
}

/**
 * The first alias that sits inside the node its anchor names (`web: &w {<<: [*w]}`): following it never ends, and
 * compose refuses the file ("cycle detected"). `resolve` follows one alias.
 */
export function selfContainingAlias(aliases: readonly Alias[], resolve: (a: Alias) => Node | null): YamlProblem | undefined {
  let found: YamlProblem | undefined;
  for (const alias of aliases) {
    const at = alias.range?.[0] ?? 0;
    const target = resolve(alias);
    const r = target?.range;
    if (!r || !(r[0] <= at && at < r[1])) continue;
    if (found && found.start <= at) continue;
    found = {
      message: `alias *${alias.source} is inside the node &${alias.source} names, so it contains itself: compose refuses the file (cycle detected)`,
      start: at, end: alias.range?.[1] ?? at + 1,
    };
  }
  return found;
}

/** YAML errors as compose reports them: one, at the first, with how many more there are. */
export function firstOfProblems(problems: YamlProblem[]): YamlProblem[] {
  if (problems.length <= 1) return problems;
  let first = problems[0]!;
  for (const p of problems) if (p.start < first.start) first = p;
  const more = problems.length - 1;
  return [{ ...first, message: `${first.message} … and ${formatCount(more)} more ${more === 1 ? 'problem' : 'problems'}` }];
}
