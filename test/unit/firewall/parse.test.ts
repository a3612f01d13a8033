import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  detectDockerLayout, detectFormat, inferUserlandProxy, parseFirewall, type FirewallChain, type FirewallRuleset,
} from '../../../src/core/firewall';
import { fixturePath, corpusPath } from '../../paths';

const corpusDir = corpusPath('firewall');
const fixturesDir = fixturePath('firewall');
const corpus = (name: string) => fs.readFileSync(path.join(corpusDir, name), 'utf8');
const fixture = (name: string) => fs.readFileSync(path.join(fixturesDir, name), 'utf8');

const table = (r: FirewallRuleset, name: string) => {
  const t = r.tables.find((x) => x.name === name);
  assert.ok(t, `table ${name} in ${r.tables.map((x) => x.name).join(',')}`);
  return t;
};
const chain = (r: FirewallRuleset, tableName: string, name: string): FirewallChain => {
  const c = table(r, tableName).chains.find((x) => x.name === name);
  assert.ok(c, `chain ${tableName}/${name}`);
  return c;
};
const rulesIn = (r: FirewallRuleset, tableName: string) => table(r, tableName).chains.reduce((n, c) => n + c.rules.length, 0);

describe('every corpus dump parses without diagnostics', () => {
  // [file, format, table, chains, rules, era]
  const cases: Array<[string, string, string, number, number, string]> = [
    ['001-moby27-filter-nvL-line-numbers.txt', 'iptables-L', 'filter', 7, 18, 'up-to-27'],
    ['002-moby27-filter-S.txt', 'iptables-S', 'filter', 7, 18, 'up-to-27'],
    ['003-moby28early-filter-S-ipset-forward.txt', 'iptables-S', 'filter', 8, 15, '28.0.0'],
    ['004-moby28early-raw-S.txt', 'iptables-S', 'raw', 2, 1, '28+'],
    ['005-moby28-filter-nvL-forward-ct-bridge.txt', 'iptables-L', 'filter', 9, 14, '28.0.1+'],
    ['006-moby28-nat-nvL.txt', 'iptables-L', 'nat', 5, 5, 'docker'],
    ['007-moby-head-filter-S-routed.txt', 'iptables-S', 'filter', 9, 15, '28.0.1+'],
    ['008-moby29-nft-docker-bridges-portmap.txt', 'nft', 'docker-bridges', 14, 21, '29-nftables'],
    ['009-moby29-nft-internal-net.txt', 'nft', 'docker-bridges', 18, 22, '29-nftables'],
    ['010-moby29-nft-routed.txt', 'nft', 'docker-bridges', 14, 19, '29-nftables'],
    ['011-kubeadm-docker-filter-nvL.txt', 'iptables-L', 'filter', 11, 22, 'up-to-27'],
    ['012-kubeadm-docker-nat-nvL.txt', 'iptables-L', 'nat', 20, 43, 'docker'],
    ['013-centos-docker-filter-nvL-with-prompt.txt', 'iptables-L', 'filter', 7, 11, 'up-to-27'],
    ['014-centos-docker-nat-nvL-with-prompt.txt', 'iptables-L', 'nat', 5, 4, 'docker'],
  ];
  it('covers every file in the corpus', () => {
    assert.deepEqual(cases.map((c) => c[0]).sort(), fs.readdirSync(corpusDir).sort());
  });
  for (const [file, format, tableName, chains, rules, era] of cases) {
    it(`${file}: ${format}, ${tableName}, ${chains} chains, ${rules} rules, era ${era}`, () => {
      const r = parseFirewall(corpus(file));
      assert.deepEqual(r.diagnostics, []);
      assert.deepEqual(r.formats, [format]);
      assert.equal(r.tables.length, 1);
      assert.equal(table(r, tableName).chains.length, chains);
      assert.equal(rulesIn(r, tableName), rules);
      assert.equal(r.ruleCount, rules);
      assert.equal(detectDockerLayout(r).era, era);
      assert.equal(detectFormat(corpus(file)), format);
    });
  }
});

describe('iptables -L -n -v details (corpus)', () => {
  it('reads numeric protocols, negated interfaces and references (001)', () => {
    const r = parseFirewall(corpus('001-moby27-filter-nvL-line-numbers.txt'));
    const fwd = chain(r, 'filter', 'FORWARD');
    assert.equal(fwd.policy, 'ACCEPT');
    assert.deepEqual(fwd.counters, { packets: 0, bytes: 0 });
    const r5 = fwd.rules[4]!;
    assert.equal(r5.action.kind, 'accept');
    assert.deepEqual(r5.matches.inInterface, { value: 'bridge1', negated: false });
    assert.deepEqual(r5.matches.outInterface, { value: 'bridge1', negated: true });
    assert.equal(r5.matches.protocol, undefined, 'protocol 0 means all');
    assert.equal(r5.line, 10);
    const docker = chain(r, 'filter', 'DOCKER');
    assert.equal(docker.references, 2);
    assert.equal(docker.builtin, false);
    const accept = docker.rules[0]!;
    assert.equal(accept.matches.protocol?.value, 'tcp');
    assert.deepEqual(accept.matches.dport?.value, [{ from: 80, to: 80 }]);
    assert.equal(accept.matches.destination?.value, '192.0.2.2');
    assert.equal(fwd.rules[2]!.matches.ctstate?.value.join(','), 'RELATED,ESTABLISHED');
    assert.equal(fwd.rules[0]!.action.kind, 'jump');
    assert.equal(fwd.rules[0]!.action.chain, 'DOCKER-USER');
    assert.equal(fwd.rules[0]!.owner, 'docker');
    assert.equal(fwd.rules[0]!.id, 'ipv4/filter/FORWARD#1');
  });

  it('reads DNAT targets, the loopback exception and addrtype in nat (006)', () => {
    const r = parseFirewall(corpus('006-moby28-nat-nvL.txt'));
    const dnat = chain(r, 'nat', 'DOCKER').rules[0]!;
    assert.equal(dnat.action.kind, 'dnat');
    assert.equal(dnat.action.toAddress, '192.0.2.2');
    assert.deepEqual(dnat.action.toPorts, { from: 80, to: 80 });
    assert.deepEqual(dnat.matches.dport?.value, [{ from: 8080, to: 8080 }]);
    assert.deepEqual(dnat.matches.inInterface, { value: 'bridge1', negated: true });
    const out = chain(r, 'nat', 'OUTPUT').rules[0]!;
    assert.deepEqual(out.matches.destination, { value: '127.0.0.0/8', negated: true });
    assert.deepEqual(out.matches.dstType, { value: 'LOCAL', negated: false });
    const masq = chain(r, 'nat', 'POSTROUTING').rules;
    assert.deepEqual(masq.map((x) => [x.action.kind, x.matches.source?.value, x.owner]), [
      ['masquerade', '192.0.2.0/24', 'docker'], ['masquerade', '172.17.0.0/16', 'docker']]);
    assert.equal(inferUserlandProxy(r).state, 'on');
  });

  it('reads K/M counters, comments and keeps unknown matches verbatim (011)', () => {
    const r = parseFirewall(corpus('011-kubeadm-docker-filter-nvL.txt'));
    const input = chain(r, 'filter', 'INPUT');
    assert.deepEqual(input.counters, { packets: 2446, bytes: 535000, approximate: true });
    assert.deepEqual(input.rules[1]!.counters, { packets: 2446, bytes: 535000, approximate: true });
    assert.equal(chain(r, 'filter', 'FORWARD').policy, 'DROP');
    const fw = chain(r, 'filter', 'KUBE-FIREWALL').rules[0]!;
    assert.equal(fw.matches.comment, 'kubernetes firewall for dropping marked packets');
    assert.deepEqual(fw.matches.unknown, ['mark match 0x8000/0x8000']);
    assert.equal(fw.owner, 'kube-proxy');
    assert.equal(chain(r, 'filter', 'KUBE-FORWARD').owner, 'kube-proxy');
    assert.equal(chain(r, 'filter', 'DOCKER-USER').owner, 'docker');
    assert.equal(chain(r, 'filter', 'FORWARD').owner, 'system');
    const fwd = chain(r, 'filter', 'FORWARD').rules;
    assert.equal(fwd[0]!.owner, 'kube-proxy', 'jump to KUBE-FORWARD');
    assert.equal(fwd[3]!.owner, 'docker', 'ACCEPT -o docker0');
    assert.equal(fwd[7]!.owner, 'other', 'flannel pod CIDR ACCEPT names no owner');
    assert.equal(fwd[7]!.matches.source?.value, '10.244.0.0/16');
  });

  it('keeps kube-proxy DNATs and statistic matches (012)', () => {
    const r = parseFirewall(corpus('012-kubeadm-docker-nat-nvL.txt'));
    const sep = chain(r, 'nat', 'KUBE-SEP-2JVQP42V4GXGTRDZ').rules[1]!;
    assert.equal(sep.action.kind, 'dnat');
    assert.equal(sep.action.toAddress, '10.244.0.25');
    assert.equal(sep.owner, 'kube-proxy');
    const svc = chain(r, 'nat', 'KUBE-SVC-ERIFXISQEP7F7OF4').rules[0]!;
    assert.deepEqual(svc.matches.unknown, ['statistic mode random probability 0.50000000000']);
    assert.equal(chain(r, 'nat', 'KUBE-MARK-MASQ').references, 11);
    assert.equal(chain(r, 'nat', 'OUTPUT').rules[1]!.counters?.packets, 1);
    assert.equal(inferUserlandProxy(r).state, 'on');
  });

  it('skips shell prompts and blank runs (013, 014)', () => {
    const f = parseFirewall(corpus('013-centos-docker-filter-nvL-with-prompt.txt'));
    assert.deepEqual(chain(f, 'filter', 'INPUT').counters, { packets: 1096000, bytes: 304000000, approximate: true });
    assert.equal(chain(f, 'filter', 'FORWARD').policy, 'DROP');
    const n = parseFirewall(corpus('014-centos-docker-nat-nvL-with-prompt.txt'));
    assert.equal(n.tables[0]!.name, 'nat', 'named by the prompt `iptables -t nat -nvL`');
    assert.equal(chain(n, 'nat', 'DOCKER').rules[0]!.action.kind, 'return');
  });
});

describe('iptables -S details (corpus)', () => {
  it('reads the classic layout with conntrack and jumps (002)', () => {
    const r = parseFirewall(corpus('002-moby27-filter-S.txt'));
    const dockerRule = chain(r, 'filter', 'DOCKER').rules[0]!;
    assert.deepEqual(dockerRule.matches.modules, ['tcp']);
    assert.equal(dockerRule.matches.destination?.value, '192.0.2.2/32');
    assert.equal(dockerRule.text, '-A DOCKER -d 192.0.2.2/32 ! -i bridge1 -o bridge1 -p tcp -m tcp --dport 80 -j ACCEPT');
    assert.equal(dockerRule.line, 18);
  });

  it('reads the 28.0.0 ipset match (003)', () => {
    const r = parseFirewall(corpus('003-moby28early-filter-S-ipset-forward.txt'));
    const first = chain(r, 'filter', 'DOCKER-FORWARD').rules[0]!;
    assert.deepEqual(first.matches.sets, [{ name: 'docker-ext-bridges-v4', flags: ['dst'], negated: false }]);
    assert.deepEqual(first.matches.ctstate, { value: ['RELATED', 'ESTABLISHED'], negated: false });
    assert.ok(detectDockerLayout(r).evidence.includes('ipset docker-ext-bridges-v4'));
  });

  it('names a raw -S dump from its chains and sees the direct-access drop (004)', () => {
    const r = parseFirewall(corpus('004-moby28early-raw-S.txt'));
    const drop = chain(r, 'raw', 'PREROUTING').rules[0]!;
    assert.equal(drop.owner, 'docker');
    assert.equal(detectDockerLayout(r).rawDirectAccessDrops, 1);
  });

  it('takes the table from options when the text does not say', () => {
    const r = parseFirewall('-P OUTPUT ACCEPT\n-A OUTPUT -j ACCEPT\n', { table: 'mangle' });
    assert.equal(r.tables[0]!.name, 'mangle');
  });
});

describe('nft list ruleset (corpus, Docker 29)', () => {
  it('reads verdict maps, hooks, DNAT and comments (008)', () => {
    const r = parseFirewall(corpus('008-moby29-nft-docker-bridges-portmap.txt'));
    const t = table(r, 'docker-bridges');
    assert.equal(t.family, 'ipv4');
    assert.equal(t.owner, 'docker');
    assert.deepEqual(t.maps.map((m) => m.name),
      ['filter-forward-in-jumps', 'filter-forward-out-jumps', 'nat-postrouting-in-jumps', 'nat-postrouting-out-jumps']);
    assert.deepEqual(t.maps[0]!.elements, { docker0: 'jump filter-forward-in__docker0', bridge1: 'jump filter-forward-in__bridge1' });
    const fwd = chain(r, 'docker-bridges', 'filter-FORWARD');
    assert.deepEqual(fwd.hook, { type: 'filter', hook: 'forward', priority: 0 });
    assert.deepEqual(fwd.rules[0]!.action.vmap, { key: 'oifname', map: 'filter-forward-in-jumps' });
    assert.equal(chain(r, 'docker-bridges', 'raw-PREROUTING').hook?.priority, -300);
    const dnat = chain(r, 'docker-bridges', 'nat-prerouting-and-output').rules[0]!;
    assert.equal(dnat.action.kind, 'dnat');
    assert.equal(dnat.action.toAddress, '192.0.2.2');
    assert.deepEqual(dnat.action.toPorts, { from: 80, to: 80 });
    assert.deepEqual(dnat.matches.inInterface, { value: 'bridge1', negated: true });
    assert.deepEqual(dnat.matches.dport?.value, [{ from: 8080, to: 8080 }]);
    assert.equal(dnat.matches.comment, 'DNAT');
    const out = chain(r, 'docker-bridges', 'nat-OUTPUT').rules[0]!;
    assert.deepEqual(out.matches.destination, { value: '127.0.0.0/8', negated: true });
    assert.deepEqual(out.matches.dstType, { value: 'LOCAL', negated: false });
    assert.equal(out.action.chain, 'nat-prerouting-and-output');
    assert.equal(chain(r, 'docker-bridges', 'filter-forward-in__docker0').rules[0]!.matches.ctstate?.value.join(','), 'ESTABLISHED,RELATED');
    assert.equal(detectDockerLayout(r).backend, 'nftables');
    assert.equal(detectDockerLayout(r).rawDirectAccessDrops, 1);
    assert.equal(inferUserlandProxy(r).state, 'on');
  });

  it('reads the internal-network drops (009) and ICMP accepts (010)', () => {
    const r = parseFirewall(corpus('009-moby29-nft-internal-net.txt'));
    const ingress = chain(r, 'docker-bridges', 'filter-forward-in__bridgeNoICC').rules[1]!;
    assert.equal(ingress.action.kind, 'drop');
    assert.equal(ingress.matches.comment, 'INTERNAL NETWORK INGRESS');
    assert.equal(Object.keys(table(r, 'docker-bridges').maps[0]!.elements).length, 3);
    const routed = parseFirewall(corpus('010-moby29-nft-routed.txt'));
    const icmp = chain(routed, 'docker-bridges', 'filter-forward-in__bridge1').rules[1]!;
    assert.deepEqual(icmp.matches.protocol, { value: 'icmp', negated: false });
    assert.equal(icmp.action.kind, 'accept');
  });
});

describe('dumps from the real Engine 20.10.24 (test/fixtures/firewall, see README.md)', () => {
  it('default bridge with a published port and a udp range: DNAT per port, iptables-nft backend', () => {
    const r = parseFirewall(fixture('e20.10-1-default-publish.iptables-save-c.txt'));
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.tables.map((t) => t.name), ['filter', 'nat']);
    const dnats = chain(r, 'nat', 'DOCKER').rules.filter((x) => x.action.kind === 'dnat');
    assert.deepEqual(dnats.map((x) => `${x.matches.protocol?.value}/${x.matches.dport?.value[0]?.from}->`
      + `${x.action.toAddress}:${x.action.toPorts?.from}`).sort(),
      ['tcp/18080->172.17.0.2:80', 'udp/40101->172.17.0.2:40101', 'udp/40102->172.17.0.2:40102', 'udp/40103->172.17.0.2:40103']);
    // 3 rules per published port (the recipe's finding): nat DNAT, nat hairpin MASQUERADE, filter ACCEPT
    const accepts = chain(r, 'filter', 'DOCKER').rules.filter((x) => x.action.kind === 'accept');
    const hairpins = chain(r, 'nat', 'POSTROUTING').rules.filter((x) => x.matches.source?.value === x.matches.destination?.value);
    assert.equal(accepts.length, 4);
    assert.equal(hairpins.length, 4);
    assert.ok(hairpins.every((x) => x.owner === 'docker'));
    assert.equal(chain(r, 'filter', 'FORWARD').policy, 'DROP');
    assert.deepEqual(chain(r, 'nat', 'PREROUTING').counters, { packets: 0, bytes: 0 });
    const layout = detectDockerLayout(r);
    assert.equal(layout.backend, 'iptables-nft');
    assert.equal(layout.era, 'up-to-27');
  });

  it('the same host in every format gives the same rules', () => {
    const save = parseFirewall(fixture('e20.10-4-all.iptables-save-c.txt'));
    const plain = parseFirewall(fixture('e20.10-4-all.iptables-save.txt'));
    const filterS = parseFirewall(fixture('e20.10-4-all.filter-S.txt'));
    const natS = parseFirewall(fixture('e20.10-4-all.nat-S.txt'));
    const filterL = parseFirewall(fixture('e20.10-4-all.filter-nvL-line-numbers.txt'));
    const natL = parseFirewall(fixture('e20.10-4-all.nat-nvL.txt'));
    const nft = parseFirewall(fixture('e20.10-4-all.nft-ruleset.txt'));
    for (const r of [save, plain, filterS, natS, filterL, natL, nft]) assert.deepEqual(r.diagnostics, []);
    const filterRules = rulesIn(save, 'filter');
    const natRules = rulesIn(save, 'nat');
    assert.ok(filterRules > 20 && natRules > 10);
    for (const r of [plain, filterS, filterL, nft]) assert.equal(rulesIn(r, 'filter'), filterRules);
    for (const r of [plain, natS, natL, nft]) assert.equal(rulesIn(r, 'nat'), natRules);
    assert.equal(save.tables.find((t) => t.name === 'filter')!.chains.find((c) => c.name === 'FORWARD')!.rules[0]!.counters?.packets, 0);
    assert.equal(plain.tables[0]!.chains[3]!.rules.length, filterS.tables[0]!.chains.find((c) => c.name === 'DOCKER')!.rules.length);
    // DNAT targets agree between iptables-save, -L and nft
    const targets = (r: FirewallRuleset) => chain(r, 'nat',
      'DOCKER').rules.filter((x) => x.action.kind === 'dnat').map((x) => `${x.action.toAddress}:${x.action.toPorts?.from}`).sort();
    assert.deepEqual(targets(natL), targets(save));
    assert.deepEqual(targets(nft), targets(save));
    assert.equal(detectDockerLayout(nft).backend, 'iptables-nft');
  });

  it('icc=false and internal networks show their drops', () => {
    const r = parseFirewall(fixture('e20.10-4-all.iptables-save-c.txt'));
    const facts = JSON.parse(fixture('e20.10-4-all.engine.json'));
    const noicc = facts.networks.find((n: { name: string }) => n.name === 'dnd-fw-noicc').bridgeName;
    const internal = facts.networks.find((n: { name: string }) => n.name === 'dnd-fw-internal');
    const fwd = chain(r, 'filter', 'FORWARD').rules;
    assert.ok(fwd.some((x) => x.action.kind === 'drop' && x.matches.inInterface?.value === noicc && x.matches.outInterface?.value === noicc));
    assert.ok(!fwd.some((x) => x.action.kind === 'accept' && x.matches.inInterface?.value === noicc && x.matches.outInterface?.value === noicc
      && !x.matches.outInterface?.negated));
    const iso = chain(r, 'filter', 'DOCKER-ISOLATION-STAGE-1').rules;
    assert.ok(iso.some((x) => x.action.kind === 'drop' && x.matches.source?.negated && x.matches.source.value === internal.subnets[0]
      && x.matches.outInterface?.value === internal.bridgeName));
    // no MASQUERADE for the internal network
    assert.ok(!chain(r, 'nat', 'POSTROUTING').rules.some((x) => x.matches.source?.value === internal.subnets[0]));
  });

  it('user bridge and internal steps add their rules', () => {
    const one = parseFirewall(fixture('e20.10-1-default-publish.iptables-save-c.txt'));
    const two = parseFirewall(fixture('e20.10-2-user-bridge.iptables-save-c.txt'));
    const three = parseFirewall(fixture('e20.10-3-internal.iptables-save-c.txt'));
    assert.ok(two.ruleCount > one.ruleCount && three.ruleCount > two.ruleCount);
    assert.ok(chain(two, 'nat', 'DOCKER').rules.some((x) => x.action.toAddress === '10.201.0.2'));
    assert.equal(rulesIn(three, 'nat'), rulesIn(two, 'nat'), 'an internal network adds no NAT');
  });

  it('userland-proxy=false: no loopback exception, hairpin MASQUERADE from local addresses', () => {
    const r = parseFirewall(fixture('e20.10-noproxy.iptables-save-c.txt'));
    const out = chain(r, 'nat', 'OUTPUT').rules[0]!;
    assert.equal(out.matches.destination, undefined);
    const proxy = inferUserlandProxy(r);
    assert.equal(proxy.state, 'off');
    assert.ok(proxy.evidence.some((e) => e.ruleId === 'ipv4/nat/OUTPUT#1'));
    assert.ok(chain(r, 'nat', 'POSTROUTING').rules.some((x) => x.matches.srcType?.value === 'LOCAL' && x.action.kind === 'masquerade'));
    assert.ok(chain(r, 'nat', 'DOCKER').rules.every((x) => x.action.kind !== 'dnat' || !x.matches.inInterface), 'DNAT without ! -i bridge');
    for (const f of ['e20.10-noproxy.nat-nvL.txt', 'e20.10-noproxy.nat-S.txt', 'e20.10-noproxy.nft-ruleset.txt']) {
      assert.equal(inferUserlandProxy(parseFirewall(fixture(f))).state, 'off', f);
    }
    assert.equal(inferUserlandProxy(parseFirewall(fixture('e20.10-4-all.nat-S.txt'))).state, 'on');
  });

  it('an empty ip6tables-save (no IPv6 tables on this host) is an empty ruleset', () => {
    const r = parseFirewall(fixture('e20.10-4-all.ip6tables-save-c.txt'));
    assert.equal(r.tables.length, 0);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(detectDockerLayout(r).era, 'none');
  });

  it('ip6tables-save text is read as IPv6', () => {
    const text = '# Generated by ip6tables-save v1.8.9 (legacy) on x\n*filter\n:FORWARD DROP [0:0]\n:DOCKER - [0:0]\n-A DOCKER -d fd00::2/128 -o docker0 -p ' +
      'tcp -m tcp --dport 80 -j ACCEPT\nCOMMIT\n';
    const r = parseFirewall(text);
    assert.equal(r.tables[0]!.family, 'ipv6');
    assert.equal(r.tables[0]!.chains[1]!.rules[0]!.id, 'ipv6/filter/DOCKER#1');
    assert.deepEqual(r.backendHints, ['iptables-legacy']);
  });
});

describe('tolerant input and malformed lines', () => {
  it('reads CRLF, fences, prompts and trailing spaces like the clean text', () => {
    const clean = corpus('002-moby27-filter-S.txt');
    const messy = `\`\`\`console\r\n[root@host ~]# iptables -S\r\n${clean.split('\n').map((l) => `${l}   `).join('\r\n')}\r\n\`\`\`\r\n`;
    const a = parseFirewall(clean);
    const b = parseFirewall(messy);
    assert.deepEqual(b.diagnostics, []);
    assert.equal(b.ruleCount, a.ruleCount);
    assert.deepEqual(b.tables[0]!.chains.map((c) => c.name), a.tables[0]!.chains.map((c) => c.name));
    assert.deepEqual(b.tables[0]!.chains[1]!.rules.map((r) => r.text), a.tables[0]!.chains[1]!.rules.map((r) => r.text));
  });

  it('turns malformed lines into diagnostics with line numbers, never throws', () => {
    const text = ['*filter', ':INPUT ACCEPT [0:0]', ':BROKEN', '-A', '-A INPUT -p', 'this is not a rule', '-A INPUT -j ACCEPT', 'COMMIT'].join('\n');
    const r = parseFirewall(text);
    assert.deepEqual(r.diagnostics.map((d) => d.line), [3, 4, 5, 6]);
    assert.equal(r.diagnostics[3]!.text, 'this is not a rule');
    assert.equal(chain(r, 'filter', 'INPUT').rules.at(-1)!.action.kind, 'accept');
  });

  it('reports -L rows with too few columns and an unclosed nft table', () => {
    const l = parseFirewall('Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n pkts bytes target     prot opt ' +
      'in     out     source               destination\n    0     0 ACCEPT  all\n');
    assert.equal(l.diagnostics.length, 1);
    assert.equal(l.diagnostics[0]!.line, 3);
    const n = parseFirewall('table ip t {\n\tchain c {\n\t\tcounter accept\n');
    assert.equal(n.diagnostics.at(-1)!.message, 'nft table not closed');
    assert.equal(n.ruleCount, 1);
  });

  it('yields an empty ruleset for empty or foreign text', () => {
    assert.equal(parseFirewall('').tables.length, 0);
    assert.equal(detectFormat('hello world'), undefined);
    assert.equal(parseFirewall('hello world').diagnostics.length, 1);
  });

  it('keeps unknown iptables matches verbatim', () => {
    const r = parseFirewall('-A INPUT -m mark --mark 0x4000/0x4000 -m recent --name x --rcheck -p tcp --tcp-flags SYN SYN -j ACCEPT\n', { table: 'filter' });
    assert.deepEqual(r.tables[0]!.chains[0]!.rules[0]!.matches.unknown,
      ['-m mark --mark 0x4000/0x4000', '-m recent --name x', '--rcheck', '--tcp-flags SYN SYN']);
  });

  it('keeps a comment with markup verbatim, as data (it is attacker-controlled text)', () => {
    const markup = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const save = parseFirewall(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "${markup.replace(/"/g, '\\"')}" -j ACCEPT\nCOMMIT\n`);
    assert.equal(save.tables[0]!.chains[0]!.rules[0]!.matches.comment, markup);
    const list = parseFirewall(`Chain INPUT (policy ACCEPT)\ntarget     prot opt ` +
      `source               destination\nACCEPT     all  --  0.0.0.0/0            0.0.0.0/0            /* ${markup} */\n`);
    assert.equal(list.tables[0]!.chains[0]!.rules[0]!.matches.comment, markup);
    const nft = parseFirewall(`table ip t {\n\tchain c {\n\t\tcounter accept comment "${markup.replace(/"/g, '\\"')}"\n\t}\n}\n`);
    assert.equal(nft.tables[0]!.chains[0]!.rules[0]!.matches.comment, markup);
  });

  it('reads several dumps one after another (iptables-save then nft)', () => {
    const text = `${fixture('e20.10-1-default-publish.iptables-save-c.txt')}\n${corpus('008-moby29-nft-docker-bridges-portmap.txt')}`;
    const r = parseFirewall(text);
    assert.deepEqual(r.formats, ['iptables-save', 'nft']);
    assert.deepEqual(r.tables.map((t) => `${t.source}:${t.name}`), ['iptables:filter', 'iptables:nat', 'nft:docker-bridges']);
    const layout = detectDockerLayout(r);
    assert.equal(layout.era, '29-nftables');
    assert.equal(layout.mixed, true);
  });
});
