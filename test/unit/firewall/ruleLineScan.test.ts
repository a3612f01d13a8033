import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseRuleOptions } from '../../../src/core/firewall/iptablesRule';
import {
  appendChainStart, chainNameEnd, isNameAt, isWordAgainAt, mayLackAValue, trimmedLineEnd,
} from '../../../src/core/firewall/ruleLineScan';
import { tokenize } from '../../../src/core/firewall/text';
import { repoRoot } from '../../paths';

const srcDir = path.join(repoRoot, 'src/core/firewall');

describe('rule line scanning (the parser fast path)', () => {
  it('trims trailing CR, spaces and tabs, and nothing else', () => {
    const cases: Array<[string, number]> = [
      ['-A X -j ACCEPT', 14], ['-A X -j ACCEPT\r', 14], ['-A X -j ACCEPT \t \r', 14], ['', 0], [' \r', 0],
      ['-A X -j ACCEPT\v', 15],
    ];
    for (const [line, end] of cases) assert.equal(trimmedLineEnd(`ab\n${line}\nz`, 3, 3 + line.length) - 3, end, JSON.stringify(line));
  });

  it('finds the chain name of an append, with or without counters, and nothing else', () => {
    const cases: Array<[string, number]> = [
      ['-A DOCKER -j RETURN', 3], ['[0:0] -A DOCKER -j RETURN', 9], ['[12:720] -A X', 12], ['[1234567890:1] -A X', 18],
      ['-I DOCKER 1 -j RETURN', -1], ['[0:0] -I X', -1], ['-P INPUT ACCEPT', -1], ['-N DOCKER', -1], ['-A', -1],
      ['-AX', -1], ['[0:0]  -A X', -1], ['[0:0]\t-A X', -1], ['[0:0]-A X', -1], ['[:0] -A X', -1], ['[0:] -A X', -1],
      ['[0] -A X', -1], ['[1x:2] -A X', -1], ['[0:0 -A X', -1], ['[root@host ~]# iptables-save', -1], ['', -1],
    ];
    for (const [line, at] of cases) {
      const text = `xx\n${line}`;
      const got = appendChainStart(text, 3);
      assert.equal(got < 0 ? -1 : got - 3, at, line);
    }
  });

  it('compares the chain name up to a space, a tab or the end of the line', () => {
    const text = 'q -A DOCKER -j X\n-A DOCKER-USER -j X\n-A DOCKER\t-j X\n-A DOCKER\n-A DOCKE\n';
    const docker = 'DOCKER';
    const lines = text.split('\n');
    let pos = 0;
    const results = lines.map((l) => {
      const at = pos;
      pos += l.length + 1;
      const name = l.indexOf('-A ') + 3;
      return l ? isNameAt(text, at + name, at + l.length, docker) : undefined;
    });
    assert.deepEqual(results, [true, false, true, true, false, undefined]);
    // the same, against where the first line has the name
    const again = lines.slice(1, -1).map((l) => {
      const at = text.indexOf(`${l}\n`);
      return isWordAgainAt(text, at + 3, at + l.length, 5, 6);
    });
    assert.deepEqual(again, [false, true, true, false]);
  });

  it('takes a plain chain name only: not empty, no quote', () => {
    const end = (s: string) => chainNameEnd(s, 3, s.length);
    assert.equal(end('-A DOCKER -j X'), 9);
    assert.equal(end('-A DOCKER'), 9);
    assert.equal(end('-A DOCKER\t-j X'), 9);
    assert.equal(end('-A  -j X'), -1);
    assert.equal(end('-A "my chain" -j X'), -1);
    assert.equal(end('-A my"chain -j X'), -1);
  });

  it('says when the last word may be an option without its value', () => {
    const cases: Array<[string, boolean]> = [
      ['-j ACCEPT', false], ['--to-destination 172.17.0.2:80', false], ['-o docker0', false], ['-i lo', false],
      ['-j ACCEPT -p', true], ['-p tcp --dport', true], ['-m set --match-set', true], ['-j', true],
      ['-m comment --comment "a b"', true], ['--comment "say \\"hi\\""', true], ['--comment x"-p', true],
      ['-s 10.0.0.1 !', false], ['-s x-p', false], ['-s X-p', false], ['--comment "a -p', true], ['-s a\t-p', true],
      ['-m mark --mark 0x1/0x1', false],
    ];
    for (const [tail, may] of cases) {
      const line = `zz\n[0:0] -A X ${tail}`;
      assert.equal(mayLackAValue(line, 3, line.length), may, tail);
    }
  });

  it('holds the parser to what mayLackAValue assumes: options it reads a value for are lower case with dashes', () => {
    const source = fs.readFileSync(path.join(srcDir, 'iptablesRule.ts'), 'utf8');
    const body = source.slice(source.indexOf('export function parseRuleOptions'));
    const options = [...body.matchAll(/case '([^']+)'/g)].map((m) => m[1]!);
    assert.ok(options.length > 30, `found ${options.length} options`);
    for (const o of options) assert.match(o, /^-[-a-z]+$/, o);
  });

  it('never lets a rule whose parse reports a problem through as lazy (random rules)', () => {
    const words = ['-p', 'tcp', '--dport', '80', '-j', 'ACCEPT', '!', '-m', 'set', '--match-set', 'docker-ext', 'src',
      '-i', 'docker0', 'lo', '--comment', '"a b"', '"x', 'y"', '"-p"', '-"p"', 'X-p', 'x-p', '--mark', '0x1', '-o',
      'br-1a2b3c4d5e6f', '--to-destination', '172.17.0.2:80', '-c', '1', '\t-s', '--ctstate', 'NEW', '""'];
    let seed = 12345;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    let risky = 0;
    for (let i = 0; i < 20000; i++) {
      const n = 1 + random(6);
      const line = `[0:0] -A X ${Array.from({ length: n }, () => words[random(words.length)]).join(' ').replace(/\\t/g, '\t')}`;
      const body = line.slice(6);
      if (parseRuleOptions(tokenize(body), 2).problems.length) {
        risky++;
        assert.ok(mayLackAValue(line, 0, line.length), line);
      }
    }
    assert.ok(risky > 1000, `${risky} rules with problems generated`);
  });
});
