import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { linkFirewall, parseFirewall, traceConnection, type EngineFacts, type FirewallRuleset } from '../../../src/core/firewall';
import { fixturePath, corpusPath } from '../../paths';

const corpusDir = corpusPath('firewall');
const fixturesDir = fixturePath('firewall');
const corpus = (name: string) => parseFirewall(fs.readFileSync(path.join(corpusDir, name), 'utf8'));
const dump = (name: string) => parseFirewall(fs.readFileSync(path.join(fixturesDir, name), 'utf8'));
const facts = (name: string): EngineFacts => JSON.parse(fs.readFileSync(path.join(fixturesDir, name), 'utf8'));
const ruleText = (r: FirewallRuleset, id: string | undefined) =>
  r.tables.flatMap((t) => t.chains.flatMap((c) => c.rules)).find((x) => x.id === id)?.text;

describe('linkFirewall on the Engine 20.10.24 dump with its engine facts', () => {
  const r = dump('e20.10-4-all.iptables-save-c.txt');
  const f = facts('e20.10-4-all.engine.json');
  const links = linkFirewall(r, f);
  const web = f.containers.find((c) => c.name === 'dnd-fw-web')!;

  it('links every Docker DNAT to its container and published port', () => {
    const dnat = links.links.filter((l) => l.role === 'dnat');
    assert.equal(links.unlinkedDnat.length, 0);
    const dockerDnats = r.tables.find((t) => t.name === 'nat')!.chains.find((c) => c.name === 'DOCKER')!.rules.filter((x) => x.action.kind === 'dnat');
    assert.equal(dnat.length, dockerDnats.length);
    const tcp = dnat.find((l) => ruleText(r, l.ruleId)!.includes('--dport 18080'))!;
    assert.equal(tcp.container?.name, 'dnd-fw-web');
    assert.equal(tcp.container?.id, web.id);
    assert.equal(tcp.port?.hostPort, 18080);
    assert.equal(tcp.port?.containerPort, 80);
    const udp = dnat.find((l) => ruleText(r, l.ruleId)!.includes('--dport 40102'))!;
    assert.equal(udp.port?.protocol, 'udp');
    assert.equal(udp.port?.containerPort, 40102);
  });

  it('links filter ACCEPTs and hairpin MASQUERADEs to the container', () => {
    const accept = links.links.filter((l) => l.role === 'published-accept' && l.container?.name === 'dnd-fw-user-web');
    assert.equal(accept.length, 1);
    assert.match(ruleText(r, accept[0]!.ruleId)!, /^\[0:0\] -A DOCKER -d 10\.201\.0\.2\/32/);
    assert.equal(links.links.filter((l) => l.role === 'hairpin-masquerade' && l.container?.name === 'dnd-fw-web').length, 4);
  });

  it('links MASQUERADE, isolation, internal and icc rules to networks', () => {
    const byNet = (name: string, role: string) => links.links.filter((l) => l.network?.name === name && l.role === role);
    assert.equal(byNet('bridge', 'masquerade').length, 1);
    assert.equal(byNet('dnd-fw-user', 'masquerade').length, 1);
    assert.equal(byNet('dnd-fw-internal', 'masquerade').length, 0);
    assert.ok(byNet('dnd-fw-internal', 'internal').length >= 2, 'the two ! -s/! -d drops of the internal network');
    assert.ok(byNet('dnd-fw-noicc', 'icc').some((l) => ruleText(r, l.ruleId)!.endsWith('-j DROP')));
    assert.ok(byNet('dnd-fw-user', 'isolation').length >= 2);
    assert.deepEqual(links.byRule[links.links[0]!.ruleId]!.includes(links.links[0]!), true);
  });

  it('cross-checks the userland proxy with the docker-proxy count that was measured', () => {
    const counts = fs.readFileSync(path.join(fixturesDir, 'e20.10-docker-proxy-counts.txt'), 'utf8');
    const after4 = Number(/after step 4: (\d+)/.exec(counts)![1]);
    assert.equal(after4, 12, '6 published ports (18080, 18081, 18082, 3 udp) x IPv4+IPv6');
    const withCount = linkFirewall(r, { ...f, dockerProxyProcesses: after4 });
    assert.equal(withCount.userlandProxy.state, 'on');
    assert.match(withCount.userlandProxy.processCheck!, /12 docker-proxy processes run, as the rules suggest/);
    const off = linkFirewall(dump('e20.10-noproxy.iptables-save-c.txt'), { ...facts('e20.10-noproxy.engine.json'), dockerProxyProcesses: 0 });
    assert.equal(off.userlandProxy.state, 'off');
    assert.match(off.userlandProxy.processCheck!, /no docker-proxy process runs/);
  });

  it('links the same DNATs from the nft listing of the same host', () => {
    const nft = linkFirewall(dump('e20.10-4-all.nft-ruleset.txt'), f);
    assert.deepEqual(nft.links.filter((l) => l.role === 'dnat').map((l) => `${l.container?.name}:${l.port?.hostPort}`).sort(),
      links.links.filter((l) => l.role === 'dnat').map((l) => `${l.container?.name}:${l.port?.hostPort}`).sort());
  });
});

describe('traceConnection on the Engine 20.10.24 dumps (userland proxy on)', () => {
  const r = dump('e20.10-4-all.iptables-save-c.txt');
  const f = facts('e20.10-4-all.engine.json');

  it('published port from outside: DNAT, FORWARD accept, ends at the container', () => {
    const t = traceConnection(r, { protocol: 'tcp', port: 18080, from: 'outside', facts: f });
    assert.equal(t.verdict.kind, 'container');
    assert.equal(t.verdict.container?.name, 'dnd-fw-web');
    assert.equal(t.verdict.address, '172.17.0.2');
    assert.equal(t.verdict.port, 80);
    const dnat = t.steps.find((s) => s.effect === 'dnat')!;
    assert.match(ruleText(r, dnat.ruleId)!, /--dport 18080 -j DNAT --to-destination 172\.17\.0\.2:80/);
    const accept = t.steps.find((s) => s.effect === 'accept' && s.hook === 'forward')!;
    assert.equal(accept.chain, 'DOCKER');
    assert.equal(t.steps.findIndex((s) => s.effect === 'dnat') < t.steps.findIndex((s) => s.hook === 'forward'), true);
  });

  it('unpublished port from outside: no DNAT, not forwarded to any container', () => {
    const t = traceConnection(r, { protocol: 'tcp', port: 18099, from: 'outside', facts: f });
    assert.equal(t.verdict.kind, 'host');
    assert.ok(!t.steps.some((s) => s.effect === 'dnat' || s.hook === 'forward'));
  });

  it('a udp port of the range is published, tcp on the same number is not', () => {
    assert.equal(traceConnection(r, { protocol: 'udp', port: 40102, from: 'outside', facts: f }).verdict.port, 40102);
    assert.equal(traceConnection(r, { protocol: 'tcp', port: 40102, from: 'outside', facts: f }).verdict.kind, 'host');
  });

  it('localhost with the proxy on: the loopback exception skips DNAT, docker-proxy answers', () => {
    const t = traceConnection(r, { protocol: 'tcp', port: 18080, from: 'localhost', facts: f });
    assert.equal(t.verdict.kind, 'docker-proxy');
    assert.equal(t.verdict.container?.name, 'dnd-fw-web');
    assert.ok(!t.steps.some((s) => s.effect === 'dnat'));
  });

  it('from another container on the default bridge: nat DOCKER returns early, docker-proxy answers', () => {
    const t = traceConnection(r, { protocol: 'tcp', port: 18081, from: '172.17.0.9', facts: f });
    assert.ok(t.steps.some((s) => s.effect === 'return' && s.chain === 'DOCKER'));
    assert.equal(t.verdict.kind, 'docker-proxy');
    assert.equal(t.verdict.container?.name, 'dnd-fw-user-web');
  });

  it('works without engine facts, inferring bridges from Docker\'s rules', () => {
    const t = traceConnection(r, { protocol: 'tcp', port: 18082, from: 'outside' });
    assert.equal(t.verdict.kind, 'container');
    assert.equal(t.verdict.address, '10.203.0.2');
    assert.ok(t.steps.some((s) => s.effect === 'route' && /br-[0-9a-f]{12}/.test(s.text)));
    assert.ok(t.assumptions.some((a) => a.includes('stand-in')));
  });

  it('a DROP in DOCKER-USER stops the published port', () => {
    const text = fs.readFileSync(path.join(fixturesDir, 'e20.10-4-all.iptables-save.txt'), 'utf8')
      .replace('-A DOCKER-USER -j RETURN',
        '-A DOCKER-USER -p tcp -m conntrack --ctorigdstport 80 -j DROP\n-A DOCKER-USER -d 172.17.0.2/32 -p tcp --dport 80 -j DROP\n-A DOCKER-USER -j RETURN');
    const t = traceConnection(parseFirewall(text), { protocol: 'tcp', port: 18080, from: 'outside', facts: f });
    assert.equal(t.verdict.kind, 'dropped');
    assert.equal(ruleText(parseFirewall(text), t.verdict.ruleId), '-A DOCKER-USER -d 172.17.0.2/32 -p tcp --dport 80 -j DROP');
    // the conntrack rule is judged: the connection was made to host port 18080, not 80, so it does not match
    assert.ok(!t.steps.some((s) => s.effect === 'unevaluated'), 'the conntrack --ctorigdstport match is judged');
  });

  it('a DROP in DOCKER-USER by the original destination port (conntrack) stops the published port it names', () => {
    const text = fs.readFileSync(path.join(fixturesDir, 'e20.10-4-all.iptables-save.txt'), 'utf8')
      .replace('-A DOCKER-USER -j RETURN', '-A DOCKER-USER -p tcp -m conntrack --ctorigdstport 18080 --ctdir ORIGINAL -j DROP\n-A DOCKER-USER -j RETURN');
    const r = parseFirewall(text);
    const t = traceConnection(r, { protocol: 'tcp', port: 18080, from: 'outside', facts: f });
    assert.equal(t.verdict.kind, 'dropped');
    assert.equal(ruleText(r, t.verdict.ruleId), '-A DOCKER-USER -p tcp -m conntrack --ctorigdstport 18080 --ctdir ORIGINAL -j DROP');
    // another published port passes it
    assert.equal(traceConnection(r, { protocol: 'tcp', port: 18081, from: 'outside', facts: f }).verdict.kind, 'container');
  });
});

describe('traceConnection with userland-proxy=false (second engine)', () => {
  const r = dump('e20.10-noproxy.iptables-save-c.txt');
  const f = facts('e20.10-noproxy.engine.json');

  it('localhost: nat OUTPUT DNATs, hairpin MASQUERADE from local, reaches the container', () => {
    const t = traceConnection(r, { protocol: 'tcp', port: 18080, from: 'localhost', facts: f });
    assert.equal(t.verdict.kind, 'container');
    assert.equal(t.verdict.container?.name, 'dnd-fw-web');
    const masq = t.steps.find((s) => s.effect === 'masquerade')!;
    assert.match(ruleText(r, masq.ruleId)!, /-o docker0 -m addrtype --src-type LOCAL -j MASQUERADE/);
  });

  it('an unpublished port from localhost still only reaches the host', () => {
    assert.equal(traceConnection(r, { protocol: 'tcp', port: 18099, from: 'localhost', facts: f }).verdict.kind, 'host');
  });
});

describe('traceConnection on the corpus', () => {
  it('Docker 29 nftables: DNAT, verdict map to the per-bridge chain, accept (008)', () => {
    const r = corpus('008-moby29-nft-docker-bridges-portmap.txt');
    const t = traceConnection(r, { protocol: 'tcp', port: 8080, from: 'outside' });
    assert.equal(t.verdict.kind, 'container');
    assert.equal(t.verdict.address, '192.0.2.2');
    assert.ok(t.steps.some((s) => s.effect === 'vmap' && s.text.includes('filter-forward-in__bridge1')));
    assert.equal(t.steps.find((s) => s.hook === 'forward' && s.effect === 'accept')?.chain, 'filter-forward-in__bridge1');
    assert.equal(traceConnection(r, { protocol: 'tcp', port: 8080, from: 'localhost' }).verdict.kind, 'docker-proxy');
  });

  it('Docker 29 nftables: direct access to the container address is dropped in raw (008)', () => {
    const r = corpus('008-moby29-nft-docker-bridges-portmap.txt');
    const t = traceConnection(r, { protocol: 'tcp', port: 80, from: 'outside', toAddress: '192.0.2.2' });
    assert.equal(t.verdict.kind, 'dropped');
    assert.equal(t.steps.at(-1)!.chain, 'raw-PREROUTING');
  });

  it('Docker 28 iptables: FORWARD via DOCKER-FORWARD and DOCKER-BRIDGE to the published port (005 + 006)', () => {
    const text = ['005-moby28-filter-nvL-forward-ct-bridge.txt', '006-moby28-nat-nvL.txt']
      .map((n) => fs.readFileSync(path.join(corpusDir, n), 'utf8')).join('\n');
    const r = parseFirewall(text);
    assert.deepEqual(r.tables.map((t) => t.name), ['filter', 'nat']);
    const t = traceConnection(r, { protocol: 'tcp', port: 8080, from: 'outside' });
    assert.equal(t.verdict.kind, 'container');
    assert.deepEqual(t.steps.filter((s) => s.hook === 'forward' && s.effect === 'jump').map((s) => s.text),
      ['jump to DOCKER-USER', 'jump to DOCKER-FORWARD', 'jump to DOCKER-CT', 'jump to DOCKER-INTERNAL', 'jump to DOCKER-BRIDGE', 'jump to DOCKER']);
  });

  it('the FORWARD policy DROP applies when nothing accepts (013 + 014, nothing published)', () => {
    const text = ['013-centos-docker-filter-nvL-with-prompt.txt', '014-centos-docker-nat-nvL-with-prompt.txt']
      .map((n) => fs.readFileSync(path.join(corpusDir, n), 'utf8')).join('\n');
    const r = parseFirewall(text);
    const t = traceConnection(r, { protocol: 'tcp', port: 80, from: 'outside', toAddress: '172.17.0.5' });
    assert.equal(t.verdict.kind, 'dropped');
    assert.equal(t.steps.at(-1)!.effect, 'policy');
  });

  it('rejects a source that is neither outside, localhost nor an address', () => {
    const t = traceConnection(corpus('006-moby28-nat-nvL.txt'), { protocol: 'tcp', port: 1, from: 'somewhere' });
    assert.equal(t.steps.length, 0);
    assert.match(t.verdict.text, /not outside, localhost or an IP/);
  });
});
