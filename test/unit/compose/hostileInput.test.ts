// Hostile and malformed compose input: each case is a repro that hung, overflowed the stack, took seconds or
// passed silently, and must now give one clear finding at the place. Speed targets are in bench/hostileCompose.bench.ts;
// these check the results (a regression to recursion throws here; one to exponential work would not finish).
// Where compose's own answer is the reference, it is compose 2.40.3
// (~/.cache/docker-network-doctor/engines/sid/bin/docker-compose -f FILE config --format json).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeCompose, analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import { maxIncludedFiles } from '../../../src/core/compose/buildProject';
import { parseDotEnv } from '../../../src/core/compose/dotEnv';
import type { ComposeAnalysis } from '../../../src/core/compose/analyzeCompose';
import { portHoverAt } from '../../../src/core/compose/present/hovers';
import { codeSpan } from '../../../src/core/compose/present/markdownText';
import { withYamlParser, YamlFile } from '../../../src/core/yaml';
import { fixturePath } from '../../paths';

const bothParsers = ['auto', 'yaml'] as const;

function analyze(text: string, parser: 'auto' | 'yaml' = 'auto'): ComposeAnalysis {
  return withYamlParser(parser, () => analyzeComposeText(text, 'c.yaml'));
}

/** Line and column (1-based) of an offset, for readable assertions. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

function onlyFinding(a: ComposeAnalysis) {
  assert.equal(a.findings.length, 1, a.findings.map((f) => `${f.code}: ${f.message}`).join('\n'));
  return a.findings[0]!;
}

describe('hostile compose input: not YAML', () => {
  it('a Go template gives one invalid-compose-file error at the first problem, with a count of the rest', () => {
    const text = fs.readFileSync(fixturePath('compose-hostile', 'go-template.compose.yaml'), 'utf8');
    const f = onlyFinding(analyzeComposeText(text, 'c.yaml'));
    assert.equal(f.code, 'invalid-compose-file');
    assert.equal(lineColumn(text, f.range.start), '2:3'); // the first `{{-`
    assert.match(f.message, /… and \d+ more problems$/);
    const more = Number(/and (\d+) more/.exec(f.message)![1]);
    assert.ok(more > 10, f.message);
  });

  it('one YAML error stays one, without a count', () => {
    const f = onlyFinding(analyzeComposeText('services:\n  web:\n    image: "x\n', 'c.yaml'));
    assert.equal(f.code, 'invalid-compose-file');
    assert.doesNotMatch(f.message, /more problem/);
  });
});

describe('hostile compose input: anchors and merges', () => {
  for (const parser of bothParsers) {
    it(`refuses a merge of the anchor it is inside (${parser} path), at the alias`, () => {
      // compose 2.40.3: "cycle detected: node at path services.web.0.0 references node at path services.web.0"
      const text = 'services:\n  web: &w\n    image: nginx\n    <<: [*w,*w,*w]\n';
      const f = onlyFinding(analyze(text, parser));
      assert.equal(f.code, 'invalid-compose-file');
      assert.equal(lineColumn(text, f.range.start), '4:10');
      assert.match(f.message, /\*w is inside the node &w names/);
    });

    it(`merges eight levels of nine aliases to the level below (${parser} path)`, () => {
      const lines = ['x-l0: &l0 {image: nginx, network_mode: host}'];
      for (let i = 1; i <= 8; i++) lines.push(`x-l${i}: &l${i} {<<: [${Array(9).fill(`*l${i - 1}`).join(',')}]}`);
      lines.push('services:', '  web:', '    <<: *l8', '    ports: ["80:80"]');
      const a = analyze(`${lines.join('\n')}\n`, parser);
      const web = a.project.services.get('web')!;
      assert.equal(web.image, 'nginx');
      assert.equal(web.networkMode?.value, 'host');
      assert.deepEqual(a.findings.map((f) => f.code), ['ports-ignored-by-network-mode']);
    });
  }

  it('a map merged twice gives what merging it once gives', () => {
    const once = analyze('x: &a {image: nginx, ports: ["80:80"]}\nservices:\n  web:\n    <<: [*a]\n');
    const twice = analyze('x: &a {image: nginx, ports: ["80:80"]}\nservices:\n  web:\n    <<: [*a, *a, *a]\n');
    const view = (a: ComposeAnalysis) => { const s = a.project.services.get('web')!; return { image: s.image, ports: s.ports.map((p) => p.text) }; };
    assert.deepEqual(view(twice), view(once));
    assert.deepEqual(view(once), { image: 'nginx', ports: ['"80:80"'] });
  });

  it('an alias names the last anchor of its name before it, among 40,000 anchors', () => {
    const lines = ['x-a:'];
    for (let i = 0; i < 40000; i++) lines.push(`  k${i}: &a${i % 20000} "${i}"`);
    lines.push('x-b:', '  first: *a5', '  last: *a19999');
    const y = new YamlFile('c.yaml', `${lines.join('\n')}\n`);
    const b = y.get(y.root, 'x-b')!.value;
    assert.equal(y.scalarText(y.get(b, 'first')!.value), '20005');
    assert.equal(y.scalarText(y.get(b, 'last')!.value), '39999');
  });
});

describe('hostile compose input: deep nesting', () => {
  const deepSeq = `services:\n  a:\n    image: x\n    ports:\n      ${'- '.repeat(3000)}x\n`;
  let deepMap = 'services:\n';
  for (let i = 0; i < 2000; i++) deepMap += `${' '.repeat(i + 2)}k${i}:\n`;
  for (const parser of bothParsers) {
    it(`compact sequences 3,000 deep: one finding where the nesting goes too deep (${parser} path)`, () => {
      const f = onlyFinding(analyze(deepSeq, parser));
      assert.equal(f.code, 'invalid-compose-file');
      assert.match(f.message, /deeper than 256 levels|nested too deeply/);
      assert.equal(lineColumn(deepSeq, f.range.start).split(':')[0], '5');
    });

    it(`block maps 2,000 deep: one finding where the nesting goes too deep (${parser} path)`, () => {
      const f = onlyFinding(analyze(deepMap, parser));
      assert.equal(f.code, 'invalid-compose-file');
      assert.match(f.message, /deeper than 256 levels|nested too deeply/);
    });
  }

  it('interpolation nested 5,000 deep is one unresolved-variable finding at the port', () => {
    const port = `${'${A:-'.repeat(5000)}80${'}'.repeat(5000)}:80`;
    const text = `services:\n  a:\n    image: x\n    ports:\n      - "${port}"\n`;
    const f = onlyFinding(analyzeComposeText(text, 'c.yaml'));
    assert.equal(f.code, 'unresolved-variable');
    assert.match(f.message, /nested deeper than 64 levels/);
    assert.equal(lineColumn(text, f.range.start), '5:9');
  });

  it('interpolation nested 60 deep still resolves, braces matched in one pass', () => {
    const port = `${'${A:-'.repeat(60)}8080${'}'.repeat(60)}:80`;
    const a = analyzeComposeText(`services:\n  a:\n    ports:\n      - "${port}"\n`, 'c.yaml');
    assert.deepEqual(a.project.services.get('a')!.ports.map((p) => p.published), [{ start: 8080, end: 8080 }]);
  });

  it('a 10,000-service extends chain resolves without recursion', () => {
    const lines = ['services:', '  s0:', '    image: base', '    ports: ["8080:80"]'];
    for (let i = 1; i < 10000; i++) lines.push(`  s${i}:`, `    extends: s${i - 1}`);
    const a = analyzeComposeText(`${lines.join('\n')}\n`, 'c.yaml', { severities: { 'host-port-conflict': 'off' } });
    const last = a.project.services.get('s9999')!;
    assert.equal(last.image, 'base');
    assert.equal(last.ports.length, 1);
    assert.deepEqual(a.findings, []);
  });

  it('extends of a file compose refuses as YAML says so, once', () => {
    const text = 'services:\n  web:\n    extends: {file: base.yaml, service: a}\n';
    const a = analyzeComposeText(text, 'c.yaml', { readFile: (p) => ({ fileName: p, text: 'services:\n  a:\n    image: [x\n' }) });
    assert.deepEqual(a.findings.filter((f) => f.range.file === 'c.yaml').map((f) => f.message), ['extends: base.yaml has YAML errors']);
  });

  it('a chain that extends a missing service is reported once, not once per service after it', () => {
    const a = analyzeComposeText('services:\n  a:\n    extends: nope\n  b:\n    extends: a\n  c:\n    extends: b\n', 'c.yaml');
    assert.deepEqual(a.findings.map((f) => [f.code, f.service, f.message]), [['invalid-compose-file', 'a', 'extends: no service "nope" in this file']]);
  });
});

describe('hostile compose input: include', () => {
  /** 30 levels, each including the next twice: 2^30 readings if nothing stops it. */
  const files = new Map<string, string>([['l30.yaml', 'services:\n  leaf:\n    image: x\n']]);
  for (let i = 0; i < 30; i++) files.set(`l${i}.yaml`, `include:\n  - l${i + 1}.yaml\n  - l${i + 1}.yaml\nservices:\n  s${i}:\n    image: x\n`);
  const readFile = (p: string) => (files.has(p) ? { fileName: p, text: files.get(p)! } : undefined);

  it('a file included twice by each of 30 levels stops at the bound, with one finding that says so', () => {
    const a = analyzeCompose([{ fileName: 'l0.yaml', text: files.get('l0.yaml')! }], { readFile });
    const bound = a.findings.filter((f) => f.message.startsWith(`include: more than ${maxIncludedFiles} files included`));
    assert.ok(bound.length >= 1, a.findings.map((f) => f.message).join('\n'));
    assert.ok(a.findings.length < 2 * maxIncludedFiles, `${a.findings.length} findings`);
  });

  it('a file that includes itself is refused once, at its include', () => {
    const text = 'include:\n  - self.yaml\nservices:\n  a:\n    image: x\n';
    const a = analyzeCompose([{ fileName: 'self.yaml', text }], { readFile: (p) => (p === 'self.yaml' ? { fileName: p, text } : undefined) });
    assert.deepEqual(a.findings.map((f) => [f.code, f.message, lineColumn(text, f.range.start)]),
      [['invalid-compose-file', 'include cycle detected: self.yaml includes itself (through self.yaml)', '2:5']]);
  });
});

describe('hostile compose input: many clashes', () => {
  it('500 services on 8080:80 give one finding per service after the first, naming at most 10 others', () => {
    const lines = ['services:'];
    for (let i = 0; i < 500; i++) lines.push(`  s${i}:`, '    image: x', '    ports: ["8080:80"]');
    const a = analyzeComposeText(`${lines.join('\n')}\n`, 'c.yaml');
    const conflicts = a.findings.filter((f) => f.code === 'host-port-conflict');
    assert.equal(conflicts.length, 499);
    const second = conflicts[0]!;
    assert.equal(second.service, 's1');
    assert.equal(second.message,
      'host port 8080/tcp on 0.0.0.0 is also published by s0 (0.0.0.0): whichever starts second fails with "port is already allocated".');
    const last = conflicts[498]!;
    assert.equal(last.service, 's499');
    assert.match(last.message, /is also published by s0 \(0\.0\.0\.0\): .* Also published by 498 others: s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, …\.$/);
    assert.equal(last.related.length, 11); // the first side and ten more
  });
});

describe('hostile compose input: keys written twice', () => {
  for (const parser of bothParsers) {
    it(`a service defined twice is refused at the second key (${parser} path)`, () => {
      // compose 2.40.3: line 4: mapping key "web" already defined at line 2
      const text = 'services:\n  web:\n    image: x\n  web:\n    image: y\n';
      const f = onlyFinding(analyze(text, parser));
      assert.equal(f.code, 'invalid-compose-file');
      assert.equal(lineColumn(text, f.range.start), '4:3');
      assert.match(f.message, /^mapping key "web" already defined at line 2/);
    });

    it(`ports written twice in one service are refused at the second (${parser} path)`, () => {
      // compose 2.40.3: line 5: mapping key "ports" already defined at line 4
      const text = 'services:\n  web:\n    image: x\n    ports: ["80"]\n    ports: ["81"]\n';
      const f = onlyFinding(analyze(text, parser));
      assert.equal(lineColumn(text, f.range.start), '5:5');
      assert.match(f.message, /^mapping key "ports" already defined at line 4/);
    });

    it(`a key twice in a flow map, and "1" next to 1, are refused too (${parser} path)`, () => {
      assert.match(onlyFinding(analyze('services:\n  web: {image: x, image: y}\n', parser)).message, /mapping key "image" already defined at line 2/);
      assert.match(onlyFinding(analyze('x:\n  1: a\n  "1": b\nservices: {}\n', parser)).message, /mapping key "1" already defined at line 2/);
    });
  }
});

describe('hostile compose input: names of Object.prototype', () => {
  it('${constructor}, ${__proto__} and ${toString:-8080} are unset variables', () => {
    const text = 'services:\n  a:\n    image: x\n    ports:\n      - "${toString:-8080}:80"\n      - "${constructor}${__proto__}9000:80"\n';
    const a = analyzeComposeText(text, 'c.yaml', { env: {} });
    const svc = a.project.services.get('a')!;
    assert.deepEqual(svc.ports.map((p) => p.published), [{ start: 8080, end: 8080 }]);
    assert.deepEqual(svc.unresolvedPorts.map((p) => p.variables), [['constructor', '__proto__']]);
  });
});

describe('hostile compose input: service shapes compose refuses', () => {
  // each refused by compose 2.40.3 with the message given (extends.file: it panics on the int)
  const cases: [string, string, string][] = [
    ['services:\n  a: null\n', 'services.a must be a mapping', '2:6'],
    ['services:\n  b: [1]\n', 'services.b must be a mapping', '2:6'],
    ['services:\n  c: "x"\n', 'services.c must be a mapping', '2:6'],
    ['services:\n  web:\n    image: [x]\n', 'services.web.image must be a string', '3:12'],
    ['services:\n  web:\n    image: 5\n', 'services.web.image must be a string', '3:12'],
    ['services:\n  web:\n    image: x\n    network_mode: 5\n', 'services.web.network_mode must be a string', '4:19'],
    ['services:\n  a:\n    image: x\n  web:\n    extends: {file: 5, service: a}\n', 'services.web.extends.file must be a string', '5:21'],
    ['services:\n  a:\n    image: x\n  web:\n    extends: {service: 5}\n', 'services.web.extends.service must be a string', '5:24'],
  ];
  for (const [text, message, at] of cases) {
    it(`${message} (${JSON.stringify(text.split('\n').slice(-2)[0]!.trim())})`, () => {
      const f = onlyFinding(analyzeComposeText(text, 'c.yaml'));
      assert.equal(f.code, 'invalid-compose-file');
      assert.equal(f.message, message);
      assert.equal(lineColumn(text, f.range.start), at);
    });
  }

  it('networks: [1, null] is refused item by item', () => {
    // compose 2.40.3: services.web.networks.0 must be a string (and .1 for the null)
    const text = 'services:\n  web:\n    image: x\n    networks: [1, null]\n';
    const a = analyzeComposeText(text, 'c.yaml');
    assert.deepEqual(a.findings.map((f) => [f.message, lineColumn(text, f.range.start)]), [
      ['services.web.networks.0 must be a string', '4:16'], ['services.web.networks.1 must be a string', '4:19'],
    ]);
  });

  it('`yes` and quoted numbers are strings, as compose reads them', () => {
    assert.deepEqual(analyzeComposeText('services:\n  web:\n    image: yes\n  b:\n    image: "5"\n', 'c.yaml').findings, []);
  });
});

describe('hostile compose input: markdown in hovers', () => {
  it('a port written with an image and a link shows them as text', () => {
    const text = 'services:\n  web:\n    ports:\n      - "${NOPE:+![t](https://attacker.example/p.png)}8080:80"\n';
    const a = analyzeComposeText(text, 'c.yaml', { env: {} });
    const hover = portHoverAt(a, 'c.yaml', text.indexOf('8080'))!;
    assert.ok(hover.markdown.includes('![t](https://attacker.example/p.png)'), hover.markdown);
    // outside code spans nothing of the user's text is left to render
    const outsideCode = hover.markdown.replace(/(`+)[\s\S]*?\1/g, '');
    assert.doesNotMatch(outsideCode, /attacker|!\[|\]\(/);
  });

  it('text with backticks stays inside its code span', () => {
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`x``'), '``` `x`` ```');
    assert.equal(codeSpan('a\n# b'), '`a # b`');
  });
});

describe('hostile compose input: .env', () => {
  it('cuts trailing comments as the regex it replaces did (/\\s+#.*$/), on a table of values', () => {
    const byRegex = (v: string) => v.replace(/\s+#.*$/, '').trim();
    const values = ['v # c', 'v#c', '#a #b', 'a\t#b', 'a  #b #c', 'a\u00a0#b', 'x y', ' #', 'a#b #c', `x${' '.repeat(100)}y`];
    for (const v of values) {
      const parsed = parseDotEnv(`A=${v}`).A;
      assert.equal(parsed, byRegex(v.trim()), JSON.stringify(v));
    }
  });

  it('a value of 100,000 spaces between two words is kept (the regex backtracked for seconds on it)', () => {
    const value = `x${' '.repeat(100000)}y`;
    assert.equal(parseDotEnv(`A=${value}\n`).A, value);
  });

  it('__proto__ is a variable like any other', () => {
    const env = parseDotEnv('__proto__=8080\nconstructor=9090\n');
    assert.deepEqual(Object.keys(env), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(env), Object.prototype);
    const a = analyzeComposeText('services:\n  a:\n    ports: ["${__proto__}:80"]\n', 'c.yaml', { env });
    assert.deepEqual(a.project.services.get('a')!.ports.map((p) => p.published), [{ start: 8080, end: 8080 }]);
  });
});

describe('hostile compose input: clashes counted per entry', () => {
  // the grouped count (identical claims counted in one pass) against the definition: for each entry, the distinct
  // entries before it in the file that clash with it on some address family
  it('counts what a pairwise check over random files counts', () => {
    const hostIps = ['', '0.0.0.0:', '127.0.0.1:', '[::]:', '[::1]:'];
    let seed = 7;
    const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let round = 0; round < 40; round++) {
      const lines = ['services:'];
      const written: { service: string; hostIp: string; port: number; udp: boolean }[] = [];
      for (let s = 0; s < 12; s++) {
        lines.push(`  s${s}:`, '    image: x', '    ports:');
        for (let e = 0; e <= random(3); e++) {
          const w = { service: `s${s}`, hostIp: hostIps[random(hostIps.length)]!, port: 8080 + random(2), udp: random(4) === 0 };
          written.push(w);
          lines.push(`      - "${w.hostIp}${w.port}:80${w.udp ? '/udp' : ''}"`);
        }
      }
      const a = analyzeComposeText(`${lines.join('\n')}\n`, 'c.yaml');
      const counted = a.findings.filter((f) => f.code === 'host-port-conflict')
        .map((f) => 1 + Number(/Also published by (\d+) other/.exec(f.message)?.[1] ?? 0));
      const addresses = (ip: string) => (ip === '' ? ['v4 *', 'v6 *'] : ip === '0.0.0.0:' ? ['v4 *'] : ip === '[::]:' ? ['v6 *']
        : [ip.startsWith('[') ? `v6 ${ip}` : `v4 ${ip}`]);
      const clash = (x: string, y: string) => x.slice(0, 2) === y.slice(0, 2) && (x === y || x.endsWith('*') || y.endsWith('*'));
      const expected: number[] = [];
      written.forEach((w, i) => {
        let n = 0;
        for (let j = 0; j < i; j++) {
          const o = written[j]!;
          if (o.port !== w.port || o.udp !== w.udp) continue;
          if (addresses(w.hostIp).some((x) => addresses(o.hostIp).some((y) => clash(x, y)))) n++;
        }
        if (n) expected.push(n);
      });
      assert.deepEqual(counted, expected, lines.join('\n'));
    }
  });
});
