import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseFirewall } from '../../../src/core/firewall';
import { buildViewData, traceForView } from '../../../src/extension/firewall/viewModel';
import { parseFromWebview, parsePersistedState, parseToWebview, parseViewData } from '../../../webview/protocol';
import { buildRows, RowKind, rulesForFocus, searchIndex } from '../../../webview/rows';

const dump = fs.readFileSync(path.join(__dirname, '../../../../test/fixtures/firewall/e20.10-4-all.iptables-save-c.txt'), 'utf8');
const { data } = buildViewData(parseFirewall(dump), { origin: 'file', source: 'e20.10-4-all.iptables-save-c.txt' });

describe('firewall view protocol', () => {
  it('round-trips the view data through its JSON message and validator', () => {
    const msg = parseToWebview({ type: 'data', json: JSON.stringify(data) });
    assert.equal(msg?.type, 'data');
    assert.deepEqual(parseViewData((msg as { json: string }).json), data);
  });

  it('rejects malformed messages in both directions', () => {
    assert.equal(parseToWebview({ type: 'data', json: 42 }), undefined);
    assert.equal(parseToWebview({ type: 'nope' }), undefined);
    assert.equal(parseToWebview(null), undefined);
    assert.equal(parseFromWebview({ type: 'trace', request: { protocol: 'icmp', port: 80, from: 'outside' } }), undefined);
    assert.equal(parseFromWebview({ type: 'trace', request: { protocol: 'tcp', port: 70000, from: 'outside' } }), undefined);
    assert.equal(parseFromWebview({ type: 'trace', request: { protocol: 'tcp', port: 80, from: '' } }), undefined);
    assert.equal(parseFromWebview({ type: 'run', command: 'rm -rf /' }), undefined);
    // extra fields are dropped, not passed on
    assert.deepEqual(parseFromWebview({ type: 'trace', request: { protocol: 'tcp', port: 80, from: 'outside', extra: 1 }, x: 2 }),
      { type: 'trace', request: { protocol: 'tcp', port: 80, from: 'outside' } });
    assert.deepEqual(parsePersistedState({ origin: 'file', file: '/a', onlyDocker: 'yes' }), { origin: 'file', file: '/a' });
  });

  it('rejects view data whose indexes point outside their arrays', () => {
    const bad = JSON.parse(JSON.stringify(data));
    bad.rules[0].chain = data.chains.length;
    assert.equal(parseViewData(JSON.stringify(bad)), undefined);
    const bad2 = JSON.parse(JSON.stringify(data));
    bad2.chains[0].ruleCount = data.rules.length + 1;
    assert.equal(parseViewData(JSON.stringify(bad2)), undefined);
    assert.equal(parseViewData('{not json'), undefined);
  });
});

describe('firewall view rows', () => {
  const search = searchIndex(data);
  const none = new Set<number>();
  const all = buildRows(data, search, { filter: '', onlyDocker: false, collapsedTables: none, collapsedChains: none });

  it('lists every table, chain and rule once, in order', () => {
    const count = (k: RowKind) => Array.from(all.kinds.subarray(0, all.length)).filter((x) => x === k).length;
    assert.equal(count(RowKind.Table), data.tables.length);
    assert.equal(count(RowKind.Chain), data.chains.length);
    assert.equal(count(RowKind.Rule), data.rules.length);
    assert.equal(all.matchingRules, data.rules.length);
  });

  it('filters by text and by owner, and collapses chains without losing their count', () => {
    const dnat = buildRows(data, search, { filter: 'dnat', onlyDocker: false, collapsedTables: none, collapsedChains: none });
    const rules = Array.from(dnat.refs.subarray(0, dnat.length)).filter((_, i) => dnat.kinds[i] === RowKind.Rule).map((r) => data.rules[r]!);
    assert.ok(rules.length > 0 && rules.every((r) => /dnat/i.test(r.text)));
    const { data: mixed } = buildViewData(parseFirewall(`${dump}\n*filter\n:INPUT ACCEPT [0:0]\n:ufw-user-input - [0:0]\n-A INPUT -j ufw-user-input\n-A ufw-user-input -p tcp --dport 22 -j ACCEPT\nCOMMIT\n`), { origin: 'file', source: 'x' });
    const docker = buildRows(mixed, searchIndex(mixed), { filter: '', onlyDocker: true, collapsedTables: none, collapsedChains: none });
    const shown = Array.from(docker.refs.subarray(0, docker.length)).filter((_, i) => docker.kinds[i] === RowKind.Rule).map((r) => mixed.rules[r]!);
    assert.ok(shown.length > 0 && shown.every((r) => r.owner === 'docker' || mixed.chains[r.chain]!.owner === 'docker'));
    assert.ok(mixed.rules.some((r) => r.owner === 'ufw') && docker.matchingRules < mixed.rules.length, 'ufw rules are left out');
    const dockerChain = data.chains.findIndex((c) => c.name === 'DOCKER' && c.ruleCount > 0);
    const collapsed = buildRows(data, search, { filter: '', onlyDocker: false, collapsedTables: none, collapsedChains: new Set([dockerChain]) });
    assert.equal(collapsed.length, all.length - data.chains[dockerChain]!.ruleCount);
    assert.equal(collapsed.matchingRules, data.rules.length);
  });

  it('finds a container\'s rules for the tree\'s focus', () => {
    const { data: linked } = buildViewData(parseFirewall(dump), { origin: 'engine', source: 'x' }, {
      networks: [{ name: 'bridge', subnets: ['172.17.0.0/16'], bridgeName: 'docker0' }],
      containers: [{ name: 'web', id: 'c1', addresses: [{ network: 'bridge', ip: '172.17.0.2' }], ports: [{ protocol: 'tcp', hostPort: 18081, containerPort: 80 }] }],
    });
    const focused = rulesForFocus(linked, { kind: 'container', label: 'web', id: 'c1' });
    assert.ok([...focused].some((i) => linked.rules[i]!.target === 'DNAT'), 'the DNAT rule');
  });

  it('traces into a message the view can show', () => {
    const t = traceForView(parseFirewall(dump), { protocol: 'tcp', port: 18081, from: 'outside' });
    assert.ok(t.steps.length > 0);
    assert.ok(['container', 'docker-proxy', 'host', 'dropped', 'rejected', 'routed-out'].includes(t.verdict.kind));
    assert.ok(parseToWebview({ type: 'trace', trace: t }));
  });
});
