// Differential test of the fast YAML path (fastYaml.ts) against the `yaml` package, the reference: for every corpus
// file, fixture, generated file, tricky snippet and random mutant, the fast path either gives up or yields the same
// nodes (values, types, anchors, offsets), the same answers from YamlFile's helpers, and the same analysis
// (findings, lenses, fix edits). A file `yaml` finds an error in must never be taken by the fast path.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import { analyzeComposeText, portsLenses } from '../../../src/core/compose/analyzeCompose';
import { scanComposeYaml } from '../../../src/core/compose/fastYaml';
import { bindToLoopbackEditsIn, removePortEntryEditsIn, useHostNetworkEditsIn } from '../../../src/core/compose/fixes';
import { contentEnd, withYamlParser, YamlFile } from '../../../src/core/compose/yamlFile';

const corpusDir = path.join(__dirname, '../../../../../shared/corpus/compose');
const fixturesDir = path.join(__dirname, '../../../../test/fixtures/compose');

function yamlFilesIn(dir: string): { name: string; text: string }[] {
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
    return { value: n.value, type: n.type, format: n.format, minFractionDigits: n.minFractionDigits, anchor: n.anchor, source: n.source, start: r[0], end: r[1] };
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
      entries: y.entries(node).map((e) => ({ key: e.key, merged: e.merged, keyRange: y.range(e.keyNode), value: y.range(e.value), written: y.range(e.writtenValue) })),
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
function checkSame(name: string, text: string): boolean {
  const ref = withYamlParser('yaml', () => new YamlFile(name, text));
  const fast = new YamlFile(name, text);
  if (fast.parsedBy !== 'fast') return false;
  assert.deepEqual(ref.problems, [], `${name}: the fast path took a file yaml finds errors in`);
  assert.deepStrictEqual(tree(fast.root), tree(ref.root), `${name}: nodes differ`);
  assert.deepStrictEqual(helperAnswers(fast), helperAnswers(ref), `${name}: YamlFile answers differ`);
  return true;
}

function checkSameAnalysis(name: string, text: string, fixSample = 1): boolean {
  const fast = analysisView(name, text, fixSample);
  const ref = withYamlParser('yaml', () => analysisView(name, text, fixSample));
  assert.equal(ref.parsedBy, 'yaml');
  if (fast.parsedBy !== 'fast') return false;
  assert.deepStrictEqual({ ...fast, parsedBy: '' }, { ...ref, parsedBy: '' }, `${name}: analysis differs`);
  return true;
}

/** A small deterministic PRNG, so failures reproduce. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

/** A compose file using most of the subset: anchors, merges, every port form, comments, odd spacing. */
function generatedCompose(seed: number, services = 40): string {
  const r = prng(seed);
  const ind = r.pick(['  ', '    ', ' ']);
  const seqIndent = r.pick(['', ind]);
  const i2 = ind + ind;
  const i3 = i2 + ind;
  const trail = () => r.pick(['', '', '', '  ', ' # note', '   #: odd # comment']);
  const lines: string[] = [];
  if (r.next() < 0.3) lines.push('# generated', '---');
  if (r.next() < 0.5) lines.push(r.pick(['version: "3.8"', 'version: 3.8', "version: '2.4'", 'version: 3.10']));
  lines.push(`x-common: &common${trail()}`, `${ind}restart: unless-stopped`, `${ind}labels:`, `${ind}${seqIndent}- "a=b # not a comment"`, `${ind}${seqIndent}- 'c: d'`);
  lines.push(`x-ports: &ports${trail()}`, `${ind}${seqIndent}- "7000:7000"`, `${ind}${seqIndent}- 7001`);
  lines.push('x-net: &net', `${ind}networks: [front, back]`);
  lines.push('x-empty: {}', `x-list: &list [1, "2", '3', *common]`);
  lines.push('', 'services:');
  const portForms = [
    () => `"${1000 + r.int(60000)}:80"`, () => `'${1000 + r.int(60000)}:81/udp'`, () => `${1000 + r.int(60000)}`,
    () => `"127.0.0.1:${1000 + r.int(60000)}:82"`, () => `"${20000 + r.int(100)}-${20100 + r.int(100)}:5000-5009"`,
    () => '"1-65535:1-65535/udp"', () => `"[::1]:${1000 + r.int(60000)}:83"`, () => `"\${PORT:-${1000 + r.int(100)}}:84"`,
    () => `${1000 + r.int(60000)}:85`, () => `"${1000 + r.int(60000)}:86/sctp"`, () => '"99999:1"', () => '"80:80/xyz"',
    () => `"9000-9001:8000"`, () => `'${r.int(70000)}'`,
  ];
  for (let i = 0; i < services; i++) {
    const name = r.pick([`svc-${i}`, `"svc.${i}"`, `svc_${i}`, `'s/${i}'`, `ünï-${i}`]);
    lines.push(`${ind}${name}:${trail()}`);
    if (r.next() < 0.3) lines.push(`${i2}<<: *common`);
    else if (r.next() < 0.2) lines.push(`${i2}<<: [*common, *net]`);
    lines.push(`${i2}image: ${r.pick(['nginx', '"nginx:1.25"', "'redis:7'", 'example/app:1.0', 'registry:5000/x@sha256:abc'])}${trail()}`);
    const form = r.int(6);
    if (form === 0) {
      lines.push(`${i2}ports: [${Array.from({ length: 1 + r.int(3) }, () => r.pick(portForms)()).join(', ')}]${trail()}`);
    } else if (form === 1) {
      lines.push(`${i2}ports:`, `${i2}${seqIndent}- target: ${80 + r.int(10)}`, `${i2}${seqIndent}  published: "${8000 + r.int(1000)}"`,
        `${i2}${seqIndent}  protocol: ${r.pick(['tcp', 'udp', 'quic'])}`, `${i2}${seqIndent}  host_ip: ${r.pick(['127.0.0.1', '"::1"', 'nope'])}`,
        `${i2}${seqIndent}- {target: 90, published: ${9000 + r.int(100)}, mode: host}`);
    } else if (form === 2) {
      lines.push(`${i2}ports: *ports`);
    } else if (form === 3) {
      lines.push(`${i2}ports:${trail()}`);
      for (let k = 0; k < 1 + r.int(4); k++) lines.push(`${i2}${seqIndent}- ${r.pick(portForms)()}${trail()}`);
      if (r.next() < 0.3) lines.push(`${ind}${ind}# a comment inside`);
    }
    if (r.next() < 0.3) lines.push(`${i2}expose:`, `${i2}${seqIndent}- "3000"`, `${i2}${seqIndent}- 3001-3005/udp`);
    if (r.next() < 0.2) lines.push(`${i2}network_mode: ${r.pick(['host', '"service:db"', 'none', 'bridge', 'container:x'])}`);
    if (r.next() < 0.4) lines.push(`${i2}networks:`, `${i3}front:`, `${i3}back: {}`, `${i3}internal_net:`, `${i3}${ind}aliases: [a, b]`);
    else if (r.next() < 0.3) lines.push(`${i2}networks: [front]`);
    if (r.next() < 0.3) lines.push(`${i2}environment:`, `${i3}A: "1"`, `${i3}B: 'x # y'`, `${i3}C: a: b`.replace('a: b', '"a: b"'), `${i3}D:`, `${i3}E: ~`);
    if (r.next() < 0.2) lines.push(`${i2}profiles: ["debug", tools]`);
    if (r.next() < 0.2) lines.push(`${i2}extends: svc-0`);
    if (r.next() < 0.2) lines.push(`${i2}command: ["sh", "-c", "echo 'hi: there' # not a comment"]`);
    if (r.next() < 0.2) lines.push(`${i2}healthcheck:`, `${i3}test:`, `${i3}${seqIndent}- CMD`, `${i3}${seqIndent}- - nested`, `${i3}${seqIndent}  - seq`);
    if (r.next() < 0.15) lines.push('');
  }
  lines.push('networks:', `${ind}front:`, `${ind}back:`, `${i2}internal: true`, `${ind}internal_net:`, `${i2}driver: macvlan`,
    `${i2}ipam:`, `${i3}config:`, `${i3}${seqIndent}- subnet: 10.0.0.0/24`);
  const text = `${lines.join('\n')}\n`;
  return r.next() < 0.2 ? text.replace(/\n/g, '\r\n') : text;
}

const tricky: Record<string, string> = {
  'hash inside quotes': 'services:\n  a:\n    ports: ["80:80 # x", \'81:81#y\']\n    image: "img#tag" # real comment\n',
  'colon-space inside quotes': 'services:\n  a:\n    image: "x: y"\n    labels: {"k: v": \'a: b\'}\n',
  'trailing spaces': 'services:   \n  a:    \n    ports:   \n      - "80:80"    \n      - 81   \n',
  crlf: 'services:\r\n  a:\r\n    ports:\r\n      - "80:80"\r\n      -\r\n    expose:\r\n    networks:\r\n      n:\r\n',
  'empty values': 'services:\n  a:\n    ports:\n    - \n    -\n    networks:\n    expose: []\n  b:\n',
  'empty values at the end': 'services:\n  a:\n    image:',
  'nested sequences': 'x:\n  - - a\n    - - b\n      - c\n  -\n    - d\n  - [e, f]\nservices: {}\n',
  'anchor on a sequence': 'x-p: &p\n  - "80:80"\n  - 81\nservices:\n  a:\n    ports: *p\n  b:\n    ports: *p\n',
  'anchor on a flow sequence': 'x-p: &p ["80:80", 81]\nservices:\n  a:\n    ports: *p\n',
  'anchored scalar and null': 'x: &n\ny: &s "8080:80"\nservices:\n  a:\n    ports: [*s, *s]\n    image: *n\n',
  'merge overriding': 'x-a: &a\n  image: a\n  ports: ["1:1"]\nx-b: &b\n  image: b\n  network_mode: host\nservices:\n  s:\n    <<: [*a, *b]\n    image: own\n  t:\n    image: t\n    <<: *b\n',
  'merge key quoted is no merge': 'x-a: &a\n  ports: ["1:1"]\nservices:\n  s:\n    "<<": *a\n',
  'keys with dots and slashes': 'services:\n  my.app/v1:\n    ports: ["80"]\n  "a.b":\n    ports: [\'81\']\n  x-y_z.1: {}\n',
  unicode: 'services:\n  café:\n    image: "naïve/ünï:1"\n    labels: [日本語, "emoji 🐳", \'ä: ö\']\n    ports: ["８０:80"]\n',
  'document start': '# c\n---   # c\nservices:\n  a:\n    ports: ["80:80"]\n',
  'numbers and bools': 'x: [0o17, 0x1F, 1e3, .5, 1.50, -.inf, .NaN, +12, 012, True, FALSE, ~, Null, 0.0]\nservices:\n  a:\n    ports: [0x50, 8080:80, 1_000]\n',
  'escapes in double quotes': 'services:\n  a:\n    image: "a\\tb\\u00e9\\x41\\\\\\"\\/"\n    ports: ["80\\x3a80"]\n',
  'single quote escape': "services:\n  a:\n    image: 'it''s'\n    ports: ['80:80', '''81''']\n",
  'compact sequence under keys': 'services:\n  a:\n    ports:\n    - "80:80"\n    - "81:81"\n    expose:\n    - 3000\n',
  'seq item maps with odd indents': 'services:\n  a:\n    ports:\n      -   target: 80\n          published: 8080\n      - target: 81\n        published: "8081"\n',
  'key with spaces before colon': 'services :\n  a   :\n    ports  : ["80:80"]\n',
  'plain with inner colon and hash': 'services:\n  a:\n    image: reg:5000/a#b\n    ports: [http://x, "a"]\n',
  'alias to an unknown anchor': 'services:\n  a:\n    ports: *nope\n',
  'anchors redefined': 'x: &a ["1:1"]\ny: &a ["2:2"]\nservices:\n  s:\n    ports: *a\n',
  'flow trailing comma and spaces': 'services:\n  a:\n    ports: [ "80:80" , 81 ,]\n    networks: { }\n',
  'deeper comment lines': 'services:\n  a:\n        # deep comment\n    ports:\n  # shallow comment\n      - 80\n',
  'unicode spaces and separators': 'services:\n  a:\n    image: "x\u2028y"\n    labels: [a\u00a0b, \u00a0c]\n  b\u2028c: {}\n  d\u3000e: {}\n',
  'numbers as keys': 'services:\n  1:\n    ports: ["80"]\n  2.5: {}\n  true: {}\n',
  // outside the subset: the fast path must give up (and `yaml` reports what is wrong, if anything)
  'block scalar': 'services:\n  a:\n    command: |\n      run\n',
  'tab indentation': 'services:\n\ta:\n\t\tports: ["80"]\n',
  'multiple documents': 'services: {}\n---\nservices: {}\n',
  'multi-line flow': 'services:\n  a:\n    ports: ["80",\n      "81"]\n',
  'multi-line plain': 'services:\n  a:\n    image: a\n      b\n',
  'multi-line quoted': 'services:\n  a:\n    image: "a\n      b"\n',
  tag: 'services:\n  a:\n    ports: !!seq ["80"]\n',
  directive: '%YAML 1.2\n---\nservices: {}\n',
  'complex key': 'services:\n  ? a\n  : ports: ["80"]\n',
  'bad indentation': 'services:\n  a:\n    ports: ["80"]\n   image: x\n',
  'nested mapping on one line': 'services:\n  a: b: c\n',
  'unclosed quote': 'services:\n  a:\n    image: "x\n',
  'quote then text': 'services:\n  a:\n    image: "x"y\n',
  'anchor on a key': 'services:\n  &k a:\n    ports: ["80"]\n',
  'alias as key': 'x: &k a\nservices:\n  *k : {}\n',
  'root sequence': '- a\n- b\n',
  'root scalar': 'just text\n',
  'document end': 'services: {}\n...\n',
  bom: '\uFEFFservices: {}\n',
  'nested flow': 'services:\n  a:\n    ports: [["80"]]\n',
};
const mustGiveUp = new Set(Object.keys(tricky).slice(Object.keys(tricky).indexOf('block scalar')));

describe('fast YAML path agrees with the yaml package', () => {
  const corpus = yamlFilesIn(corpusDir);
  const fixtures = yamlFilesIn(fixturesDir);

  it(`corpus (${corpus.length} files) and fixtures (${fixtures.length}): same nodes, helper answers and analysis`, () => {
    assert.ok(corpus.length >= 24);
    let fast = 0;
    for (const { name, text } of [...corpus, ...fixtures]) {
      const took = checkSame(name, text);
      assert.equal(checkSameAnalysis(name, text), took);
      if (took) fast++;
    }
    // most real files are in the subset (the rest use block scalars and the like)
    assert.ok(fast >= 20, `only ${fast} files took the fast path`);
  });

  it('the bench stress file (2,000 services) takes the fast path and analyses the same', () => {
    const lines = ['services:'];
    for (let i = 0; i < 2000; i++) {
      lines.push(`  svc-${i}:`, `    image: example/app:${1 + (i % 7)}.0`, '    ports:');
      lines.push(i === 0 ? '      - "1-65535:1-65535/udp"' : `      - "${10000 + i}:80"`, `      - "127.0.0.1:${20000 + i}:81/udp"`);
      lines.push(i % 50 === 0 ? `      - "${30000 + i * 10}-${30000 + i * 10 + 9}:5000-5009"` : '      - "9000"');
    }
    const text = `${lines.join('\n')}\n`;
    assert.ok(checkSame('stress.yaml', text));
    assert.ok(checkSameAnalysis('stress.yaml', text, 7));
  });

  it('generated files with anchors, merges, every port form, comments, CRLF: all take the fast path, same results', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const text = generatedCompose(seed);
      assert.ok(checkSame(`gen-${seed}.yaml`, text), `gen-${seed} gave up`);
      assert.ok(checkSameAnalysis(`gen-${seed}.yaml`, text), `gen-${seed} gave up`);
    }
  });

  for (const [label, text] of Object.entries(tricky)) {
    it(`tricky: ${label}`, () => {
      const took = checkSame(label, text);
      assert.equal(checkSameAnalysis(label, text), took);
      if (mustGiveUp.has(label)) assert.equal(took, false, 'must give up');
      else assert.equal(took, true, 'should take the fast path');
    });
  }

  it('random mutants of corpus and generated files: gives up or agrees; never takes a file with a YAML error', () => {
    const r = prng(20240601);
    const bases = [...corpus.map((f) => f.text), ...[1, 2, 3, 4].map((s) => generatedCompose(s, 6))];
    const inserts = [' ', '  ', '\t', ':', ': ', '#', ' #', '"', "'", '-', '- ', '&a ', '*a', '\n', '\r\n', '[', ']', '{', '}', ',', '|', '>', '!', '%', '?', '@', '`', '\\', '---\n', '...', '~', '0', 'é', '<<: *a\n'];
    let taken = 0;
    let total = 0;
    for (let k = 0; k < 600; k++) {
      let text = r.pick(bases);
      // mutate near port lists and keys too, not only at random offsets
      for (let m = 0; m < 1 + r.int(3); m++) {
        const at = r.int(text.length + 1);
        const op = r.int(5);
        if (op <= 1) text = text.slice(0, at) + r.pick(inserts) + text.slice(at);
        else if (op === 2) text = text.slice(0, at) + text.slice(at + 1 + r.int(3));
        else if (op === 3) {
          const ls = text.lastIndexOf('\n', at - 1) + 1;
          text = r.next() < 0.5 ? `${text.slice(0, ls)} ${text.slice(ls)}` : text.slice(0, ls) + text.slice(ls).replace(/^ /, '');
        } else {
          const ls = text.lastIndexOf('\n', at - 1) + 1;
          const le = text.indexOf('\n', at);
          const line = text.slice(ls, le < 0 ? text.length : le + 1);
          text = text.slice(0, ls) + line + line + text.slice(le < 0 ? text.length : le + 1);
        }
      }
      total++;
      if (checkSame(`mutant-${k}`, text)) taken++;
    }
    // the mutants exercise both sides: many still in the subset, many not
    assert.ok(taken > total / 5 && taken < total, `${taken} of ${total} mutants taken`);
  });

  it('sequenceItemAt finds what a document walk finds (the first sequence item at that offset)', () => {
    const texts = [...corpus, ...Object.entries(tricky).map(([name, text]) => ({ name, text })), ...[5, 6, 7].map((seed) => ({ name: `gen-${seed}`, text: generatedCompose(seed, 8) }))];
    for (const { name, text } of texts) {
      for (const parser of ['auto', 'yaml'] as const) {
        const y = withYamlParser(parser, () => new YamlFile(name, text));
        const starts = new Set<number>();
        // every node's start: sequence items and everything else (keys, values, collections)
        visit(y.root, (_k, n) => { const r = (n as Node | null)?.range; if (r) { starts.add(r[0]); starts.add(r[0] + 1); } });
        for (const at of [...starts, 0, text.length]) {
          let found: { node: Node; seq: YAMLSeq } | undefined;
          visit(y.root, {
            Seq(_k, seq) {
              for (const item of seq.items as Node[]) if (item?.range?.[0] === at) { found = { node: item, seq }; return visit.BREAK; }
              return undefined;
            },
          });
          const got = y.sequenceItemAt(at);
          assert.equal(got?.node, found?.node, `${name} ${parser} ${at}`);
          assert.equal(got?.seq, found?.seq, `${name} ${parser} ${at}`);
        }
      }
    }
  });

  it('its nodes are instances of the yaml classes and pass their checks', () => {
    const r = scanComposeYaml('a: &x [1, *x]\nb: {c: "d"}\ne:\n  - f\n')!;
    const root: unknown = r.root;
    const pair: unknown = r.root.items[0];
    const a: unknown = r.root.items[0]!.value;
    const b: unknown = r.root.items[1]!.value;
    const one: unknown = (a as YAMLSeq).items[0];
    const alias: unknown = (a as YAMLSeq).items[1];
    assert.ok(isMap(root) && !isSeq(root));
    assert.ok((root as object) instanceof YAMLMap && !(root as YAMLMap).flow);
    assert.ok(isPair(pair) && pair instanceof Pair);
    assert.ok(isSeq(a) && a instanceof YAMLSeq && a.flow);
    assert.ok(isScalar(one) && one instanceof Scalar && String(one) === '1');
    assert.ok(isAlias(alias) && alias instanceof Alias && alias.source === 'x');
    assert.ok(isMap(b) && isScalar(b.items[0]!.key));
    assert.ok((b as object) instanceof YAMLMap && (b as YAMLMap).flow);
    assert.deepEqual(r.anchors.map((x) => [x.name, x.start]), [['x', 6]]);
  });

  it('scanComposeYaml gives up on an empty or comment-only text (yaml: no document)', () => {
    assert.equal(scanComposeYaml(''), undefined);
    assert.equal(scanComposeYaml('# only a comment\n'), undefined);
  });
});
