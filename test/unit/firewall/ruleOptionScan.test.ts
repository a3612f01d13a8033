// The fast option scanner (src/core/firewall/ruleOptionScan.ts) against the reference, tokenize + parseRuleOptions:
// on every `-A` rule line of the corpus and the fixtures, and on thousands of seeded random rules, it gives the same
// matches, action and counters, or gives up (undefined) where the reference reports a problem.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseRuleOptions } from '../../../src/core/firewall/iptablesRule';
import { scanPrefixCounters, scanRuleOptions } from '../../../src/core/firewall/ruleOptionScan';
import { countersPrefixEnd, tokenize } from '../../../src/core/firewall/text';
import { corpusPath, fixturePath } from '../../paths';
import { seededRandom } from '../../support/seededRandom';

const dirs = [corpusPath('firewall'), fixturePath('firewall')];

/** Compares the scanner with the reference on one rule line; true when the scanner read it (did not give up). */
function compare(line: string): boolean {
  const bodyStart = line.startsWith('[') ? countersPrefixEnd(line, 0, line.length) : 0;
  if (bodyStart < 0) return false;
  const reference = parseRuleOptions(tokenize(line.slice(bodyStart)), 2);
  const scanned = scanRuleOptions(line, bodyStart, line.length);
  if (!scanned) return false;
  assert.deepEqual(reference.problems, [], `scanner read a line the reference has problems with: ${line}`);
  assert.deepEqual(scanned.matches, reference.matches, line);
  assert.deepEqual(scanned.action, reference.action, line);
  assert.deepEqual(scanned.counters, reference.counters, line);
  return true;
}

function ruleLines(): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) {
      const file = path.join(dir, f);
      if (!fs.statSync(file).isFile()) continue;
      for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
        const line = raw.trimEnd();
        if (/^(?:\[\d+:\d+\][ \t]+)?-A[ \t]/.test(line)) out.push(line);
      }
    }
  }
  return out;
}

const pieces: string[][] = [
  ['-p tcp', '-p udp', '-p TCP', '-p 6', '--protocol icmp', '-p all', '-p'],
  ['-s 172.17.0.2/32', '--source 10.0.0.0/8', '--src fd00::/64', '-d 127.0.0.0/8', '--dst 192.0.2.1', '--destination 0.0.0.0/0'],
  ['-i docker0', '-o br-0123456789ab', '--in-interface lo', '--out-interface eth0', '-i docker0,br-1', '-o "my bridge"'],
  ['-m tcp', '-m udp', '-m conntrack', '-m addrtype', '-m comment', '-m multiport', '-m set', '-m mark', '-m statistic', '--match state', '-m "tcp"', '-m sctp',
    '-m udplite', '-m state', '-m set2'],
  ['--dport 80', '--sport 1024:65535', '--dports 80,443,8000:8010', '--sports 53', '--destination-port 22', '--source-port 1-2',
    '--destination-ports 1,2', '--source-ports 3', '--ports 80', '--dport 80,', '--dport http', '--dport 0080', '--dport 12345678901234567',
    '--dport "80"', '--dport :80', '--dport 80:'],
  ['--ctstate RELATED,ESTABLISHED', '--state new', '--ctstate INVALID', '--dst-type LOCAL', '--src-type local', '--dst-type'],
  ['--comment "allow ssh from \\"office\\" net"', '--comment plain', '--comment ""', '--comment "with\ttab"', '--comment "a"b"c"',
    '--comment "ends in backslash\\\\"', '--comment "kube-system/kube-dns:dns cluster IP"', '--comment "unterminated'],
  ['--match-set docker-ext-bridges-v4 dst', '--match-set myset src,dst', '--match-set lonely'],
  ['--mark 0x4000/0x4000', '--mode random --probability 0.5', '--mark ! 0x1', '--limit 5/min --limit-burst 10', 'stray', '""', '-', '--',
    '-c 3 180', '--set-counters 1 2', '-c 5', '"--dport" 80', '-x'],
];
const targets = ['-j ACCEPT', '-j DROP', '-j DOCKER', '-g DOCKER-ISOLATION', '-j DNAT --to-destination 172.17.0.2:80',
  '-j DNAT --to-destination [fd00::2]:80-90', '-j SNAT --to-source 10.0.0.1', '-j MASQUERADE --to-ports 1024-65535',
  '-j REDIRECT --to-ports 8080', '-j REJECT --reject-with icmp-port-unreachable', '-j LOG --log-prefix "[UFW BLOCK] " --log-level 4',
  '-j MARK --set-xmark 0x4000/0x4000', '-j CT --notrack', '-j TCPMSS --clamp-mss-to-pmtu', '-j RETURN extra words', '--jump ACCEPT',
  '--goto X', '-j', '-j "quoted target"', '-j DNAT --to-destination --random', '-j ACCEPT !', ''];

function randomRule(next: () => number): string {
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  const words: string[] = [];
  const count = Math.floor(next() * 7);
  for (let k = 0; k < count; k++) {
    if (next() < 0.2) words.push('!');
    words.push(pick(pick(pieces)));
  }
  const target = pick(targets);
  if (target) words.push(target);
  const space = () => (next() < 0.9 ? ' ' : pick(['  ', '\t', ' \t ']));
  const chain = pick(['DOCKER', 'INPUT', 'KUBE-SVC-X']);
  const prefix = next() < 0.5 ? `[${Math.floor(next() * 1e6)}:${Math.floor(next() * 1e9)}] ` : '';
  return `${prefix}-A${space()}${chain}${words.map((w) => space() + w).join('')}`;
}

describe('ruleOptionScan', () => {
  it('reads every -A rule of the corpus and fixtures like the reference', () => {
    const lines = ruleLines();
    assert.ok(lines.length > 500, `only ${lines.length} rule lines found`);
    const read = lines.filter(compare).length;
    // the scanner must do the work on real dumps, not leave it to the reference
    assert.ok(read / lines.length > 0.95, `scanner read ${read} of ${lines.length} lines`);
  });

  it('reads seeded random rules like the reference (quotes, negations, unknown matches, missing values)', () => {
    const next = seededRandom(20261122);
    let read = 0;
    const total = 20_000;
    for (let k = 0; k < total; k++) if (compare(randomRule(next))) read++;
    assert.ok(read / total > 0.5, `scanner read ${read} of ${total} random rules`);
  });

  it('reads `[p:b]` counter prefixes like Number does, big ones too', () => {
    for (const line of ['[0:0] -A X', '[12:720] -A X', '[123456789012345678:99999999999999999999] -A X', '[007:1] -A X']) {
      const colon = line.indexOf(':');
      const expected = { packets: Number(line.slice(1, colon)), bytes: Number(line.slice(colon + 1, line.indexOf(']'))) };
      assert.deepEqual(scanPrefixCounters(line, 0), expected);
    }
  });
});
