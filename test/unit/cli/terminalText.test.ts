// User text on its way to a terminal: control characters visible, echoed input capped, counts in the right number.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { capped, counted, quoted, visible } from '../../../src/cli/terminalText';
import { fixturePath } from '../../paths';
import { runBuiltCli } from './runBuiltCli';

describe('terminal text', () => {
  it('shows C0/C1 controls and DEL as \\xNN, keeps tab and printable text', () => {
    assert.equal(visible('a\x1b[2Jb\tc\nd\x7f\x9b\u00e9'), 'a\\x1b[2Jb\tc\\x0ad\\x7f\\x9b\u00e9');
  });
  it('caps quoted input at 200 characters with an ellipsis', () => {
    const long = 'x'.repeat(10_000);
    assert.equal(quoted(long), `"${'x'.repeat(200)}…"`);
    assert.equal(quoted('short'), '"short"');
    assert.equal(capped('y'.repeat(201)).length, 201);
  });
  it('says 1 port, 2 ports, 0 ports', () => {
    assert.equal(counted(1, 'port'), '1 port');
    assert.equal(counted(2, 'port'), '2 ports');
    assert.equal(counted(0, 'rule'), '0 rules');
  });
});

describe('the CLI prints user text safely', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-cli-text-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

  it('a chain name with an escape sequence in a dump is shown as \\x1b, not sent to the terminal', () => {
    const dump = fixturePath('firewall', 'e28.5-4-all.iptables-save.txt');
    const text = fs.readFileSync(dump, 'utf8').replace(/^\*filter$/m, '*filter\n:EVIL\x1b]0;owned\x07 - [0:0]\n-A EVIL -j RETURN');
    const r = runBuiltCli(['firewall', '-'], { input: text });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(r.stdout), 'no raw control characters');
    assert.match(r.stdout, /EVIL\\x1b\]0;owned\\x07/);
  });

  it('a huge port value is not echoed whole (a 1 MB token gives lines far under 10 kB)', () => {
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(file, `services:\n  a:\n    image: x\n    ports:\n      - "${'9'.repeat(1024 * 1024)}:80\x1b[31m"\n`);
    const r = runBuiltCli(['check', file], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const longest = Math.max(...`${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.length));
    assert.ok(longest < 2_000, `longest line ${longest} characters`);
    assert.ok(!r.stdout.includes('\x1b'), 'no raw ESC');
  });

  it('a one-port range mismatch says "1 port"', () => {
    const file = path.join(dir, 'mismatch.yaml');
    fs.writeFileSync(file, 'services:\n  a:\n    image: x\n    ports:\n      - "8080-8080:80-81"\n');
    const r = runBuiltCli(['check', file], { cwd: dir });
    assert.match(r.stdout, /has 1 port but/);
    assert.match(r.stdout, /^1 error, 0 warnings, 0 notes$/m);
  });
});

describe('no VS Code setting names in what the CLI prints', () => {
  it('src/cli and the engine errors it prints name environment variables, not dockerNetworkDoctor.* settings', () => {
    const dir = fixturePath('..', '..', 'src', 'cli');
    for (const f of fs.readdirSync(dir)) assert.ok(!fs.readFileSync(path.join(dir, f), 'utf8').includes('dockerNetworkDoctor.'), f);
    const r = runBuiltCli(['networks'], { env: { PATH: process.env.PATH, DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /No Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock/);
    assert.match(r.stderr, /DOCKER_HOST or DOCKER_CONTEXT/);
    assert.ok(!r.stderr.includes('dockerNetworkDoctor.'), r.stderr);
  });
});
