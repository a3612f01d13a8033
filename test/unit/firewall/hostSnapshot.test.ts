import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { parseFirewall } from '../../../src/core/firewall';
import { parseDockerProxyLine, parseHelperTarget, parseHostSnapshot, withoutIptablesNftTables } from '../../../src/core/firewall/hostSnapshot';
import { fixturePath } from '../../paths';

// Captured from the firewall helper (method capabilities-dockerd) on Engine 20.10.24 with iptables-nft, while a
// container 172.17.0.2 published 18081:80/tcp and 127.0.0.1:18082:81/udp (and other test runs had ranges up).
const output = fs.readFileSync(fixturePath('firewall/helper-output-20.10.24-capabilities.txt'), 'utf8');

describe('parseHostSnapshot on a real helper output', () => {
  const snapshot = parseHostSnapshot(output);

  it('finds every section with its exit code', () => {
    assert.deepEqual(snapshot.sections.map((s) => [s.name, s.exitCode]),
      [['iptables-save', 0], ['ip6tables-save', 0], ['nft', 0], ['docker-proxy', 0], ['sysctl', 0]]);
    assert.deepEqual(snapshot.errors, []);
  });

  it('lists every docker-proxy process with its memory and forwarding', () => {
    const lines = output.split('\n').filter((l) => /^\d+ (\d+|\?) \S*docker-proxy /.test(l)).length;
    assert.equal(snapshot.dockerProxies.length, lines);
    const udp = snapshot.dockerProxies.find((p) => p.hostPort === 18082);
    assert.deepEqual({ ...udp, pid: 0, pssKb: 0, commandLine: '' }, { pid: 0, pssKb: 0, commandLine: '', protocol: 'udp', hostIp: '127.0.0.1',
      hostPort: 18082, containerIp: '172.17.0.2', containerPort: 81 });
    // no host IP: one process per address family
    assert.deepEqual(snapshot.dockerProxies.filter((p) => p.hostPort === 18081).map((p) => p.hostIp).sort(), ['0.0.0.0', '::']);
    assert.ok(snapshot.dockerProxies.every((p) => p.pssKb === undefined || (p.pssKb > 100 && p.pssKb < 10_000)), 'Pss in kB, around 0.7 MB');
  });

  it('reads the sysctls, one per bridge for route_localnet', () => {
    assert.equal(snapshot.sysctls['net/ipv4/ip_forward'], '1');
    assert.equal(snapshot.sysctls['net/ipv4/conf/docker0/route_localnet'], '0');
    assert.match(snapshot.sysctls['net/ipv4/ip_local_port_range'] ?? '', /^\d+\s+\d+$/);
  });

  it('keeps the iptables dump and drops the nft copies of iptables-nft tables', () => {
    const ruleset = parseFirewall(snapshot.rulesText);
    assert.deepEqual(ruleset.formats, ['iptables-save']);
    assert.deepEqual(ruleset.tables.map((t) => `${t.family}/${t.name}`).sort(), ['ipv4/filter', 'ipv4/nat']);
    const dnat = ruleset.tables.find((t) => t.name === 'nat')!.chains.find((c) => c.name === 'DOCKER')!.rules
      .find((r) => r.matches.dport?.value[0]?.from === 18081);
    assert.equal(dnat?.action.toAddress, '172.17.0.2');
  });
});

describe('host snapshot pieces', () => {
  it('drops only the tables nft marks as managed by iptables-nft', () => {
    const text = [
      '# Warning: table ip nat is managed by iptables-nft, do not touch!',
      'table ip nat {', '\tchain DOCKER {', '\t\tcounter return', '\t}', '}',
      'table ip docker-bridges {', '\tchain x {', '\t}', '}',
    ].join('\n');
    assert.equal(withoutIptablesNftTables(text), 'table ip docker-bridges {\n\tchain x {\n\t}\n}');
  });

  it('keeps nft text when iptables-save printed nothing (the nftables backend)', () => {
    const nftOnly = '### dnd:begin iptables-save\n### dnd:end rc=127\n### dnd:begin nft\n# Warning: table ip nat is managed by iptables-nft, do not ' +
      'touch!\ntable ip nat {\n}\n### dnd:end rc=0\n';
    assert.match(parseHostSnapshot(nftOnly).rulesText, /table ip nat/);
  });

  it('reports a section cut short, and script errors', () => {
    const s = parseHostSnapshot('### dnd:error no dockerd process shares this container\'s network namespace\n### dnd:begin iptables-save\n*nat\n');
    assert.equal(s.sections[0]?.exitCode, undefined);
    assert.deepEqual(s.dumps, []);
    assert.equal(s.errors.length, 1);
  });

  it('reads a docker-proxy line with unreadable memory', () => {
    assert.deepEqual(parseDockerProxyLine('42 ? /usr/bin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 80 -container-ip 10.0.0.2 -container-port 8080'),
      { pid: 42, commandLine: '/usr/bin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 80 -container-ip 10.0.0.2 -container-port 8080',
        protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 80, containerIp: '10.0.0.2', containerPort: 8080 });
    assert.equal(parseDockerProxyLine('garbage'), undefined);
  });

  it('reads which process the helper entered, and why', () => {
    const s = parseHostSnapshot('### dnd:target 812 dockerd: pid 1 is in another network namespace (net:[4026531840]) than the engine (net:[4026532461])\n'
      + '### dnd:begin iptables-save\n*nat\nCOMMIT\n### dnd:end rc=0\n');
    assert.deepEqual(s.target,
      { pid: 812, command: 'dockerd', reason: 'pid 1 is in another network namespace (net:[4026531840]) than the engine (net:[4026532461])' });
    assert.equal(s.sections[0]?.text, '*nat\nCOMMIT', 'the target line is no part of a section');
    assert.deepEqual(parseHelperTarget('1 systemd: pid 1 shares the engine\'s network namespace'),
      { pid: 1, command: 'systemd', reason: 'pid 1 shares the engine\'s network namespace' });
    assert.deepEqual(parseHelperTarget('77 dockerd'), { pid: 77, command: 'dockerd' });
    assert.equal(parseHelperTarget('dockerd'), undefined);
    assert.equal(parseHostSnapshot('### dnd:begin nft\n### dnd:target 1 init\n### dnd:end rc=0\n').target, undefined, 'only outside sections');
  });
});

// The captured output above, framed with a nonce as the helper now prints it, and with one more process in the
// docker-proxy section: a user's process named docker-proxy whose command line holds a newline and a fake
// iptables-save section (a DNAT of port 22 to 10.9.9.9, and its end marker). The old script printed it as is.
describe('parseHostSnapshot framed by a nonce', () => {
  const nonce = '0123456789abcdef0123456789abcdef';
  const fake = ['4242 700 /tmp/x/docker-proxy -c sleep 600; exit 0', '### dnd:end rc=0', '### dnd:begin iptables-save', '*nat',
    ':PREROUTING ACCEPT [0:0]', '-A PREROUTING -p tcp --dport 22 -j DNAT --to-destination 10.9.9.9:22', 'COMMIT', '### dnd:end rc=0',
    `### dnd-${'f'.repeat(32)}:begin nft`, 'table ip fake {', '}'].join('\n');
  const framed = output.replace(/^### dnd:/gm, `### dnd-${nonce}:`)
    .replace(`### dnd-${nonce}:begin docker-proxy\n`, `### dnd-${nonce}:begin docker-proxy\n${fake}\n`);
  const real = parseHostSnapshot(output);
  const spoofed = parseHostSnapshot(framed, nonce);

  it('takes no section from a process\'s command line', () => {
    assert.deepEqual(spoofed.sections.map((s) => [s.name, s.exitCode]), real.sections.map((s) => [s.name, s.exitCode]));
    assert.equal(spoofed.rulesText, real.rulesText);
    assert.doesNotMatch(spoofed.rulesText, /10\.9\.9\.9|table ip fake/);
    assert.equal(spoofed.dockerProxies.length, real.dockerProxies.length + 1, 'the process is listed, as one process');
  });

  it('reads markers of its own nonce only', () => {
    assert.deepEqual(parseHostSnapshot(framed, 'f'.repeat(32)).sections.map((s) => s.name), ['nft'], 'with another nonce, only that nonce\'s marker frames');
    assert.deepEqual(parseHostSnapshot(`### dnd-${nonce}:error refused\n### dnd:error fake\n`, nonce).errors, ['refused']);
    assert.throws(() => parseHostSnapshot(framed, ''), /hex/);
  });
});
