// Dumps as people paste them (test/fixtures/firewall/pasted, made by its make.js from real dumps; README.md there
// says how each was made from which): each reads as the clean dump it came from, rule for rule and verdict for
// verdict, and what cannot be read is reported once, at its line.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { parseFirewall, traceConnection, type FirewallRuleset, type TraceRequest } from '../../../src/core/firewall';
import { corpusPath, fixturePath } from '../../paths';

const pasted = (f: string) => fs.readFileSync(fixturePath('firewall', 'pasted', f), 'utf8');
const fixture = (f: string) => fs.readFileSync(fixturePath('firewall', f), 'utf8');
const corpus = (f: string) => fs.readFileSync(corpusPath('firewall', f), 'utf8');

/** Tables, chains and each rule's matches, action and counters: what views and the tracer read (not line or text). */
function model(r: FirewallRuleset, fromLine = 0) {
  return r.tables.map((t) => ({
    table: `${t.family} ${t.name}`,
    chains: t.chains.map((c) => ({
      name: c.name, policy: c.policy, builtin: c.builtin,
      rules: c.rules.filter((x) => x.line >= fromLine).map((x) => ({ matches: x.matches, action: x.action, counters: x.counters })),
    })).filter((c) => !fromLine || c.rules.length),
  }));
}

const requests: TraceRequest[] = [
  { protocol: 'tcp', port: 18080, from: 'outside' }, { protocol: 'tcp', port: 18081, from: 'outside' },
  { protocol: 'udp', port: 40102, from: 'outside' }, { protocol: 'tcp', port: 18080, from: 'localhost' },
  { protocol: 'tcp', port: 22, from: 'outside' }, { protocol: 'tcp', port: 80, from: '172.17.0.2' },
];
const verdicts = (r: FirewallRuleset) => requests.map((q) => {
  const t = traceConnection(r, q);
  return { verdict: t.verdict, steps: t.steps.map((s) => `${s.ruleId ?? ''} ${s.text}`) };
});

function assertReadsAs(variant: FirewallRuleset, clean: FirewallRuleset) {
  assert.deepEqual(variant.diagnostics, []);
  assert.deepEqual(variant.formats, clean.formats);
  assert.ok(clean.ruleCount > 0);
  assert.equal(variant.ruleCount, clean.ruleCount);
  assert.deepEqual(model(variant), model(clean));
  assert.deepEqual(verdicts(variant), verdicts(clean));
}

describe('pasted dumps read as the clean dump they came from', () => {
  // [variant, clean source, what the paste says it repaired]
  const cases: Array<[string, string, RegExp | undefined]> = [
    ['e28.5-save-c.tab-indented.txt', fixture('e28.5-4-all.iptables-save-c.txt'), /indent every line shared \(1 tab\)/],
    ['e28.5-save-c.crlf.txt', fixture('e28.5-4-all.iptables-save-c.txt'), undefined],
    ['e28.5-save-c.wrap80.txt', fixture('e28.5-4-all.iptables-save-c.txt'), /joined lines wrapped in the middle of a rule onto lines \d+/],
    ['e28.5-save.tilde-prompt.txt', fixture('e28.5-4-all.iptables-save.txt'), undefined],
    ['e28.5-filter-S.wrap80.txt', fixture('e28.5-4-all.filter-S.txt'), /joined lines wrapped/],
    ['e28.5-filter-nvL.wrap80.txt', fixture('e28.5-4-all.filter-nvL-line-numbers.txt'), /joined lines wrapped/],
    ['002-filter-S.markdown-indented.txt', corpus('002-moby27-filter-S.txt'), /indent every line shared \(4 spaces\)/],
    ['002-filter-S.mailwrap72.txt', corpus('002-moby27-filter-S.txt'), /joined lines wrapped/],
    ['013-filter-nvL.cr.txt', corpus('013-centos-docker-filter-nvL-with-prompt.txt'), /carriage returns as line ends/],
  ];
  for (const [variant, clean, repaired] of cases) {
    it(variant, () => {
      const r = parseFirewall(pasted(variant));
      assertReadsAs(r, parseFirewall(clean));
      if (repaired) assert.match((r.pasteRepairs ?? []).join('; '), repaired);
      else assert.equal(r.pasteRepairs, undefined);
    });
  }

  it('keeps the line numbers of the text as pasted: a wrapped rule is at its first part\'s line', () => {
    const text = pasted('e28.5-save-c.wrap80.txt');
    const r = parseFirewall(text);
    const lines = text.split('\n');
    for (const t of r.tables) for (const c of t.chains) for (const rule of c.rules) {
      assert.ok(rule.text.startsWith(lines[rule.line - 1]!), `line ${rule.line}: ${rule.text}`);
    }
  });
});

describe('several dumps pasted one after another', () => {
  const natS = parseFirewall(fixture('e28.5-4-all.nat-S.txt'));
  const filterS = parseFirewall(fixture('e28.5-4-all.filter-S.txt'));
  const both = (a: FirewallRuleset, b: FirewallRuleset) => model(a).concat(model(b));

  for (const variant of ['e28.5-nat-S+filter-S.txt', 'e28.5-nat-S+filter-S.commands.txt']) {
    it(`${variant}: iptables -t nat -S then -t filter -S, two tables`, () => {
      const r = parseFirewall(pasted(variant));
      assert.deepEqual(r.diagnostics, []);
      assert.deepEqual(r.formats, ['iptables-S']);
      assert.deepEqual(model(r), both(natS, filterS));
    });
  }

  it('e28.5-nat-nvL+filter-nvL.txt: iptables -t nat -nvL then -nvL without commands', () => {
    const r = parseFirewall(pasted('e28.5-nat-nvL+filter-nvL.txt'));
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.formats, ['iptables-L']);
    assert.deepEqual(model(r), both(parseFirewall(fixture('e28.5-4-all.nat-nvL.txt')), parseFirewall(fixture('e28.5-4-all.filter-nvL-line-numbers.txt'))));
  });

  it('014+013: two real pastes with their prompts, nat then filter', () => {
    const r = parseFirewall(pasted('014+013-nat-nvL+filter-nvL.prompts.txt'));
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(model(r),
      both(parseFirewall(corpus('014-centos-docker-nat-nvL-with-prompt.txt')), parseFirewall(corpus('013-centos-docker-filter-nvL-with-prompt.txt'))));
  });
});

describe('a first character lost at the start of the selection', () => {
  it('`*filter` pasted as `filter`: the filter and nat tables of the clean dump', () => {
    const r = parseFirewall(pasted('e28.5-save.from-filter-star-lost.txt'));
    assert.deepEqual(r.diagnostics, []);
    assert.match((r.pasteRepairs ?? []).join(), /restored a first character lost in pasting on line 1/);
    const clean = model(parseFirewall(fixture('e28.5-4-all.iptables-save.txt')));
    assert.deepEqual(model(r), clean.filter((t) => t.table !== 'ipv4 raw'));
  });

  it('`-A DOCKER` pasted as `A DOCKER`: the rules of the clean dump from that line on', () => {
    const text = fixture('e28.5-4-all.nat-S.txt');
    const cut = text.split('\n').findIndex((l) => l.startsWith('-A DOCKER ')) + 1;
    const r = parseFirewall(pasted('e28.5-nat-S.from-docker-dash-lost.txt'));
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(model(r).flatMap((t) => t.chains), model(parseFirewall(text), cut).flatMap((t) => t.chains));
  });
});

describe('what cannot be read in a paste is reported once, at its line, and the rest is kept', () => {
  it('a line of prose in a wrapped, indented dump', () => {
    // the wrapped dump, indented by 2 spaces, with a line of prose after its 11th line
    const lines = pasted('e28.5-save-c.wrap80.txt').split('\n').map((l) => (l ? `  ${l}` : l));
    lines.splice(11, 0, '  (and this is what I see on the host)');
    const r = parseFirewall(lines.join('\n'));
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.text]), [[12, '(and this is what I see on the host)']]);
    assert.deepEqual(model(r), model(parseFirewall(fixture('e28.5-4-all.iptables-save-c.txt'))));
  });

  it('a rule cut off at the end of the selection, in an unclosed quote, is read as far as it goes', () => {
    const text = fixture('e28.5-4-all.filter-S.txt');
    const cut = `${text.slice(0, text.lastIndexOf('\n', text.length - 2))}\n-A DOCKER-USER -m comment --comment "half`;
    const r = parseFirewall(cut);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.ruleCount, parseFirewall(text).ruleCount);
    const last = r.tables[0]!.chains.find((c) => c.name === 'DOCKER-USER')!.rules.at(-1)!;
    assert.equal(last.line, cut.split('\n').length);
    assert.equal(last.matches.comment, 'half');
  });
});
