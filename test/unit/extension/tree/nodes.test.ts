// The words of the tree items' contextValue (src/extension/tree/nodes.ts) against package.json: every word a menu's
// `viewItem` clause matches is one the trees write, and every word the trees write is matched by some menu.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { contextValue, contextWords } from '../../../../src/extension/tree/nodes';
import { repoRoot } from '../../../paths';

/** Every `viewItem == x`, `viewItem != x` or `viewItem =~ /re/` in package.json's menus, as written. */
function viewItemClauses(): string[] {
  const manifest = JSON.parse(fs.readFileSync(`${repoRoot}/package.json`, 'utf8'));
  const whens: string[] = Object.values(manifest.contributes.menus as Record<string, Array<{ when?: string }>>).flat().map((m) => m.when ?? '');
  return whens.flatMap((when) => [...when.matchAll(/viewItem\s*(==|!=|=~)\s*(\/(?:[^/\\]|\\.)+\/|[^\s&|)]+)/g)].map((m) => m[2]!));
}

/** The words a clause matches: a literal's, or the names in a regex once its escapes (`\b`) are taken out. */
function wordsOf(clause: string): string[] {
  const text = clause.startsWith('/') ? clause.slice(1, -1).replace(/\\./g, ' ') : clause;
  return text.match(/[A-Za-z]+/g) ?? [];
}

describe('tree item contextValue words (src/extension/tree/nodes.ts against package.json menus)', () => {
  const clauses = viewItemClauses();

  it('finds the menus\' viewItem clauses', () => {
    assert.ok(clauses.length >= 10, `found ${clauses.length}`);
  });

  it('declares every word a menu matches, and every declared word is matched by a menu', () => {
    const used = new Set(clauses.flatMap(wordsOf));
    assert.deepEqual([...used].sort(), Object.values(contextWords).sort());
  });

  it('writes the words in the order the menus match them', () => {
    const tcpRange = contextValue(contextWords.portRange, contextWords.tcp, contextWords.firewallBypass);
    assert.equal(tcpRange, 'portRange tcp firewallBypass');
    assert.equal(contextValue(contextWords.network, false, undefined, contextWords.connectable), 'network connectable');
    const matching = clauses.filter((c) => c.startsWith('/')).map((c) => new RegExp(c.slice(1, -1))).filter((re) => re.test(tcpRange));
    assert.ok(matching.some((re) => re.source.includes('portRange tcp')), 'a TCP range gets "Open in Browser"');
  });
});
