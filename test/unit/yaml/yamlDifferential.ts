// The differential check of the fast YAML path against the `yaml` package, shared by the fast YAML tests: the nodes,
// YamlFile's answers and the whole analysis (findings, lenses, every quick fix) must be the same, or the fast path
// must have given up.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Node, Pair } from 'yaml';
import { analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import { portsLenses } from '../../../src/core/compose/present/lenses';
import { bindToLoopbackEditsIn, removePortEntryEditsIn, useHostNetworkEditsIn } from '../../../src/core/compose/fixes';
import { contentEnd, withYamlParser, YamlFile } from '../../../src/core/yaml';
import { fixturePath, corpusPath } from '../../paths';
import { seededRandom } from '../../support/seededRandom';

export const corpusDir = corpusPath('compose');
export const fixturesDir = fixturePath('compose');

export function yamlFilesIn(dir: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFilesIn(full).map((f) => ({ ...f, name: `${entry.name}/${f.name}` })));
    else if (/\.ya?ml$/.test(entry.name)) out.push({ name: entry.name, text: fs.readFileSync(full, 'utf8') });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The nodes as the analysis consumes them: values, types, anchors, start and content end; flow collections' end. */
function tree(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  const n = node as Node;
  const r = n.range ?? [-1, -1, -1];
  if (isScalar(n)) {
    return { value: n.value, type: n.type, format: n.format, minFractionDigits: n.minFractionDigits, anchor: n.anchor, source: n.source, start: r[0],
      end: r[1] };
  }
  if (isAlias(n)) return { alias: n.source, start: r[0], end: r[1] };
  if (isMap(n)) {
    return {
      map: (n.items as Pair[]).map((p) => [tree(p.key), tree(p.value)]), flow: !!n.flow, anchor: n.anchor,
      start: r[0], contentEnd: contentEnd(n), ...(n.flow ? { end: r[1] } : {}),
    };
  }
  if (isSeq(n)) {
    return { seq: n.items.map((i) => tree(i)), flow: !!n.flow, anchor: n.anchor, start: r[0], contentEnd: contentEnd(n), ...(n.flow ? { end: r[1] } : {}) };
  }
  return { unknown: String(node) };
}

/** What YamlFile's helpers answer for every node: ranges, scalar text and offsets, map entries (merges applied). */
function helperAnswers(y: YamlFile): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<Node>();
  const walk = (node: Node | null) => {
    if (!node || seen.has(node)) return;
    seen.add(node);
    const s = y.scalar(node);
    const entries = y.entries(node);
    for (const e of entries) assert.deepStrictEqual(y.get(node, e.key), entries.find((x) => x.key === e.key));
    assert.equal(y.get(node, '\u0000 no such key'), undefined);
    out.push({
      range: y.range(node),
      scalar: s && { text: s.text, start: s.start, end: s.end, offsets: s.textStart !== undefined ? [...s.text].map((_c, i) => s.textStart! + i) : undefined },
      entries: y.entries(node).map((e) => ({ key: e.key, merged: e.merged, keyRange: y.range(e.keyNode), value: y.range(e.value),
        written: y.range(e.writtenValue) })),
      items: y.items(node).map((i) => y.range(i)),
      sequenceItem: node.range && y.range(y.sequenceItemAt(node.range[0])?.seq),
    });
    if (isMap(node)) for (const p of node.items as Pair<Node, Node | null>[]) { walk(p.key); walk(p.value); }
    if (isSeq(node)) for (const i of node.items as Node[]) walk(i);
    if (isAlias(node)) walk(y.resolve(node));
  };
  walk(y.root);
  return out;
}

/** The analysis as the editor and the CLI see it, and every quick fix for every service and port entry. */
function analysisView(name: string, text: string, fixSample = 1) {
  const a = analyzeComposeText(text, name, { severities: { 'published-on-all-interfaces': 'info' } });
  const file = a.files[0]!;
  const fixes: unknown[] = [];
  let i = 0;
  for (const svc of file.services.values()) {
    if (i++ % fixSample === 0) fixes.push(useHostNetworkEditsIn(file.yaml, svc.name));
    for (const p of [...svc.ports, ...svc.unresolvedPorts]) {
      if (i++ % fixSample !== 0) continue;
      fixes.push(bindToLoopbackEditsIn(file.yaml, p.range.start), removePortEntryEditsIn(file.yaml, p.range.start));
    }
  }
  const services = [...a.project.services.values()].map((s) => ({ ...s }));
  return { parsedBy: file.yaml.parsedBy, findings: a.findings, lenses: portsLenses(a, name), services, networks: [...a.project.networks.entries()], fixes };
}

/** Asserts the fast path gives up or agrees with `yaml`; returns whether it took the file. */
export function checkSame(name: string, text: string): boolean {
  const ref = withYamlParser('yaml', () => new YamlFile(name, text));
  const fast = new YamlFile(name, text);
  if (fast.parsedBy !== 'fast') return false;
  // the fast path reports no YAML syntax errors (it gives up on them); what compose refuses in well-formed YAML (a key
  // written twice, an alias inside its anchor, deep nesting) both paths report alike
  assert.deepEqual(fast.problems, ref.problems, `${name}: the fast path took a file yaml finds errors in, or reports others`);
  assert.deepStrictEqual(tree(fast.root), tree(ref.root), `${name}: nodes differ`);
  assert.deepStrictEqual(helperAnswers(fast), helperAnswers(ref), `${name}: YamlFile answers differ`);
  return true;
}

export function checkSameAnalysis(name: string, text: string, fixSample = 1): boolean {
  const fast = analysisView(name, text, fixSample);
  const ref = withYamlParser('yaml', () => analysisView(name, text, fixSample));
  assert.equal(ref.parsedBy, 'yaml');
  if (fast.parsedBy !== 'fast') return false;
  assert.deepStrictEqual({ ...fast, parsedBy: '' }, { ...ref, parsedBy: '' }, `${name}: analysis differs`);
  return true;
}

/** A small deterministic PRNG, so failures reproduce. */
export function prng(seed: number) {
  const next = seededRandom(seed);
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}
