// Telling a dump from other text: what counts as a format, how each is named, and what is said of text that is none.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { decodeDump, detectFormat, parseFirewall } from '../../../src/core/firewall';
import { fixturePath } from '../../paths';
import { seededRandom } from './fuzzInputs';

const fixture = (f: string) => fs.readFileSync(fixturePath('firewall', f), 'utf8');

describe('what does not count as iptables-save', () => {
  it('`*x` alone', () => {
    const r = parseFirewall('*x');
    assert.deepEqual(r.formats, []);
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.message]), [[1, 'line not understood']]);
    assert.equal(detectFormat('*x\n'), undefined);
  });

  it('1 MB of random bytes (seed 20261203), as UTF-8 and as Latin-1', () => {
    const random = seededRandom(20261203);
    const bytes = new Uint8Array(1 << 20);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    for (const text of [new TextDecoder().decode(bytes), Buffer.from(bytes).toString('latin1')]) {
      const r = parseFirewall(text);
      assert.deepEqual(r.formats, []);
      assert.equal(r.tables.length, 0);
      assert.ok(r.diagnostics.length > 0 && r.diagnostics.every((d) => d.line >= 1));
      assert.equal(detectFormat(text), undefined);
    }
  });

  it('a stray dump-like line in prose, while a dump with prose around it still counts', () => {
    const prose = Array.from({ length: 40 }, (_, i) => `This is line ${i} of a message about the network.`);
    assert.deepEqual(parseFirewall([...prose.slice(0, 20), '-A INPUT -j ACCEPT', ...prose.slice(20)].join('\n')).formats, []);
    const dump = fixture('e28.5-4-all.filter-S.txt');
    const r = parseFirewall(`${prose.slice(0, 10).join('\n')}\n${dump}${prose.slice(10, 20).join('\n')}\n`);
    assert.deepEqual(r.formats, ['iptables-S']);
    assert.equal(r.diagnostics.length, 20);
  });
});

describe('the formats a text holds', () => {
  it('lists each format once, in order of first appearance', () => {
    const save = fixture('e28.5-4-all.iptables-save-c.txt');
    const r = parseFirewall(`${save}${fixture('e28.5-4-all.filter-S.txt')}${save}`);
    assert.deepEqual(r.formats, ['iptables-save', 'iptables-S']);
  });
});

describe('nft -j JSON cut short', () => {
  const json = fixture('corpus-008-moby29-portmap.nft.json');
  for (const at of [json.length - 3, Math.floor(json.length / 2), 200]) {
    it(`at offset ${at} of ${json.length}: invalid JSON, and where`, () => {
      const cut = json.slice(0, at);
      const r = parseFirewall(cut);
      assert.deepEqual(r.formats, []);
      assert.equal(r.diagnostics.length, 1);
      const d = r.diagnostics[0]!;
      const lines = cut.split('\n').length;
      assert.match(d.message, new RegExp(`^not valid JSON at line ${lines}, column \\d+ \\(offset ${at}\\), at the end of the input`));
      assert.equal(d.line, lines);
    });
  }

  it('a wrong character in the middle: its line and column', () => {
    const lines = JSON.stringify(JSON.parse(json), null, 2).split('\n');
    lines[5] = lines[5]!.replace(/"([^"]*)"/, '"$1" x');
    const r = parseFirewall(lines.join('\n'));
    assert.equal(r.diagnostics[0]!.line, 6);
    assert.match(r.diagnostics[0]!.message, /^not valid JSON at line 6, column \d+ \(offset \d+\): /);
  });
});

describe('encodings', () => {
  const text = fixture('e28.5-4-all.iptables-save-c.txt');
  const clean = parseFirewall(text);
  const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const utf16be = Buffer.from(utf16le);
  utf16be.swap16();

  it('decodes UTF-16 with a byte order mark, either order, and UTF-8 with one', () => {
    for (const [bytes, encoding] of [[utf16le, 'utf-16le'], [utf16be, 'utf-16be'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8']] as const) {
      const decoded = decodeDump(bytes);
      assert.equal(decoded.encoding, encoding);
      assert.equal(decoded.text, text);
    }
  });

  it('names UTF-16 read as UTF-8 as an encoding problem', () => {
    const r = parseFirewall(utf16le.toString('utf8'));
    assert.deepEqual(r.formats, []);
    assert.deepEqual(r.diagnostics.map((d) => d.line), [1]);
    assert.match(r.diagnostics[0]!.message, /UTF-16 read as another encoding/);
  });

  it('reads text that kept its byte order mark', () => {
    assert.equal(parseFirewall(`\ufeff${text}`).ruleCount, clean.ruleCount);
  });
});
