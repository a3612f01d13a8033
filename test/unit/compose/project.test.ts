import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeCompose, analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import { portHoverAt } from '../../../src/core/compose/present/hovers';
import { portsLenses } from '../../../src/core/compose/present/lenses';
import { chooseCalibration } from '../../../src/core/cost/calibration';
import { fixturePath } from '../../paths';

const fixtures = fixturePath('compose');
const read = (rel: string) => fs.readFileSync(path.join(fixtures, rel), 'utf8');
const r = (start: number, end = start) => ({ start, end });

describe('YAML anchors, aliases and merge keys', () => {
  const text = [
    'x-ports: &ports',
    '  - "8080:80"',
    'x-base: &base',
    '  image: nginx',
    '  ports: *ports',
    'x-net: &net',
    '  network_mode: host',
    '  profiles: [tools]',
    'services:',
    '  a:',
    '    <<: *base',
    '  b:',
    '    <<: [*net, *base]',
    '  c:',
    '    <<: *base',
    '    ports: ["9090:90"]',
  ].join('\n');
  const a = analyzeComposeText(text, 'c.yaml');

  it('merges a single alias', () => {
    const s = a.project.services.get('a')!;
    assert.equal(s.image, 'nginx');
    assert.deepEqual(s.ports.map((p) => p.published), [r(8080)]);
    assert.equal(text.slice(s.ports[0]!.range.start, s.ports[0]!.range.end), '"8080:80"');
  });

  it('merges a list of aliases, and own keys win over merged ones', () => {
    const b = a.project.services.get('b')!;
    assert.equal(b.networkMode?.value, 'host');
    assert.deepEqual(b.profiles, ['tools']);
    assert.equal(b.ports.length, 1);
    assert.deepEqual(a.project.services.get('c')!.ports.map((p) => p.published), [r(9090)]);
  });
});

describe('override files, extends and profiles', () => {
  const files = ['compose.yaml', 'compose.override.yaml'].map((f) => ({ fileName: `extends/${f}`, text: read(`extends/${f}`) }));
  const reader = (p: string, from: string) => {
    const fileName = path.posix.join(path.posix.dirname(from), p);
    return fs.existsSync(path.join(fixtures, fileName)) ? { fileName, text: read(fileName) } : undefined;
  };
  const a = analyzeCompose(files, { readFile: reader });

  it('extends another file through the injected reader, keeping where each port came from', () => {
    const api = a.project.services.get('api')!;
    assert.equal(api.image, 'example/api');
    assert.deepEqual(api.ports.map((p) => [p.range.file, p.published]),
      [['extends/common.yaml', r(8000, 8199)], ['extends/compose.yaml', r(9000)], ['extends/compose.override.yaml', r(8443)]]);
    assert.deepEqual(api.networks?.map((n) => n.name), ['back']);
  });

  it('extends a service of the same file (before overrides apply, as compose does)', () => {
    const worker = a.project.services.get('worker')!;
    assert.deepEqual(worker.ports.map((p) => p.published), [r(8000, 8199), r(9000), r(9100)]);
  });

  it('finds the conflict created by extending: api and worker share 8000-8199 and 127.0.0.1:9000', () => {
    const conflicts = a.findings.filter((f) => f.code === 'host-port-conflict');
    assert.deepEqual(conflicts.map((f) => f.message.match(/host ports? [\d-]+\/tcp/)![0]).sort(), ['host port 9000/tcp', 'host ports 8000-8199/tcp']);
  });

  it('reports an extends file the reader cannot find', () => {
    const x = analyzeComposeText('services:\n  a:\n    extends:\n      file: nope.yaml\n      service: b\n', 'c.yaml', { readFile: () => undefined });
    assert.match(x.findings.find((f) => f.code === 'invalid-compose-file')!.message, /cannot read nope.yaml/);
  });

  it('analyses only active profiles when they are given', () => {
    const text = 'services:\n  a:\n    profiles: [debug]\n    ports: ["1-1000:1-1000"]\n  b:\n    ports: ["80:80"]\n';
    assert.equal(analyzeComposeText(text, 'c.yaml').findings.filter((f) => f.code === 'port-range-proxy-cost').length, 1);
    assert.equal(analyzeComposeText(text, 'c.yaml', { activeProfiles: [] }).findings.filter((f) => f.code === 'port-range-proxy-cost').length, 0);
  });
});

describe('lenses and hovers', () => {
  const text = read('media-server.compose.yaml');
  const a = analyzeCompose([{ fileName: 'm.yaml', text }], { calibration: chooseCalibration({ engineVersion: '20.10.24' }) });

  it('puts a lens with the totals on each ports: key', () => {
    const lenses = portsLenses(a, 'm.yaml');
    assert.deepEqual(lenses.map((l) => [l.service, text.slice(l.start, l.end)]), [['turn', 'ports'], ['web', 'ports']]);
    // memory and start-up are the 20.10 row's (test/unit/cost checks them against the row); the shape is checked here
    assert.match(lenses[0]!.title, /^⚠ 10,003 ports → 20,006 docker-proxy · ~\d+ GB · ~30,009 iptables rules · ~\d+ min to start · use host network\?$/);
    assert.equal(lenses[0]!.note, 'Engine 20.10 figures; assumes the userland proxy is on, the engine default');
    const on28 = portsLenses(analyzeCompose([{ fileName: 'm.yaml', text }], { calibration: chooseCalibration({ engineVersion: '28.5.2' }) }), 'm.yaml');
    assert.match(on28[0]!.title, /^⚠ 10,003 ports → 20,006 docker-proxy · ~\d+ GB · ~20,006 iptables rules/);
    assert.equal(on28[0]!.note, 'Engine 28.5 figures; assumes the userland proxy is on, the engine default');
    assert.equal(lenses[1]!.title, '1 port → 2 docker-proxy · ~2 MB · ~3 iptables rules');
  });

  it('explains a port entry under the cursor, with its cost and the alternatives', () => {
    const offset = text.indexOf('40000-50000') + 3;
    const h = portHoverAt(a, 'm.yaml', offset)!;
    assert.equal(text.slice(h.start, h.end), '"40000-50000:40000-50000/udp"');
    assert.match(h.markdown, /host ports 40000-50000 on every address \(0\.0\.0\.0 and \[::\]\) → container ports 40000-50000\/udp/);
    assert.match(h.markdown, /20,002 docker-proxy/);
    assert.match(h.markdown, /network_mode: host/);
    assert.match(h.markdown, /userland-proxy/);
    assert.equal(portHoverAt(a, 'm.yaml', text.indexOf('image')), undefined);
  });
});
