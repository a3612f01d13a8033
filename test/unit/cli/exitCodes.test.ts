// The CLI as a process: exit codes (0 ok, 1 findings, 2 usage/input/engine, 3 internal), --help and --version, a
// closed pipe, and which modules a command loads.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fixturePath, repoRoot } from '../../paths';
import { builtCli, runBuiltCli } from './runBuiltCli';

const composeFixtures = fixturePath('compose');
const firewallDump = fixturePath('firewall', 'e28.5-4-all.iptables-save.txt');
const commandNames = ['check', 'exposure', 'firewall', 'matrix', 'networks', 'reach'];

describe('CLI exit codes and help', () => {
  it('--version prints package.json\'s version', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const r = runBuiltCli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${version}\n`);
  });

  for (const name of commandNames) {
    it(`${name} --help prints its options and the exit codes; an unknown option is a usage error (2)`, () => {
      const help = runBuiltCli([name, '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`^usage: docker-network-doctor ${name}`));
      assert.match(help.stdout, /--format/);
      assert.match(help.stdout, /exit codes:\n {2}0 {2}ok\n {2}1 .*\n {2}2 {2}usage error, unreadable input, engine unreachable\n {2}3 {2}internal error/);
      const bad = runBuiltCli([name, '--no-such-option']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /unknown option "--no-such-option"/);
      assert.equal(bad.stdout, '');
    });
  }

  it('the top-level --help lists every command; no command is a usage error', () => {
    const help = runBuiltCli(['--help']);
    assert.equal(help.code, 0);
    for (const name of commandNames) assert.match(help.stdout, new RegExp(`^ {2}${name} `, 'm'));
    assert.equal(runBuiltCli([]).code, 2);
    assert.equal(runBuiltCli(['frobnicate']).code, 2);
  });

  it('check: 1 with an error, 0 with warnings only, 1 with --fail-on warning, 2 for a missing file or bad value', () => {
    assert.equal(runBuiltCli(['check'], { cwd: path.join(composeFixtures, 'extends') }).code, 1);
    assert.equal(runBuiltCli(['check', 'media-server.compose.yaml'], { cwd: composeFixtures }).code, 0);
    assert.equal(runBuiltCli(['check', 'media-server.compose.yaml', '--fail-on', 'warning'], { cwd: composeFixtures }).code, 1);
    const missing = runBuiltCli(['check', 'nope.yaml'], { cwd: composeFixtures });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read "nope\.yaml": not found/);
    assert.equal(runBuiltCli(['check', '--format', 'xml'], { cwd: composeFixtures }).code, 2);
    assert.equal(runBuiltCli(['check', '--engine=yes'], { cwd: composeFixtures }).code, 2);
  });

  it('a failure that is not the input\'s (stdout on /dev/full: ENOSPC) exits 3 with a report line, never 2', () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      const r = runBuiltCli(['check', 'media-server.compose.yaml'], { cwd: composeFixtures, stdio: ['pipe', full, 'pipe'] });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /internal error: .*ENOSPC/);
      assert.match(r.stderr, /please report it/);
    } finally {
      fs.closeSync(full);
    }
  });

  it('a reader that closes the pipe early (`| head -1`) ends the CLI quietly with its own exit code', async () => {
    // the read end is closed before the CLI writes, so its first write fails with EPIPE (as `| head -1` does for
    // the writes after the first line)
    const child = spawn(process.execPath, [builtCli, 'firewall', firewallDump], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c) => { stderr += String(c); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});

describe('CLI start-up', () => {
  /** The files a run required, from a preload script that lists require.cache at exit. */
  function modulesLoadedBy(args: string[]): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-cli-modules-'));
    try {
      const preload = path.join(dir, 'list-modules.js');
      const out = path.join(dir, 'modules.json');
      fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(Object.keys(require.cache))));`);
      const r = runBuiltCli(args, { cwd: composeFixtures, env: { PATH: process.env.PATH, NODE_OPTIONS: `--require ${preload}` } });
      assert.notEqual(r.code, 3, r.stderr);
      return (JSON.parse(fs.readFileSync(out, 'utf8')) as string[]).map((f) => path.relative(repoRoot, f));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('--version loads no command; check loads yaml but not dockerode; firewall and exposure (no --engine) neither', () => {
    assert.deepEqual(modulesLoadedBy(['--version']).filter((f) => f.startsWith('dist')), [path.join('dist', 'cli.js')]);
    const check = modulesLoadedBy(['check', 'media-server.compose.yaml']);
    assert.ok(check.includes(path.join('dist', 'cli', 'checkCommand.js')), check.join(', '));
    assert.ok(check.includes(path.join('dist', 'vendor', 'yaml.js')), check.join(', '));
    assert.ok(!check.some((f) => f.includes('dockerode')), check.join(', '));
    const firewall = modulesLoadedBy(['firewall', firewallDump]);
    assert.ok(!firewall.some((f) => f.includes('dockerode') || f.includes('yaml')), firewall.join(', '));
    const exposure = modulesLoadedBy(['exposure', firewallDump]);
    assert.ok(exposure.includes(path.join('dist', 'cli', 'exposureCommand.js')), exposure.join(', '));
    assert.ok(!exposure.some((f) => f.includes('dockerode') || f.includes('yaml')), exposure.join(', '));
  });
});
