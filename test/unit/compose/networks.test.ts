// undefined-network, invalid-network-config and subnet-overlap on the files in test/fixtures/compose/networks (each
// run through docker-compose 2.40.3 and Engine 28.5.2; what they said is in that folder's README, and
// test/engine/composeNetworks.test.ts shows it again on every run).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeCompose, analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import type { ComposeAnalysisOptions } from '../../../src/core/compose/analyzeCompose';
import type { Finding, FindingCode } from '../../../src/core/compose/findings';
import { applyEdits } from '../../../src/core/compose/fixes';
import { expectedBaseFile } from '../../../src/core/compose/rules/undefined-network';
import { corpusPath, fixturePath } from '../../paths';

const dir = fixturePath('compose', 'networks');
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
const networkCodes: FindingCode[] = ['undefined-network', 'invalid-network-config', 'subnet-overlap'];

function findings(name: string, options: ComposeAnalysisOptions = {}): { text: string; found: Finding[] } {
  const text = read(name);
  const found = analyzeComposeText(text, name, options).findings.filter((f) => networkCodes.includes(f.code));
  return { text, found };
}

const at = (text: string, f: Finding) => text.slice(f.range.start, f.range.end);

/** The one finding of the file: its code, severity, where, and the words of compose or the engine. */
function only(name: string, code: FindingCode, where: string, words: RegExp, options: ComposeAnalysisOptions = {}): Finding {
  const { text, found } = findings(name, options);
  assert.equal(found.length, 1, `${name}: ${found.map((f) => f.message).join(' | ')}`);
  const f = found[0]!;
  assert.equal(f.code, code);
  assert.equal(f.severity, 'error');
  assert.equal(at(text, f), where);
  assert.match(f.message, words);
  return f;
}

describe('undefined-network', () => {
  it('a service attached to a network the project does not define: error, with a fix that defines it', () => {
    const f = only('undef.yaml', 'undefined-network', 'front', /service "a" refers to undefined network front/);
    assert.equal(f.fixes[0]?.title, 'Define network front');
    const fixed = applyEdits(read('undef.yaml'), f.fixes[0]!.edits);
    assert.equal(fixed, `${read('undef.yaml')}networks:\n  front: {}\n`);
    assert.deepEqual(analyzeComposeText(fixed, 'undef.yaml').findings.filter((x) => x.code === 'undefined-network'), []);
  });

  it('network_mode: service:x naming no service', () => {
    only('undefmode.yaml', 'undefined-network', 'service:nosuch', /depends on undefined service "nosuch"/);
  });

  it('the fix adds to an existing networks: block with its indentation, or to a flow map, or under an empty key', () => {
    const cases: [string, string][] = [
      ['services:\n    a:\n        networks: [x, y]\nnetworks:\n    x: {}\n# end\n',
        'services:\n    a:\n        networks: [x, y]\nnetworks:\n    x: {}\n    y: {}\n# end\n'],
      ['services:\n  a:\n    networks: [y]\nnetworks: {x: {}}\n', 'services:\n  a:\n    networks: [y]\nnetworks: {x: {}, y: {}}\n'],
      ['services:\n  a:\n    networks: [y]\nnetworks:\n', 'services:\n  a:\n    networks: [y]\nnetworks:\n  y: {}\n'],
      ['services:\n    a:\n        networks: [meet.jitsi]', 'services:\n    a:\n        networks: [meet.jitsi]\nnetworks:\n    meet.jitsi: {}\n'],
    ];
    for (const [before, after] of cases) {
      const f = analyzeComposeText(before, 'c.yaml').findings.find((x) => x.code === 'undefined-network');
      assert.ok(f?.fixes[0], before);
      assert.equal(applyEdits(before, f.fixes[0].edits), after);
    }
  });

  it('an override file, or one with a service that has neither image nor build, gets a hint naming the base file', () => {
    const { found } = findings('web.override.yaml');
    assert.equal(found[0]?.severity, 'hint');
    assert.match(found[0]!.message, /looks like an overlay \(web\.override\.yaml is named as an override\).*after web\.yaml/);
    const partial = analyzeComposeText('services:\n  web:\n    networks: [front]\n', 'docker-compose.prod.yml').findings;
    assert.equal(partial[0]?.severity, 'hint');
    assert.match(partial[0]!.message, /web has neither image nor build.*after docker-compose\.yml/);
    assert.equal(expectedBaseFile('/x/compose.dev.yaml'), 'compose.yaml');
  });

  it('a complete file naming a network it does not define is an error (jitsi\'s jibri.yml: compose refuses it alone)', () => {
    // `docker-compose -f 033-jitsi-jibri.yml config`: service "jibri" refers to undefined network meet.jitsi
    const corpus = corpusPath('compose', '033-jitsi-jibri.yml');
    const jibri = analyzeComposeText(fs.readFileSync(corpus, 'utf8'), corpus).findings.filter((x) => x.code === 'undefined-network');
    assert.equal(jibri.length, 1);
    assert.equal(jibri[0]!.severity, 'error');
    assert.match(jibri[0]!.message, /service "jibri" refers to undefined network meet\.jitsi/);
  });

  it('is an error again once the base file is in the project and still lacks the network', () => {
    const base = 'services:\n  web:\n    image: nginx\n';
    const a = analyzeCompose([{ fileName: 'web.yaml', text: base }, { fileName: 'web.override.yaml', text: read('web.override.yaml') }]);
    const f = a.findings.filter((x) => x.code === 'undefined-network');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'error');
    assert.equal(f[0]!.range.file, 'web.override.yaml');
  });

  it('a network named in a file read for extends is defined by the fix in the project\'s file, not there', () => {
    const common = 'services:\n  base:\n    image: x\n    networks: [back]\n';
    const main = 'services:\n  api:\n    extends: {file: common.yaml, service: base}\n';
    const a = analyzeCompose([{ fileName: 'compose.yaml', text: main }],
      { readFile: (p) => (p === 'common.yaml' ? { fileName: 'common.yaml', text: common } : undefined) });
    const f = a.findings.find((x) => x.code === 'undefined-network')!;
    assert.equal(f.range.file, 'common.yaml');
    assert.deepEqual(f.fixes[0]!.edits.map((e) => [e.file, e.newText]), [['compose.yaml', 'networks:\n  back: {}\n']]);
  });
});

describe('invalid-network-config', () => {
  it('unknown keys, in compose\'s words, with the key that was meant', () => {
    only('iprange.yaml', 'invalid-network-config', 'iprange',
      /networks\.n\.ipam\.config\.0 additional properties 'iprange' not allowed.*did you mean `ip_range`/);
    only('netkey.yaml', 'invalid-network-config', 'drivr', /networks\.n additional properties 'drivr' not allowed.*`driver`/);
    only('attkey.yaml', 'invalid-network-config', 'ipv4address', /services\.a\.networks\.n additional properties 'ipv4address' not allowed.*`ipv4_address`/);
    const { text, found } = findings('ipamkey.yaml');
    assert.deepEqual(found.map((f) => at(text, f)), ['drivr', '1.2.3.4']);
  });

  it('a subnet with host bits set, or no CIDR', () => {
    only('hostbits.yaml', 'invalid-network-config', '172.16.4.0/16', /it should be 172\.16\.0\.0\/16/);
    const { text, found } = findings('subnetbad.yaml');
    assert.deepEqual(found.map((f) => at(text, f)), ['172.29.0.300', '172.29.0.0/33']);
  });

  it('a gateway, ip_range or aux address outside the subnet', () => {
    only('gwout.yaml', 'invalid-network-config', '172.30.0.1', /invalid gateway 172\.30\.0\.1: parent subnet 172\.29\.0\.0\/16 doesn't contain this address/);
    only('rangeout.yaml', 'invalid-network-config', '172.31.0.0/24', /invalid ip-range 172\.31\.0\.0\/24/);
    only('auxout.yaml', 'invalid-network-config', '172.31.0.5', /invalid auxiliary address host1/);
  });

  it('static addresses: outside every subnet, on a network without one, twice', () => {
    only('staticout.yaml', 'invalid-network-config', '172.31.0.5', /no configured subnet or ip-range contain the IP address 172\.31\.0\.5/);
    only('staticnoipam.yaml', 'invalid-network-config', '172.31.0.5', /supported only when connecting to networks with user configured subnets/);
    const f = only('staticdup.yaml', 'invalid-network-config', '172.29.0.5', /b and a both ask for 172\.29\.0\.5 on network n.*Address already in use/);
    assert.equal(f.related.length, 1);
  });

  it('says nothing about external networks\' static addresses or a correct file', () => {
    const text = 'services:\n  a:\n    image: x\n    networks:\n      ext: {ipv4_address: 10.9.0.5}\n      n:\n        ipv4_address: ' +
      '172.29.0.5\n        ipv6_address: fd00:1::5\n'
      + 'networks:\n  ext: {external: true}\n  n:\n    enable_ipv6: true\n    ipam:\n      config:\n        - subnet: 172.29.0.0/16\n          gateway: ' +
        '172.29.0.1\n          ip_range: 172.29.5.0/24\n'
      + '          aux_addresses: {h: 172.29.0.9}\n          x-note: ok\n        - subnet: fd00:1::/64\n';
    assert.deepEqual(analyzeComposeText(text, 'c.yaml').findings, []);
  });
});

describe('subnet-overlap', () => {
  it('two networks of the project', () => {
    only('overlap.yaml', 'subnet-overlap', '172.29.5.0/24', /subnet 172\.29\.5\.0\/24 overlaps 172\.29\.0\.0\/16 of network n.*Pool overlaps/);
  });

  it('a network on the connected engine, but not the project\'s own from an earlier up', () => {
    const bridge = { name: 'bridge', subnets: ['172.17.0.0/16'] };
    only('engineov.yaml', 'subnet-overlap', '172.17.128.0/20', /overlaps network bridge \(172\.17\.0\.0\/16\) on the connected engine/,
      { engineNetworks: [bridge] });
    const own = { name: 'engineov_n', subnets: ['172.17.128.0/20'], composeProject: 'engineov', composeNetwork: 'n' };
    assert.deepEqual(findings('engineov.yaml', { engineNetworks: [own], projectName: 'engineov' }).found, []);
    assert.equal(findings('engineov.yaml', { engineNetworks: [own], projectName: 'other' }).found.length, 1);
  });
});
