import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { parseFirewall } from '../../../src/core/firewall';
import { buildViewData } from '../../../src/core/firewall/present/viewModel';
import { parseFromWebview, parsePersistedState, parseToWebview, parseViewData } from '../../../webview/protocol';
import { buildRows, RowKind, rulesForFocus } from '../../../webview/rows';
import { RuleTable } from '../../../webview/ruleTable';
import { fixturePath } from '../../paths';

const dump = fs.readFileSync(fixturePath('firewall/e20.10-4-all.iptables-save-c.txt'), 'utf8');
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
    const broken = (change: (d: ReturnType<typeof JSON.parse>) => void) => {
      const d = JSON.parse(JSON.stringify(data));
      change(d);
      return parseViewData(JSON.stringify(d));
    };
    assert.ok(broken(() => undefined), 'the unchanged copy passes');
    assert.equal(broken((d) => { d.rules.jump[0] = data.chains.length; }), undefined, 'a jump past the chains');
    assert.equal(broken((d) => { d.chains[0].ruleCount = data.rules.count + 1; }), undefined, 'a chain past the rules');
    assert.equal(broken((d) => { d.chains[1].firstRule += 1; }), undefined, 'chains whose rules overlap or leave a gap');
    assert.equal(broken((d) => { d.rules.text = d.rules.text.replace('\n', ' '); }), undefined, 'one text fewer than rules');
    assert.equal(broken((d) => { d.rules.owner[3] = 99; }), undefined, 'an owner that is not one');
    assert.equal(broken((d) => { d.rules.target.pop(); }), undefined, 'a column of the wrong length');
    assert.equal(broken((d) => { d.rules.comments = [[5, 'a'], [5, 'b']]; }), undefined, 'a rule commented twice');
    assert.equal(broken((d) => { d.rules.links = [[data.rules.count, []]]; }), undefined, 'links of a rule that is not there');
    assert.equal(parseViewData('{not json'), undefined);
  });
});

describe('firewall view rules as columns', () => {
  const ruleset = parseFirewall(dump);
  const core = ruleset.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.map((r) => ({ r, c, t }))));
  const rules = new RuleTable(data);

  it('gives back every field of every rule of the core model', () => {
    assert.equal(rules.count, core.length);
    core.forEach(({ r, c, t }, i) => {
      assert.equal(rules.text(i), r.text);
      assert.equal(rules.id(i), r.id);
      assert.equal(rules.index(i), r.index);
      assert.equal(rules.line(i), r.line);
      assert.equal(data.chains[rules.chain(i)]!.name, c.name);
      assert.equal(rules.owner(i), r.owner);
      assert.equal(rules.target(i), r.action.target);
      const jumpsTo = t.chains.find((x) => x.name === r.action.chain);
      assert.equal(rules.jump(i) !== undefined ? data.chains[rules.jump(i)!]!.name : undefined, jumpsTo?.name);
      assert.deepEqual(rules.counters(i), r.counters ? { packets: r.counters.packets, bytes: r.counters.bytes } : undefined);
      assert.equal(rules.comment(i), r.matches.comment);
      assert.equal(rules.byId(r.id), i);
    });
    assert.equal(rules.byId('ipv4/nat/NOPE#1'), undefined);
    assert.equal(rules.byId(`${core[0]!.r.id.replace(/#\d+$/, '')}#${core[0]!.c.rules.length + 1}`), undefined, 'past the chain\'s end');
  });

  it('finds rules by any field, one rule a line even when lower-casing changes lengths', () => {
    const text = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ':ufw-user-input - [0:0]',
      '-A INPUT -j ufw-user-input', '-A INPUT -p tcp --dport 22 -m comment --comment "<b>SSH</b> İstanbul" -j ACCEPT',
      '-A ufw-user-input -p udp --dport 53 -j ACCEPT', 'COMMIT', ''].join('\n');
    const { data: d } = buildViewData(parseFirewall(text), { origin: 'file', source: 'x' });
    const t = new RuleTable(parseViewData(JSON.stringify(d))!);
    assert.equal(t.count, 3);
    assert.equal(t.comment(1), '<b>SSH</b> İstanbul');
    const found = (needle: string) => [...t.find(needle)].flatMap((hit, i) => (hit ? [i] : []));
    assert.deepEqual(found('stanbul'), [1]);
    assert.deepEqual(found('udp --dport 53'), [2], 'lower-casing that changes lengths (İ becomes two code units) keeps rules apart');
    assert.deepEqual(found('--dport'), [1, 2], 'in the text');
    assert.deepEqual(found('ufw'), [0, 2], 'by the target (ufw-user-input) and by the owner (ufw)');
    assert.deepEqual(found('accept'), [1, 2]);
    assert.deepEqual(found('nothing like it'), []);
  });
});

describe('firewall view rows', () => {
  const rules = new RuleTable(data);
  const none = new Set<number>();
  const all = buildRows(data, rules, undefined, { filter: '', onlyDocker: false, collapsedTables: none, collapsedChains: none });

  it('lists every table, chain and rule once, in order', () => {
    const count = (k: RowKind) => Array.from(all.kinds.subarray(0, all.length)).filter((x) => x === k).length;
    assert.equal(count(RowKind.Table), data.tables.length);
    assert.equal(count(RowKind.Chain), data.chains.length);
    assert.equal(count(RowKind.Rule), rules.count);
    assert.equal(all.matchingRules, rules.count);
  });

  it('filters by text and by owner, and collapses chains without losing their count', () => {
    const dnat = buildRows(data, rules, rules.find('dnat'), { filter: 'dnat', onlyDocker: false, collapsedTables: none, collapsedChains: none });
    const shownDnat = Array.from(dnat.refs.subarray(0, dnat.length)).filter((_, i) => dnat.kinds[i] === RowKind.Rule);
    assert.ok(shownDnat.length > 0 && shownDnat.every((r) => /dnat/i.test(rules.text(r))));
    const { data: mixed } = buildViewData(parseFirewall(`${dump}\n*filter\n:INPUT ACCEPT [0:0]\n:ufw-user-input - [0:0]\n-A INPUT -j ufw-user-input\n-A ` +
      `ufw-user-input -p tcp --dport 22 -j ACCEPT\nCOMMIT\n`), { origin: 'file', source: 'x' });
    const mixedRules = new RuleTable(mixed);
    const docker = buildRows(mixed, mixedRules, undefined, { filter: '', onlyDocker: true, collapsedTables: none, collapsedChains: none });
    const shown = Array.from(docker.refs.subarray(0, docker.length)).filter((_, i) => docker.kinds[i] === RowKind.Rule);
    assert.ok(shown.length > 0 && shown.every((r) => mixedRules.owner(r) === 'docker' || mixed.chains[mixedRules.chain(r)]!.owner === 'docker'));
    const ufw = Array.from({ length: mixedRules.count }, (_, i) => i).filter((i) => mixedRules.owner(i) === 'ufw');
    assert.ok(ufw.length > 0 && docker.matchingRules < mixedRules.count && !ufw.some((i) => shown.includes(i)), 'ufw rules are left out');
    const dockerChain = data.chains.findIndex((c) => c.name === 'DOCKER' && c.ruleCount > 0);
    const collapsed = buildRows(data, rules, undefined, { filter: '', onlyDocker: false, collapsedTables: none, collapsedChains: new Set([dockerChain]) });
    assert.equal(collapsed.length, all.length - data.chains[dockerChain]!.ruleCount);
    assert.equal(collapsed.matchingRules, rules.count);
  });

  it('finds a container\'s rules for the tree\'s focus', () => {
    const { data: linked } = buildViewData(parseFirewall(dump), { origin: 'engine', source: 'x' }, {
      networks: [{ name: 'bridge', subnets: ['172.17.0.0/16'], bridgeName: 'docker0' }],
      containers: [{ name: 'web', id: 'c1', addresses: [{ network: 'bridge', ip: '172.17.0.2' }],
        ports: [{ protocol: 'tcp', hostPort: 18081, containerPort: 80 }] }],
    });
    const linkedRules = new RuleTable(linked);
    const focused = rulesForFocus(linkedRules, { kind: 'container', label: 'web', id: 'c1' });
    assert.ok([...focused].some((i) => linkedRules.target(i) === 'DNAT'), 'the DNAT rule');
  });
});
