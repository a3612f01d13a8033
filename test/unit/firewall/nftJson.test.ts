import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { detectFormat, parseFirewall, type FirewallRuleset } from '../../../src/core/firewall';
import { nftJsonToText } from '../../../src/core/firewall/nftJson';
import { fixturePath } from '../../paths';

const fixtures = fixturePath('firewall');
const read = (f: string) => fs.readFileSync(path.join(fixtures, f), 'utf8');

/** Each rule's chain, matches, action and counters: what views and the tracer read. */
function rulesOf(r: FirewallRuleset) {
  return r.tables.flatMap((t) => t.chains.flatMap((c) => c.rules.map((rule) => ({
    at: `${t.family} ${t.name} ${c.name}`, text: rule.text, matches: rule.matches, action: rule.action, counters: rule.counters,
  }))));
}
const chainsOf = (r: FirewallRuleset) => r.tables.flatMap((t) => t.chains.map((c) => ({ table: `${t.family} ${t.name}`, name: c.name, hook: c.hook,
  policy: c.policy, rules: c.rules.length })));
const mapsOf = (r: FirewallRuleset) => r.tables.flatMap((t) => t.maps.map((m) => ({ name: m.name, kind: m.kind, type: m.type, elements: m.elements })));

// Docker 29's nftables rules (the corpus's moby docs dumps) loaded into this machine's real nft 1.0.6 in a private
// network namespace, then listed by it twice: `nft -j list ruleset` and `nft list ruleset` (the relisted text). The
// only change to the corpus text: `hook output priority dstnat` → `priority -100`, which nft 1.0.6 refuses.
for (const name of ['corpus-008-moby29-portmap', 'corpus-009-moby29-internal-net', 'corpus-010-moby29-routed']) {
  describe(`nft -j of ${name}`, () => {
    const fromJson = parseFirewall(read(`${name}.nft.json`));
    const fromText = parseFirewall(read(`${name}.nft-relisted.txt`));

    it('reads as the same model as nft\'s own text listing of the same rules, rule for rule and text for text', () => {
      assert.deepEqual(fromJson.formats, ['nft-json']);
      assert.deepEqual(fromJson.diagnostics, []);
      assert.ok(fromText.ruleCount > 10);
      assert.equal(fromJson.ruleCount, fromText.ruleCount);
      assert.deepEqual(chainsOf(fromJson), chainsOf(fromText));
      assert.deepEqual(mapsOf(fromJson), mapsOf(fromText));
      assert.deepEqual(rulesOf(fromJson), rulesOf(fromText));
    });

    it('keeps Docker\'s DNAT and verdict maps usable for the tracer', () => {
      const rules = rulesOf(fromJson);
      assert.ok(rules.some((r) => r.action.kind === 'vmap' && r.action.vmap?.map === 'filter-forward-in-jumps'));
      if (name.includes('portmap')) {
        const dnat = rules.find((r) => r.action.kind === 'dnat');
        assert.deepEqual({ to: dnat?.action.toAddress, ports: dnat?.action.toPorts, dport: dnat?.matches.dport?.value, comment: dnat?.matches.comment },
          { to: '192.0.2.2', ports: { from: 80, to: 80 }, dport: [{ from: 8080, to: 8080 }], comment: 'DNAT' });
      }
    });
  });
}

// Captured from this machine's engine (20.10.24, iptables-nft) with 18080:80/tcp, 40101-40103/udp and, on a user
// bridge, 18081:80 published: `nft -j list ruleset` and `nft list ruleset` a moment apart (stdout only: nft's
// `# Warning: table … managed by iptables-nft` lines went to stderr).
describe('nft -j of iptables-nft tables (engine 20.10.24)', () => {
  const fromJson = parseFirewall(read('e20.10-5-nft.json'));
  const fromText = parseFirewall(read('e20.10-5-nft-ruleset.txt'));

  it('has every table, chain and rule the text listing has', () => {
    assert.deepEqual(chainsOf(fromJson), chainsOf(fromText));
    assert.equal(fromJson.ruleCount, fromText.ruleCount);
  });

  it('says what the JSON cannot show: iptables extensions by name only', () => {
    assert.equal(fromJson.diagnostics.length, 1);
    assert.match(fromJson.diagnostics[0]!.message, /by name only \(match addrtype, match conntrack, target DNAT\)/);
    const dnat = rulesOf(fromJson).filter((r) => r.action.kind === 'dnat');
    assert.equal(dnat.length, rulesOf(fromText).filter((r) => r.action.kind === 'dnat').length, 'every DNAT rule is still a DNAT rule');
    assert.ok(dnat.every((r) => r.action.toAddress === undefined && r.matches.dport), 'its port match stays; its destination is unknown');
    // rules with no extension read the same as in the text
    const plain = (r: FirewallRuleset) => rulesOf(r).filter((x) => !/xt |dnat|addrtype|conntrack|fib|ct state/.test(x.text)).map((x) => ({ ...x, text: '' }));
    assert.ok(plain(fromText).length > 10);
    assert.deepEqual(plain(fromJson), plain(fromText));
  });
});

describe('nft -j input that is not what it should be', () => {
  it('reports broken JSON and wrong shapes without throwing', () => {
    const broken = parseFirewall('{"nftables": [{"table": ');
    assert.deepEqual(broken.formats, []);
    assert.match(broken.diagnostics[0]!.message, /not valid JSON/);
    assert.match(parseFirewall('{"nftables": 3}').diagnostics[0]!.message, /not `nft -j` output/);
    assert.equal(nftJsonToText('[1, 2]').text, undefined);
  });

  it('keeps an expression it does not know verbatim in the rule\'s unknown matches', () => {
    const json = JSON.stringify({ nftables: [
      { table: { family: 'inet', name: 't', handle: 1 } },
      { chain: { family: 'inet', table: 't', name: 'c', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'drop' } },
      { rule: { family: 'inet', table: 't', chain: 'c', handle: 2, expr: [
        { match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: { set: [22, { range: [8000, 8080] }] } } },
        { limit: { rate: 10, per: 'second' } }, { accept: null }], comment: 'ssh "and" web' } },
    ] });
    const r = parseFirewall(json);
    assert.deepEqual(r.diagnostics, []);
    const rule = r.tables[0]!.chains[0]!.rules[0]!;
    assert.equal(r.tables[0]!.chains[0]!.policy, 'DROP');
    assert.deepEqual(rule.matches.dport?.value, [{ from: 22, to: 22 }, { from: 8000, to: 8080 }]);
    assert.equal(rule.action.kind, 'accept');
    assert.equal(rule.matches.comment, 'ssh "and" web');
    assert.deepEqual(rule.matches.unknown, ['limit {"rate":10,"per":"second"}']);
  });

  it('is told apart from other formats by its start only', () => {
    assert.equal(detectFormat(read('corpus-008-moby29-portmap.nft.json')), 'nft-json');
    assert.equal(detectFormat('  \n{ "nftables": []}'), 'nft-json');
    assert.notEqual(detectFormat(read('corpus-008-moby29-portmap.nft-relisted.txt')), 'nft-json');
  });
});
