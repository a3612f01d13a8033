import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { networkDescription } from '../../../src/core/engine/describe';
import { normalizeNetwork, normalizeNetworks } from '../../../src/core/engine/normalizeNetworks';
import { fixturePath, corpusPath } from '../../paths';

const fixture = (name: string) => JSON.parse(fs.readFileSync(fixturePath(name), 'utf8'));
const corpus = (name: string) => JSON.parse(fs.readFileSync(corpusPath('inspect', name), 'utf8'));

describe('normalizeNetworks on a captured Engine 20.10.24 (API 1.41) /networks body', () => {
  const networks = normalizeNetworks(fixture('engine/networks-20.10.24-api1.41.json'));
  const byName = new Map(networks.map((n) => [n.name, n]));

  it('keeps every network, sorted by name', () => {
    assert.deepEqual(networks.map((n) => n.name), ['bridge', 'dnd-fx-dual', 'dnd-fx-internal', 'host', 'none']);
  });

  it('reads the default bridge with its device name and subnet', () => {
    const bridge = byName.get('bridge')!;
    assert.equal(bridge.driver, 'bridge');
    assert.equal(bridge.bridgeName, 'docker0');
    // Engine 20.10 lists no Gateway for IPAM configs it chose itself
    assert.deepEqual(bridge.subnets, [{ cidr: '172.17.0.0/16', family: 'ipv4' }]);
    assert.equal(bridge.icc, true);
    assert.equal(bridge.masquerade, true);
  });

  it('reads internal, icc=false and a generated bridge name', () => {
    const n = byName.get('dnd-fx-internal')!;
    assert.equal(n.internal, true);
    assert.equal(n.icc, false);
    assert.equal(n.bridgeName, `br-${n.id.slice(0, 12)}`);
    assert.equal(networkDescription(n), 'bridge · 10.77.0.0/24 · internal · icc off');
  });

  it('reads dual-stack subnets with their families', () => {
    const n = byName.get('dnd-fx-dual')!;
    assert.equal(n.ipv6, true);
    assert.deepEqual(n.subnets.map((s) => [s.cidr, s.family]), [['10.78.0.0/24', 'ipv4'], ['fd00:78::/64', 'ipv6']]);
  });

  it('has no bridge device for host and null networks', () => {
    assert.equal(byName.get('host')!.bridgeName, undefined);
    assert.equal(byName.get('none')!.driver, 'null');
  });
});

describe('normalizeNetwork on inspect output from the corpus', () => {
  it('reads a compose-made dual-stack bridge', () => {
    const [raw] = corpus('001-ipv6-bridge-net2-compose.json');
    const n = normalizeNetwork(raw)!;
    assert.equal(n.ipv6, true);
    assert.deepEqual(n.subnets.map((s) => s.family).sort(), ['ipv4', 'ipv6']);
  });

  it('reads a swarm overlay network', () => {
    const [raw] = corpus('002-overlay-swarm-manager-stack.json');
    const n = normalizeNetwork(raw)!;
    assert.equal(n.driver, 'overlay');
    assert.equal(n.scope, 'swarm');
    assert.equal(n.bridgeName, undefined);
  });

  it('reads a macvlan network with no parent option', () => {
    const [raw] = corpus('003-macvlan-no-parent-default-subnet.json');
    const n = normalizeNetwork(raw)!;
    assert.equal(n.driver, 'macvlan');
    assert.equal(n.subnets[0]?.cidr, '172.17.0.0/16');
  });
});

describe('normalizeNetworks on malformed input', () => {
  it('yields nothing for a body that is not an array', () => {
    assert.deepEqual(normalizeNetworks({ message: 'page not found' }), []);
    assert.deepEqual(normalizeNetworks(null), []);
  });

  it('skips entries without id or name, and tolerates null fields', () => {
    const out = normalizeNetworks([null, 42, { Name: 'x' }, { Id: 'abc', Name: 'ok', IPAM: null, Options: null, Labels: null }]);
    assert.deepEqual(out.map((n) => n.name), ['ok']);
    assert.deepEqual(out[0]!.subnets, []);
  });
});
