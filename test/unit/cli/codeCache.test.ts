// The CLI's V8 code cache: written on the first run into the user's cache folder (here a temporary XDG_CACHE_HOME),
// used by the next, and a damaged cache file is rejected by V8 and rewritten, never trusted.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { fixturePath } from '../../paths';
import { runBuiltCli } from './runBuiltCli';

const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-cli-code-cache-'));
after(() => fs.rmSync(cacheHome, { recursive: true, force: true }));

const check = () => runBuiltCli(['check', 'media-server.compose.yaml'], {
  cwd: fixturePath('compose'), env: { PATH: process.env.PATH, XDG_CACHE_HOME: cacheHome, DND_CLI_CODE_CACHE: 'on' },
});
const cacheFiles = () => {
  const root = path.join(cacheHome, 'docker-network-doctor');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((d) => fs.readdirSync(path.join(root, d)).map((f) => path.join(root, d, f)));
};

describe('CLI code cache', () => {
  it('is written on the first run (check and yaml bundles), read on the next, with the same output', () => {
    const first = check();
    assert.equal(first.code, 0, first.stderr);
    const files = cacheFiles();
    assert.equal(files.length, 2, files.join(', '));
    assert.ok(files.every((f) => f.endsWith('.v8')));
    const written = files.map((f) => fs.statSync(f).mtimeMs);
    const second = check();
    assert.equal(second.stdout, first.stdout);
    assert.deepEqual(cacheFiles().map((f) => fs.statSync(f).mtimeMs), written, 'an accepted cache is not rewritten');
  });

  it('a damaged cache file is rejected and rewritten; the output does not change', () => {
    const before = check();
    const [file] = cacheFiles();
    fs.writeFileSync(file!, Buffer.from('not V8 code at all'));
    const after = check();
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stdout, before.stdout);
    assert.ok(fs.statSync(file!).size > 1000, 'rewritten with real code');
  });
});
