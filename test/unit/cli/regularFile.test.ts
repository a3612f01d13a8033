// Reading only regular files of at most 10 MB: a FIFO (which hung the read), a symlink to /dev/zero (read until
// memory ran out) and an 11 MB file, all real, in a temporary folder.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { composeEnv, composeEnvSync, projectFilesFor, withExtendsFilesRead } from '../../../src/adapters/composeFiles';
import { readRegularFile, readRegularFileSync } from '../../../src/adapters/regularFile';
import { analyzeCompose } from '../../../src/core/compose';
import { runBuiltCli } from './runBuiltCli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-regular-file-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A folder of its own with these entries: text, 'fifo', 'zero' (a symlink to /dev/zero) or a byte count. */
function project(name: string, entries: Record<string, string | number>): string {
  const root = path.join(dir, name);
  fs.mkdirSync(root);
  for (const [file, what] of Object.entries(entries)) {
    const p = path.join(root, file);
    if (what === 'fifo') {
      const r = spawnSync('mkfifo', [p]);
      assert.equal(r.status, 0, `mkfifo: ${r.stderr}`);
    } else if (what === 'zero') fs.symlinkSync('/dev/zero', p);
    else if (typeof what === 'number') fs.writeFileSync(p, Buffer.alloc(what, 0x61));
    else fs.writeFileSync(p, what);
  }
  return root;
}

const compose = 'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n';
const special = project('special', { fifo: 'fifo', zero: 'zero', big: 11 * 1024 * 1024, small: 'hello', sub: '' });
fs.rmSync(path.join(special, 'sub'));
fs.mkdirSync(path.join(special, 'sub'));

describe('readRegularFile', () => {
  const cases: [string, RegExp | string][] = [
    ['fifo', /it is a FIFO \(named pipe\), not a regular file/],
    ['zero', /it is a character device, not a regular file/],
    ['big', /it is 11\.0 MB, over the 10\.0 MB limit/],
    ['sub', /it is a directory/],
  ];
  for (const [name, reason] of cases) {
    it(`refuses ${name}, sync and async`, async () => {
      for (const read of [readRegularFileSync(path.join(special, name)), await readRegularFile(path.join(special, name))]) {
        assert.equal(read.kind, 'refused');
        assert.match((read as { reason: string }).reason, reason as RegExp);
      }
    });
  }
  it('reads a regular file and says when one is missing', async () => {
    assert.deepEqual(readRegularFileSync(path.join(special, 'small')), { kind: 'text', text: 'hello', bytes: Buffer.from('hello') });
    assert.deepEqual(await readRegularFile(path.join(special, 'small')), { kind: 'text', text: 'hello', bytes: Buffer.from('hello') });
    assert.deepEqual(readRegularFileSync(path.join(special, 'none')), { kind: 'missing' });
  });
});

describe('compose inputs that are not regular files', () => {
  it('check: a .env that links to /dev/zero is an input error naming it (exit 2)', () => {
    const root = project('dotenv-zero', { 'compose.yaml': compose, '.env': 'zero' });
    const r = runBuiltCli(['check'], { cwd: root });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read "\.env": it is a character device, not a regular file/);
  });
  it('check: a compose.override.yaml FIFO is an input error, not a hang', () => {
    const root = project('override-fifo', { 'compose.yaml': compose, 'compose.override.yaml': 'fifo' });
    const r = runBuiltCli(['check'], { cwd: root });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read ".*compose\.override\.yaml": it is a FIFO/);
  });
  it('check: a named 11 MB file is refused', () => {
    const root = project('big-file', { 'big.yaml': 11 * 1024 * 1024 });
    const r = runBuiltCli(['check', 'big.yaml'], { cwd: root });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /over the 10\.0 MB limit/);
  });
  it('check: an extends file that links to /dev/zero is an invalid-compose-file finding that says why', () => {
    const root = project('extends-zero', {
      'compose.yaml': 'services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n',
      'base.yaml': 'zero',
    });
    const r = runBuiltCli(['check'], { cwd: root });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /error invalid-compose-file: extends: cannot read base\.yaml: it is a character device, not a regular file/);
  });

  it('extension side: override, .env and extends targets are read asynchronously, and refused ones say why', async () => {
    const root = project('async', {
      'compose.yaml': 'services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n  db:\n    extends:\n      file: ' +
        'pipe.yaml\n      service: x\n',
      'base.yaml': 'services:\n  base:\n    image: nginx\n    ports:\n      - "${PORT}:80"\n',
      'pipe.yaml': 'fifo',
      'compose.override.yaml': 'zero',
      '.env': 'PORT=8081\n',
    });
    const main = path.join(root, 'compose.yaml');
    const files = await projectFilesFor(main);
    assert.deepEqual(files.sources.map((s) => path.basename(s.fileName)), ['compose.yaml', 'compose.override.yaml']);
    assert.deepEqual(files.unread.map((u) => [path.basename(u.fileName), u.reason]),
      [['compose.override.yaml', 'it is a character device, not a regular file']]);
    const env = await composeEnv(root, {});
    assert.equal(env.env.PORT, '8081');
    assert.deepEqual(composeEnvSync(root, {}).env, env.env);
    let runs = 0;
    const analysis = await withExtendsFilesRead({}, (readFile) => { runs++; return analyzeCompose([files.sources[0]!], { env: env.env, readFile }); });
    assert.equal(runs, 2, 'once to learn the extends files, once with them read');
    assert.equal(analysis.project.services.get('web')?.ports[0]?.published?.start, 8081);
    const messages = analysis.findings.filter((f) => f.code === 'invalid-compose-file').map((f) => f.message);
    assert.deepEqual(messages, ['extends: cannot read pipe.yaml: it is a FIFO (named pipe), not a regular file']);
  });
});

describe('firewall dumps that are not regular files', () => {
  it('firewall FILE: a FIFO or /dev/zero is an input error (exit 2), not a hang', () => {
    for (const name of ['fifo', 'zero']) {
      const r = runBuiltCli(['firewall', path.join(special, name)]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot read ".*": it is a (FIFO|character device)/);
    }
  });
  it('an 11 MB dump is under the firewall limit (64 MB): read, not refused', () => {
    const r = runBuiltCli(['firewall', path.join(special, 'big')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no iptables-save, iptables -S, iptables -L or nft text found/);
  });
});
