// Engine 28.5.2's real rules (test/fixtures/firewall/e28.5-*, captured by capture.sh rig in the test rig's network
// namespace): the layout the header names, what links to what, and traces checked against the real connections
// recorded at capture time (e28.5-5-modes-truth.txt).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  detectDockerLayout, linkFirewall, parseFirewall, traceConnection, type EngineFacts, type FirewallRuleset,
} from '../../../src/core/firewall';
import { parseHostSnapshot } from '../../../src/core/firewall/hostSnapshot';
import { buildViewData } from '../../../src/core/firewall/present/viewModel';
import { fixturePath } from '../../paths';

const fixturesDir = fixturePath('firewall');
const read = (name: string) => fs.readFileSync(path.join(fixturesDir, name), 'utf8');
const dump = (...names: string[]) => parseFirewall(names.map(read).join('\n'));
const facts = (name: string): EngineFacts => JSON.parse(read(name));
const allRules = (r: FirewallRuleset) => r.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.map((rule) => ({ table: t, chain: c, rule }))));
const ruleText = (r: FirewallRuleset, id: string | undefined) => allRules(r).find((x) => x.rule.id === id)?.rule.text;

const layoutText = 'Docker 28.0.1 or later with iptables: DOCKER-FORWARD, DOCKER-CT, DOCKER-BRIDGE; FORWARD policy DROP';

describe('Engine 28.5.2 dumps: the layout', () => {
  for (const file of ['e28.5-4-all.iptables-save-c.txt', 'e28.5-4-all.iptables-save.txt', 'e28.5-4-all.filter-S.txt',
    'e28.5-4-all.filter-nvL-line-numbers.txt', 'e28.5-4-all.nft-ruleset.txt', 'e28.5-4-all.ip6tables-save-c.txt',
    'e28.5-5-modes.iptables-save-c.txt', 'e28.5-5-modes.ip6tables-save-c.txt', 'e28.5-5-modes.filter6-S.txt']) {
    it(`${file}: names DOCKER-FORWARD, DOCKER-CT, DOCKER-BRIDGE and the FORWARD policy DROP`, () => {
      const layout = detectDockerLayout(dump(file));
      assert.equal(layout.era, '28.0.1+');
      assert.equal(layout.description, layoutText);
      assert.equal(layout.forwardPolicy?.ipv4 ?? layout.forwardPolicy?.ipv6, 'DROP');
    });
  }

  it('the view\'s header says it', () => {
    const { data } = buildViewData(dump('e28.5-4-all.iptables-save-c.txt'), { origin: 'file', source: 'e28.5-4-all.iptables-save-c.txt' });
    assert.equal(data.facts.era, layoutText);
    assert.deepEqual(data.facts.eraEvidence, ['DOCKER-FORWARD', 'DOCKER-CT', 'DOCKER-BRIDGE', 'FORWARD policy DROP']);
  });

  it('names the per-family policy when IPv4 and IPv6 differ, and Engine 20.10\'s layout with its policy', () => {
    const v6Accept = read('e28.5-5-modes.ip6tables-save-c.txt').replace(':FORWARD DROP', ':FORWARD ACCEPT');
    const layout = detectDockerLayout(parseFirewall(`${read('e28.5-5-modes.iptables-save-c.txt')}\n${v6Accept}`));
    assert.match(layout.description, /; FORWARD policy DROP \(IPv4\), ACCEPT \(IPv6\)$/);
    assert.equal(detectDockerLayout(dump('e20.10-4-all.iptables-save-c.txt')).description,
      'Docker up to 27 (DOCKER-ISOLATION-STAGE-1/2, per-bridge rules in FORWARD), FORWARD policy DROP');
  });

  it('counts the raw PREROUTING direct-access drops: one per container address outside internal networks', () => {
    const layout = detectDockerLayout(dump('e28.5-4-all.iptables-save-c.txt'));
    assert.equal(layout.rawDirectAccessDrops, 3, 'dnd-fw-web, dnd-fw-user-web, dnd-fw-noicc-web; none for the internal network');
  });
});

describe('Engine 28.5.2 dumps: links', () => {
  const r = dump('e28.5-4-all.iptables-save-c.txt');
  const f = facts('e28.5-4-all.engine.json');
  const links = linkFirewall(r, f);

  it('two IPv4 rules per published port: a DNAT and a filter ACCEPT, no hairpin MASQUERADE (20.10 had three)', () => {
    for (const port of [18080, 18081, 18082, 40101, 40102, 40103]) {
      const dnat = links.links.filter((l) => l.role === 'dnat' && l.port?.hostPort !== undefined && l.port.hostPort <= port
        && port <= (l.port.hostPortEnd ?? l.port.hostPort)
        && ruleText(r, l.ruleId)!.includes(`--dport ${port} `));
      assert.equal(dnat.length, 1, `one DNAT for ${port}`);
    }
    assert.equal(links.unlinkedDnat.length, 0);
    assert.equal(links.links.filter((l) => l.role === 'hairpin-masquerade').length, 0);
    const accepts = links.links.filter((l) => l.role === 'published-accept');
    assert.equal(accepts.length, 6, accepts.map((l) => ruleText(r, l.ruleId)).join('\n'));
  });

  it('links each raw direct-access DROP to its container', () => {
    const drops = links.links.filter((l) => l.role === 'direct-access-drop').map((l) => l.container?.name).sort();
    assert.deepEqual(drops, ['dnd-fw-noicc-web', 'dnd-fw-user-web', 'dnd-fw-web']);
  });

  it('the userland proxy is on, and the measured docker-proxy count agrees', () => {
    const after4 = Number(/after step 4: (\d+)/.exec(read('e28.5-docker-proxy-counts.txt'))![1]);
    assert.equal(after4, 12, '6 published ports (18080, 18081, 18082, 3 udp) x IPv4+IPv6, as on 20.10');
    const withCount = linkFirewall(r, { ...f, dockerProxyProcesses: after4 });
    assert.equal(withCount.userlandProxy.state, 'on');
    assert.match(withCount.userlandProxy.processCheck!, /12 docker-proxy processes run, as the rules suggest/);
  });
});

describe('Engine 28.5.2 helper output (privileged, in the rig: pid 1 is the machine\'s, so dockerd was entered)', () => {
  const snapshot = parseHostSnapshot(read('helper-output-28.5.2.txt'));

  it('says which process it entered and why', () => {
    assert.equal(snapshot.target?.command, 'dockerd');
    assert.match(snapshot.target?.reason ?? '', /^pid 1/);
    assert.deepEqual(snapshot.errors, []);
  });

  it('counts only this engine\'s docker-proxy processes (other engines ran on the machine meanwhile)', () => {
    const after5 = Number(/after step 5: (\d+)/.exec(read('e28.5-docker-proxy-counts.txt'))![1]);
    assert.equal(snapshot.dockerProxies.length, after5);
    assert.ok(snapshot.dockerProxies.every((p) => /engines\/sid\/bin\/docker-proxy /.test(p.commandLine)), 'all of the sid engine');
  });

  it('reads both families\' rules of the engine\'s namespace', () => {
    const ruleset = parseFirewall(snapshot.rulesText);
    assert.equal(detectDockerLayout(ruleset).description, layoutText);
    assert.ok(ruleset.tables.some((t) => t.family === 'ipv6' && t.name === 'raw'), 'ip6tables raw table (the IPv6 network)');
  });
});

describe('Engine 28.5.2 traces against the connections recorded at capture time', () => {
  const r = dump('e28.5-5-modes.iptables-save-c.txt', 'e28.5-5-modes.ip6tables-save-c.txt');
  const f = facts('e28.5-5-modes.engine.json');
  const truth = read('e28.5-5-modes-truth.txt').split('\n')
    .map((l) => /^(localhost|outside-v6|outside-direct \([^)]*\)|outside) (\S+):(\d+) -> (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map(([, label, address, port, result]) => ({ label: label!, address: address!, port: Number(port), reached: /^HTTP\//.test(result!), result: result! }));

  it('has the recorded cases', () => {
    assert.equal(truth.length, 23);
    assert.ok(truth.some((t) => t.reached) && truth.some((t) => !t.reached));
  });

  for (const c of truth) {
    it(`${c.label} → ${c.address}:${c.port}: ${c.reached ? 'reached' : c.result}`, () => {
      const t = traceConnection(r,
        { protocol: 'tcp', port: c.port, from: c.label === 'localhost' ? 'localhost' : 'outside', toAddress: c.address, inInterface: 'dnd-lan', facts: f });
      const reached = t.verdict.kind === 'container' || t.verdict.kind === 'docker-proxy';
      assert.equal(reached, c.reached, `${t.verdict.kind}: ${t.verdict.text}`);
    });
  }

  it('direct access from outside to a NAT network\'s container is dropped in raw PREROUTING, for IPv4 and IPv6', () => {
    for (const address of ['172.17.0.2', 'fd00:dd:6::2']) {
      const t = traceConnection(r, { protocol: 'tcp', port: 80, from: 'outside', toAddress: address, inInterface: 'dnd-lan', facts: f });
      assert.equal(t.verdict.kind, 'dropped');
      assert.equal(t.verdict.text, 'dropped in raw PREROUTING');
      assert.match(ruleText(r, t.verdict.ruleId)!,
        new RegExp(`-A PREROUTING -d ${address.replace(/\./g, '\\.')}/(32|128) ! -i (docker0|br-[0-9a-f]+) -j DROP`));
    }
  });

  it('routed: no DNAT for IPv4, only the IPv6 docker-proxy on the host port; direct access accepted by port', () => {
    const v4 = traceConnection(r, { protocol: 'tcp', port: 18083, from: 'outside', toAddress: '198.51.100.2', facts: f });
    assert.equal(v4.verdict.kind, 'host');
    assert.equal(v4.verdict.text, 'reaches the host on tcp/18083; Docker publishes it for IPv6 only (refused unless a host process listens)');
    const v6 = traceConnection(r, { protocol: 'tcp', port: 18083, from: 'outside', toAddress: '2001:db8:dd::2', facts: f });
    assert.equal(v6.verdict.kind, 'docker-proxy');
    assert.equal(v6.verdict.container?.name, 'dnd-fw-routed-web');
    const unpublished = traceConnection(r, { protocol: 'tcp', port: 81, from: 'outside', toAddress: '10.204.0.2', facts: f });
    assert.equal(unpublished.verdict.kind, 'dropped', unpublished.verdict.text);
  });

  it('nat-unprotected: every port of the container is open to direct access', () => {
    const t = traceConnection(r, { protocol: 'tcp', port: 81, from: 'outside', toAddress: '10.205.0.2', facts: f });
    assert.equal(t.verdict.kind, 'container', t.verdict.text);
  });
});

describe('the host\'s own address on a bridge, per network', () => {
  // Engine 28.5 lists the default bridge's gateway but none for a network made with --subnet and no --gateway:
  // the others are still taken to be their subnet's first address
  const r = dump('e28.5-4-all.iptables-save-c.txt');
  const f = facts('e28.5-4-all.engine.json');

  it('has the case: one network with a stated gateway, others without', () => {
    assert.deepEqual(f.networks.filter((n) => n.gateways?.length).map((n) => n.name), ['bridge']);
  });

  it('a user network\'s gateway is local: nat OUTPUT DNATs a published port there to the container', () => {
    const t = traceConnection(r, { protocol: 'tcp', port: 18081, from: 'localhost', toAddress: '10.201.0.1', facts: f });
    assert.equal(t.verdict.kind, 'container', t.verdict.text);
    assert.equal(t.verdict.container?.name, 'dnd-fw-user-web');
    assert.ok(t.assumptions.some((a) => a.startsWith('10.201.0.1 is taken to be the host\'s own address')), t.assumptions.join('\n'));
    const stated = traceConnection(r, { protocol: 'tcp', port: 18080, from: 'localhost', toAddress: '172.17.0.1', facts: f });
    assert.deepEqual(stated.assumptions.filter((a) => a.startsWith('172.17.0.1')), []);
  });
});
