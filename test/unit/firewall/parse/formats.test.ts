// The formats table is the one list of formats: each id is what the parser reports for a dump of that format, and the
// lists written where the table cannot be imported (the webview's button) name every format.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { detectFormat, firewallFormatList, firewallFormats, type FirewallFormat } from '../../../../src/core/firewall';
import { fixturePath, repoRoot } from '../../../paths';

const sampleOf: Record<FirewallFormat, string> = {
  'iptables-save': 'e20.10-4-all.iptables-save.txt',
  'iptables-S': 'e20.10-4-all.filter-S.txt',
  'iptables-L': 'e20.10-4-all.filter-nvL-line-numbers.txt',
  nft: 'e20.10-4-all.nft-ruleset.txt',
  'nft-json': 'e20.10-5-nft.json',
};

describe('firewall formats table', () => {
  it('each format is detected by its id in a dump of it', () => {
    for (const f of firewallFormats) {
      assert.equal(detectFormat(fs.readFileSync(fixturePath('firewall', sampleOf[f.id]), 'utf8')), f.id, f.id);
    }
  });

  it('lists the formats for people', () => {
    assert.equal(firewallFormatList('name', true), 'iptables-save, iptables -S, iptables -L or nft');
    assert.equal(firewallFormatList('command'), 'iptables-save, iptables -S, iptables -L -n -v, nft list ruleset or nft -j list ruleset');
    assert.equal(firewallFormatList('every command'),
      'iptables-save, ip6tables-save, iptables -S, iptables -L -n -v, nft list ruleset or nft -j list ruleset');
  });

  it("the webview's Open dump button names every format", () => {
    const app = fs.readFileSync(`${repoRoot}/webview/app.ts`, 'utf8');
    assert.ok(app.includes(`'Open a saved ${firewallFormatList('name')} dump'`), 'webview/app.ts: the Open dump title lists the formats of formats.ts');
  });
});
