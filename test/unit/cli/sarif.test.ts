// `check --format sarif` against Microsoft's SARIF validator (the devDependency @microsoft/sarif-multitool-linux):
// zero errors and zero warnings. The validator must be there: a missing binary fails the test.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { githubRepository } from '../../../src/cli/sarif';
import { fixturePath, repoRoot } from '../../paths';
import { runBuiltCli } from './runBuiltCli';

const multitool = path.join(repoRoot, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');

interface ValidationResult { ruleId: string; level: string; message: { text: string } }

function validate(sarifText: string): ValidationResult[] {
  assert.ok(fs.existsSync(multitool), `${multitool} is missing: npm ci installs it (devDependency @microsoft/sarif-multitool-linux)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-sarif-'));
  try {
    const input = path.join(dir, 'check.sarif');
    const output = path.join(dir, 'validation.sarif');
    fs.writeFileSync(input, sarifText);
    // the validator is a self-contained .NET app: it needs no runtime, only a writable HOME for its first-run files
    const r = spawnSync(multitool, ['validate', input, '--output', output],
      { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    return JSON.parse(fs.readFileSync(output, 'utf8')).runs[0].results as ValidationResult[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('SARIF output', () => {
  it('passes Microsoft\'s SARIF validator with no errors and no warnings, for a file with findings', () => {
    const r = runBuiltCli(['check', '--format', 'sarif'], { cwd: fixturePath('compose', 'extends') });
    assert.equal(r.code, 1, r.stderr);
    const sarif = JSON.parse(r.stdout);
    assert.ok(sarif.runs[0].results.length >= 4, 'the fixture has findings');
    const problems = validate(r.stdout).filter((x) => x.level === 'error' || x.level === 'warning');
    assert.deepEqual(problems.map((x) => `${x.ruleId}: ${x.message.text}`), []);
  });

  it('names the tool\'s version and gives each rule help text; no relative links', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const driver = JSON.parse(runBuiltCli(['check', '--format', 'sarif', 'media-server.compose.yaml'],
      { cwd: fixturePath('compose') }).stdout).runs[0].tool.driver;
    assert.equal(driver.version, version);
    for (const rule of driver.rules) {
      assert.ok(rule.help.text.length > 20, rule.id);
      if (rule.helpUri !== undefined) assert.match(rule.helpUri, /^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/HEAD\/README\.md#/);
    }
  });

  it('links to a README on GitHub only for a GitHub repository URL', () => {
    assert.equal(githubRepository('https://github.com/o/r.git'), 'https://github.com/o/r');
    assert.equal(githubRepository('git+https://github.com/o/r.git'), 'https://github.com/o/r');
    assert.equal(githubRepository('git@github.com:o/r.git'), undefined, 'scp-like syntax is not a URL npm writes');
    assert.equal(githubRepository('github:o/r'), 'https://github.com/o/r');
    assert.equal(githubRepository('https://example.invalid/docker-network-doctor.git'), undefined);
    assert.equal(githubRepository(''), undefined);
  });
});
