// Differential test of the fast YAML path (fastYaml.ts) against the `yaml` package, the reference: for every corpus
// file, fixture, generated file, tricky snippet and random mutant, the fast path either gives up or yields the same
// nodes (values, types, anchors, offsets), the same answers from YamlFile's helpers, and the same analysis
// (findings, lenses, fix edits). A file `yaml` finds an error in must never be taken by the fast path.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import { scanComposeYaml } from '../../../src/core/yaml/fastYaml';
import { withYamlParser, YamlFile } from '../../../src/core/yaml';
import { checkSame, checkSameAnalysis, corpusDir, fixturesDir, prng, yamlFilesIn } from './yamlDifferential';

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
  lines.push(`x-common: &common${trail()}`, `${ind}restart: unless-stopped`, `${ind}labels:`, `${ind}${seqIndent}- "a=b # not a comment"`,
    `${ind}${seqIndent}- 'c: d'`);
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
  'merge overriding': 'x-a: &a\n  image: a\n  ports: ["1:1"]\nx-b: &b\n  image: b\n  network_mode: host\nservices:\n  s:\n    <<: [*a, *b]\n    image: ' +
    'own\n  t:\n    image: t\n    <<: *b\n',
  'merge key quoted is no merge': 'x-a: &a\n  ports: ["1:1"]\nservices:\n  s:\n    "<<": *a\n',
  'keys with dots and slashes': 'services:\n  my.app/v1:\n    ports: ["80"]\n  "a.b":\n    ports: [\'81\']\n  x-y_z.1: {}\n',
  unicode: 'services:\n  café:\n    image: "naïve/ünï:1"\n    labels: [日本語, "emoji 🐳", \'ä: ö\']\n    ports: ["８０:80"]\n',
  'document start': '# c\n---   # c\nservices:\n  a:\n    ports: ["80:80"]\n',
  'numbers and bools': 'x: [0o17, 0x1F, 1e3, .5, 1.50, -.inf, .NaN, +12, 012, True, FALSE, ~, Null, 0.0]\nservices:\n  a:\n    ports: [0x50, 8080:80, 1_000]\n',
  'escapes in double quotes': 'services:\n  a:\n    image: "a\\tb\\u00e9\\x41\\\\\\"\\/"\n    ports: ["80\\x3a80"]\n',
  'single quote escape': "services:\n  a:\n    image: 'it''s'\n    ports: ['80:80', '''81''']\n",
  'compact sequence under keys': 'services:\n  a:\n    ports:\n    - "80:80"\n    - "81:81"\n    expose:\n    - 3000\n',
  'seq item maps with odd indents': 'services:\n  a:\n    ports:\n      -   target: 80\n          published: 8080\n      - target: 81\n        published: ' +
    '"8081"\n',
  'key with spaces before colon': 'services :\n  a   :\n    ports  : ["80:80"]\n',
  'plain with inner colon and hash': 'services:\n  a:\n    image: reg:5000/a#b\n    ports: [http://x, "a"]\n',
  'alias to an unknown anchor': 'services:\n  a:\n    ports: *nope\n',
  'anchors redefined': 'x: &a ["1:1"]\ny: &a ["2:2"]\nservices:\n  s:\n    ports: *a\n',
  'flow trailing comma and spaces': 'services:\n  a:\n    ports: [ "80:80" , 81 ,]\n    networks: { }\n',
  'deeper comment lines': 'services:\n  a:\n        # deep comment\n    ports:\n  # shallow comment\n      - 80\n',
  'unicode spaces and separators': 'services:\n  a:\n    image: "x\u2028y"\n    labels: [a\u00a0b, \u00a0c]\n  b\u2028c: {}\n  d\u3000e: {}\n',
  'numbers as keys': 'services:\n  1:\n    ports: ["80"]\n  2.5: {}\n  true: {}\n',
  'block scalar': 'services:\n  a:\n    command: |\n      run\n',
  'multi-line flow': 'services:\n  a:\n    ports: ["80",\n      "81"]\n',
  // outside the subset: the fast path must give up (and `yaml` reports what is wrong, if anything)
  'tab indentation': 'services:\n\ta:\n\t\tports: ["80"]\n',
  'multiple documents': 'services: {}\n---\nservices: {}\n',
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
const mustGiveUp = new Set(Object.keys(tricky).slice(Object.keys(tricky).indexOf('tab indentation')));

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
    // every corpus file is in the subset now (block scalars and multi-line flow collections included)
    assert.equal(corpus.filter(({ text }) => new YamlFile('', text).parsedBy === 'fast').length, corpus.length);
    assert.ok(fast >= corpus.length);
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
    const inserts = [' ', '  ', '\t', ':', ': ', '#', ' #', '"', "'", '-', '- ', '&a ', '*a', '\n', '\r\n', '[', ']', '{', '}', ',', '|', '>', '!', '%', '?',
      '@', '`', '\\', '---\n', '...', '~', '0', 'é', '<<: *a\n'];
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
    const texts = [...corpus, ...Object.entries(tricky).map(([name, text]) => ({ name, text })),
      ...[5, 6, 7].map((seed) => ({ name: `gen-${seed}`, text: generatedCompose(seed, 8) }))];
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
    const pair: unknown = r.root!.items[0];
    const a: unknown = r.root!.items[0]!.value;
    const b: unknown = r.root!.items[1]!.value;
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
