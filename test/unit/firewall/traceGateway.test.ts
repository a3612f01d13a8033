import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseFirewall, traceConnection, type EngineFacts } from '../../../src/core/firewall';
import { fixturePath } from '../../paths';

// A connection from the host to a bridge's own address (the gateway, e.g. 172.17.0.1) is local: nat OUTPUT's
// `--dst-type LOCAL` jump DNATs a published port to the container. Seen for real in test/integration/firewall.test.ts.
const fixturesDir = fixturePath('firewall');
const ruleset = parseFirewall(fs.readFileSync(path.join(fixturesDir, 'e20.10-4-all.iptables-save-c.txt'), 'utf8'));
const facts: EngineFacts = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'e20.10-4-all.engine.json'), 'utf8'));
const withGateways: EngineFacts = {
  ...facts,
  networks: facts.networks.map((n) => (n.name === 'bridge' ? { ...n, gateways: ['172.17.0.1'] } : n)),
};

describe('tracing to a bridge\'s own address', () => {
  it('reaches the container of a published port when the engine names the gateway', () => {
    const t = traceConnection(ruleset, { protocol: 'tcp', port: 18080, from: 'localhost', toAddress: '172.17.0.1', facts: withGateways, userlandProxy: 'off' });
    assert.equal(t.verdict.kind, 'container');
    assert.equal(t.verdict.port, 80);
    assert.deepEqual(t.assumptions.filter((a) => /gateway/.test(a)), []);
  });

  it('stays on the host for an unpublished port', () => {
    const t = traceConnection(ruleset, { protocol: 'tcp', port: 18099, from: 'localhost', toAddress: '172.17.0.1', facts: withGateways, userlandProxy: 'off' });
    assert.equal(t.verdict.kind, 'host');
  });

  it('takes the subnet\'s first address for the gateway without engine facts, and says so', () => {
    const t = traceConnection(ruleset, { protocol: 'tcp', port: 18080, from: 'localhost', toAddress: '172.17.0.1', userlandProxy: 'off' });
    assert.equal(t.verdict.kind, 'container');
    assert.ok(t.assumptions.some((a) => a.startsWith('172.17.0.1 is taken to be the host\'s own address on docker0')), t.assumptions.join('\n'));
  });

  it('still routes to a container address in the same subnet', () => {
    const t = traceConnection(ruleset, { protocol: 'tcp', port: 80, from: 'localhost', toAddress: '172.17.0.2', facts: withGateways });
    assert.notEqual(t.verdict.kind, 'host');
  });
});
