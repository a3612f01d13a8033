import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import { parseAnyShortPortSpec, parseCommonShortPortSpec, parseExposeSpec, parseShortPortSpec } from '../../../src/core/compose/portSpec';

const r = (start: number, end = start) => ({ start, end });

describe('short port syntax: every form of the compose spec', () => {
  const table: { input: string; expected: object }[] = [
    { input: '80', expected: { target: r(80), protocol: 'tcp' } },
    { input: '3000-3005', expected: { target: r(3000, 3005), protocol: 'tcp' } },
    { input: '8080:80', expected: { published: r(8080), target: r(80), protocol: 'tcp' } },
    { input: '9090-9091:8080-8081', expected: { published: r(9090, 9091), target: r(8080, 8081), protocol: 'tcp' } },
    { input: '127.0.0.1:8001:8001', expected: { hostIp: '127.0.0.1', published: r(8001), target: r(8001), protocol: 'tcp' } },
    { input: '127.0.0.1:5000-5010:5000-5010', expected: { hostIp: '127.0.0.1', published: r(5000, 5010), target: r(5000, 5010), protocol: 'tcp' } },
    { input: '::1:6000:6000', expected: { hostIp: '::1', published: r(6000), target: r(6000), protocol: 'tcp' } },
    { input: '[::1]:6001:6001', expected: { hostIp: '::1', published: r(6001), target: r(6001), protocol: 'tcp' } },
    { input: '[::]:6002:6002', expected: { hostIp: '::', published: r(6002), target: r(6002), protocol: 'tcp' } },
    { input: 'fe80::1:6003:6003', expected: { hostIp: 'fe80::1', published: r(6003), target: r(6003), protocol: 'tcp' } },
    { input: '6060:6060/udp', expected: { published: r(6060), target: r(6060), protocol: 'udp' } },
    { input: '5000:5000/SCTP', expected: { published: r(5000), target: r(5000), protocol: 'sctp' } },
    { input: '127.0.0.1::80', expected: { hostIp: '127.0.0.1', target: r(80), protocol: 'tcp' } },
    { input: '8000-8010:80', expected: { published: r(8000, 8010), target: r(80), protocol: 'tcp' } },
    { input: '1-65535:1-65535/udp', expected: { published: r(1, 65535), target: r(1, 65535), protocol: 'udp' } },
    { input: '0.0.0.0:53:53/udp', expected: { hostIp: '0.0.0.0', published: r(53), target: r(53), protocol: 'udp' } },
  ];
  for (const { input, expected } of table) {
    it(`parses "${input}"`, () => {
      const res = parseShortPortSpec(input);
      assert.ok(res.ok, JSON.stringify(res));
      assert.deepEqual(res.spec, expected);
    });
  }

  const bad: { input: string; kind: string; at: [number, number] }[] = [
    { input: '70000:80', kind: 'invalid-port', at: [0, 5] },
    { input: '8080:0', kind: 'invalid-port', at: [5, 6] },
    { input: '8080:80/icmp', kind: 'invalid-port', at: [8, 12] },
    { input: 'abc', kind: 'invalid-port', at: [0, 3] },
    { input: '300.1.1.1:80:80', kind: 'invalid-port', at: [0, 9] },
    { input: '9000-9001:80-82', kind: 'port-range-length-mismatch', at: [0, 15] },
    { input: '8010-8000:80', kind: 'invalid-port', at: [0, 9] },
    { input: '[::1:80:80', kind: 'invalid-port', at: [0, 4] },
    { input: '', kind: 'invalid-port', at: [0, 0] },
  ];
  for (const { input, kind, at } of bad) {
    it(`rejects "${input}" at the exact characters`, () => {
      const res = parseShortPortSpec(input);
      assert.equal(res.ok, false);
      if (res.ok) return;
      assert.equal(res.problem.kind, kind);
      assert.deepEqual([res.problem.start, res.problem.end], at);
    });
  }
});

describe('ports in a compose file: quoting, unquoted scalars, long syntax and expose', () => {
  const text = [
    'services:',
    '  app:',
    '    ports:',
    '      - 3000',
    '      - 80:80',
    "      - '127.0.0.1:8001:8000'",
    '      - "[::1]:6001:6001"',
    '      - target: 80',
    '        published: "8080-8081"',
    '        host_ip: 127.0.0.1',
    '        protocol: udp',
    '        app_protocol: http',
    '        mode: host',
    '        name: web',
    '      - { target: 443, published: 8443 }',
    '    expose:',
    '      - 3306',
    '      - "5000-5005/udp"',
  ].join('\n');
  const svc = analyzeComposeText(text, 'compose.yaml').project.services.get('app')!;

  it('reads every entry with its written text and range', () => {
    assert.equal(svc.ports.length, 6);
    for (const p of svc.ports) assert.equal(text.slice(p.range.start, p.range.end), p.text);
    assert.deepEqual(svc.ports.map((p) => p.text), ['3000', '80:80', "'127.0.0.1:8001:8000'", '"[::1]:6001:6001"',
      text.slice(text.indexOf('target: 80'), text.indexOf('name: web') + 'name: web'.length), '{ target: 443, published: 8443 }']);
  });

  it('reads unquoted integers and a:b scalars as strings (YAML 1.2, as compose does)', () => {
    assert.deepEqual(svc.ports[0]!.target, r(3000));
    assert.equal(svc.ports[0]!.published, undefined);
    assert.deepEqual([svc.ports[1]!.published, svc.ports[1]!.target], [r(80), r(80)]);
  });

  it('reads long syntax fields, a range string in published', () => {
    const p = svc.ports[4]!;
    assert.equal(p.syntax, 'long');
    assert.deepEqual({ hostIp: p.hostIp, published: p.published, target: p.target, protocol: p.protocol, appProtocol: p.appProtocol, mode: p.mode,
      name: p.name },
      { hostIp: '127.0.0.1', published: r(8080, 8081), target: r(80), protocol: 'udp', appProtocol: 'http', mode: 'host', name: 'web' });
    assert.deepEqual([svc.ports[5]!.published, svc.ports[5]!.target, svc.ports[5]!.protocol], [r(8443), r(443), 'tcp']);
  });

  it('reads expose entries as intervals', () => {
    assert.deepEqual(svc.expose.map((e) => [e.ports, e.protocol]), [[r(3306), 'tcp'], [r(5000, 5005), 'udp']]);
    assert.deepEqual(parseExposeSpec('80/tcp'), { ok: true, ports: r(80), protocol: 'tcp' });
    assert.equal(parseExposeSpec('80:80').ok, false);
  });

  it('reports invalid long syntax at the offending value', () => {
    const bad = 'services:\n  a:\n    ports:\n      - target: 80\n        published: 99999\n      - published: 80\n      - target: 81\n        colour: red\n';
    const f = analyzeComposeText(bad, 'c.yaml').findings.filter((x) => x.code === 'invalid-port');
    assert.deepEqual(f.map((x) => bad.slice(x.range.start, x.range.end)), ['99999', 'published: 80', 'colour']);
  });
});

describe('short port syntax: the common-form fast path agrees with the general parser', () => {
  const pieces = {
    ip: ['', '127.0.0.1:', '0.0.0.0:', '10.1.2.3:', '255.255.255.255:', '256.1.1.1:', '1.2.3:', '1.2.3.4.5:', '01.2.3.4:', '::1:', '[::1]:', '[::]:',
      'fe80::1:', ':', ' 1.2.3.4:', '1.2.3.4 :', '1.2.3.1234:'],
    host: ['', '8080:', '1:', '65535:', '65536:', '0:', '8000-8010:', '8010-8000:', '1-65535:', '00080:', '000080:', 'x:', '-1:', '80-:', ':', ' 80:',
      '5000-5009:'],
    target: ['80', '1', '65535', '65536', '0', '5000-5009', '1-65535', '80-80', '0080', '000080', '', 'abc', '80 ', '8080-8079', '١٢'],
    proto: ['', '/tcp', '/udp', '/sctp', '/UDP', '/Tcp', '/', '/icmp', '/udp/tcp', '/ udp'],
  };
  it('for every combination: the fast path declines or returns what the general parser returns', () => {
    let taken = 0;
    let valid = 0;
    for (const ip of pieces.ip) for (const host of pieces.host) for (const target of pieces.target) for (const proto of pieces.proto) {
      const spec = ip + host + target + proto;
      const fast = parseCommonShortPortSpec(spec);
      const general = parseAnyShortPortSpec(spec);
      if (general.ok) valid++;
      if (!fast) continue;
      taken++;
      assert.ok(general.ok, `${spec}: fast path took a spec the general parser rejects`);
      assert.deepStrictEqual(fast, general.spec, spec);
    }
    // the fast path must really take the common forms, or it is dead code (it declines IPv6, brackets, upper case)
    assert.ok(taken > valid / 5, `fast path took ${taken} of ${valid} valid specs`);
    for (const spec of ['80', '8080:80', '127.0.0.1:8080:80/udp', '1-65535:1-65535/udp', '8000-8010:80', '127.0.0.1::80']) {
      assert.ok(parseCommonShortPortSpec(spec), spec);
    }
  });
});
