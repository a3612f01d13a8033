import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import { interpolate } from '../../../src/core/compose/interpolate';

describe('interpolate', () => {
  const env = { PORT: '8080', EMPTY: '', HOST: '127.0.0.1' };
  const cases: { input: string; value: string; unresolved?: string[]; defaults?: [string, string][]; required?: string[] }[] = [
    { input: '$PORT:80', value: '8080:80' },
    { input: '${PORT}:80', value: '8080:80' },
    { input: '${MISSING:-9000}:80', value: '9000:80', defaults: [['MISSING', '9000']] },
    { input: '${EMPTY:-9000}', value: '9000', defaults: [['EMPTY', '9000']] },
    { input: '${EMPTY-9000}', value: '' },
    { input: '${MISSING-9000}', value: '9000', defaults: [['MISSING', '9000']] },
    { input: '${MISSING}:80', value: ':80', unresolved: ['MISSING'] },
    { input: '$MISSING', value: '', unresolved: ['MISSING'] },
    { input: '${MISSING:?set MISSING first}', value: '', required: ['MISSING'] },
    { input: '${EMPTY:?empty}', value: '', required: ['EMPTY'] },
    { input: '${EMPTY?empty}', value: '' },
    { input: '${PORT:?x}', value: '8080' },
    { input: '$$PORT', value: '$PORT' },
    { input: 'a$$b', value: 'a$b' },
    { input: '${PORT:+set}', value: 'set' },
    { input: '${MISSING:-${HOST}}:1:1', value: '127.0.0.1:1:1', defaults: [['MISSING', '127.0.0.1']] },
    { input: 'no vars', value: 'no vars' },
  ];
  for (const c of cases) {
    it(`"${c.input}"`, () => {
      const i = interpolate(c.input, env);
      assert.equal(i.value, c.value);
      assert.deepEqual(i.unresolved, c.unresolved ?? []);
      assert.deepEqual(i.defaultsUsed.map((d) => [d.name, d.value]), c.defaults ?? []);
      assert.deepEqual(i.required.map((r) => r.name), c.required ?? []);
    });
  }

  it('reports an unterminated ${', () => {
    assert.equal(interpolate('${PORT', env).errors.length, 1);
  });
});

describe('interpolation in compose ports', () => {
  const text = [
    'services:',
    '  jvb:',
    '    ports:',
    "      - '${JVB_PORT:-10000}:${JVB_PORT:-10000}/udp'",
    "      - '${HTTP_PORT}:8000'",
    '      - "${RANGE:-20000-20050}:20000-20050"',
  ].join('\n');

  it('uses defaults and says so; never guesses an unset value', () => {
    const a = analyzeComposeText(text, 'c.yaml', { proxyCostThresholdPorts: 10 });
    const svc = a.project.services.get('jvb')!;
    assert.deepEqual(svc.ports.map((p) => [p.published, p.protocol]), [[{ start: 10000, end: 10000 }, 'udp'], [{ start: 20000, end: 20050 }, 'tcp']]);
    assert.deepEqual(svc.unresolvedPorts.map((u) => u.variables), [['HTTP_PORT']]);
    const unresolved = a.findings.filter((f) => f.code === 'unresolved-variable');
    assert.equal(unresolved.length, 1);
    assert.equal(text.slice(unresolved[0]!.range.start, unresolved[0]!.range.end), "'${HTTP_PORT}:8000'");
    const cost = a.findings.find((f) => f.code === 'port-range-proxy-cost')!;
    assert.match(cost.message, /52 host ports \(with the defaults: JVB_PORT=10000, RANGE=20000-20050\)/);
  });

  it('takes values from the env map', () => {
    const a = analyzeComposeText(text, 'c.yaml', { env: { HTTP_PORT: '80', JVB_PORT: '10001' } });
    const svc = a.project.services.get('jvb')!;
    assert.deepEqual(svc.ports.map((p) => p.published?.start), [10001, 80, 20000]);
    assert.deepEqual(svc.ports[0]!.defaultsUsed, []);
    assert.equal(a.findings.filter((f) => f.code === 'unresolved-variable').length, 0);
  });
});
