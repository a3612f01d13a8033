#!/usr/bin/env node
// `npm test`: builds, then runs the three tiers and ends with one line of counts.
//   node scripts/test.js [unit|integration|e2e ...]
// unit:        node's test runner over out/test/unit (src/core on fixtures; no VS Code, no engine)
// integration: mocha inside the real VS Code's Node extension host (code-server), extension in development mode,
//              against a real Docker engine (DOCKER_HOST, or a private dockerd started here as root)
// e2e:         the real workbench in headless chromium; screenshots into test-results/
// Where CI is set, a missing engine or VS Code runtime fails the run instead of skipping.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { log, run } = require('./lib/proc');

const ROOT = path.resolve(__dirname, '..');
const CI = !!process.env.CI;
const stages = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];
const results = [];

function listFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f)).sort();
}

function unit() {
  const files = listFiles(path.join(ROOT, 'out/test/unit'), '.test.js');
  const tap = path.join(ROOT, 'out/unit.tap');
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files], { stdio: 'inherit', cwd: ROOT });
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (k) => Number((new RegExp(`^# ${k} (\\d+)`, 'm').exec(text) || [])[1] || 0);
  return { passed: count('pass'), failed: count('fail') + (r.status !== 0 && !count('fail') ? 1 : 0), skipped: count('skipped') + count('todo') };
}

/** Reads the `N passed, N failed, N skipped` line a VS Code-hosted suite prints. */
function countsFrom(lines, code) {
  const last = lines.map((l) => /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/.exec(l.trim())).filter(Boolean).pop();
  if (!last) return { passed: 0, failed: 1, skipped: 0, note: `no result line (exit ${code})` };
  const c = { passed: Number(last[1]), failed: Number(last[2]), skipped: Number(last[3] || 0) };
  if (code !== 0 && c.failed === 0) c.failed = 1;
  return c;
}

async function withEngineAndRuntime(stage, body) {
  const { acquireEngine } = require('./lib/engine');
  const { ensureVsCodeRuntime } = require('./lib/vscode-runtime');
  let runtime;
  try {
    runtime = ensureVsCodeRuntime();
  } catch (e) {
    if (CI) throw e;
    log(`${stage}: SKIPPED, no VS Code runtime: ${e.message}`);
    return { passed: 0, failed: 0, skipped: 1, note: 'no VS Code runtime' };
  }
  const engine = await acquireEngine({ requireEngine: CI });
  if (!engine) {
    log(`${stage}: SKIPPED, no engine (set DOCKER_HOST or run as root)`);
    return { passed: 0, failed: 0, skipped: 1, note: 'no engine' };
  }
  try {
    return await body(runtime, engine);
  } finally {
    await engine.stop();
  }
}

function integration() {
  return withEngineAndRuntime('integration', async (runtime, engine) => {
    const { runExtensionTests } = require('./lib/vscode-driver');
    // the ssh:// engine test runs an sshd of its own (as root; it skips elsewhere, outside CI)
    if (process.getuid && process.getuid() === 0) require('./lib/proc').ensureAptPackages(['openssh-server', 'openssh-client']);
    const lines = [];
    const code = await runExtensionTests(runtime, {
      extensionPath: ROOT,
      testsPath: path.join(ROOT, 'out/test/integration/index.js'),
      folder: path.join(ROOT, 'test/fixtures/workspace'),
      env: { DOCKER_HOST: engine.host, DND_TEST_RUN: engine.runId, DND_TEST_ENGINE_PID: String(engine.pid || '') },
      onLine: (l) => { lines.push(l); console.log(l); },
    });
    return countsFrom(lines, code);
  });
}

function e2e() {
  return withEngineAndRuntime('e2e', async (runtime, engine) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'test/e2e/run.js')], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, DOCKER_HOST: engine.host, DND_TEST_RUN: engine.runId, DND_RUNTIME: JSON.stringify(runtime) },
      stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024,
    });
    process.stdout.write(r.stdout || '');
    return countsFrom((r.stdout || '').split('\n'), r.status);
  });
}

async function main() {
  const t0 = Date.now();
  run(process.execPath, [path.join(ROOT, 'esbuild.js'), '--tests'], { cwd: ROOT });
  const tiers = { unit, integration, e2e };
  for (const stage of stages) {
    if (!tiers[stage]) throw new Error(`unknown test stage "${stage}" (unit, integration, e2e)`);
    const s = Date.now();
    log(`── ${stage} ──`);
    const r = await tiers[stage]();
    results.push({ stage, ...r, seconds: (Date.now() - s) / 1000 });
  }
  console.log('\nTest summary:');
  for (const r of results) {
    console.log(`  ${r.stage.padEnd(12)} ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${r.seconds.toFixed(1)} s)${r.note ? ` – ${r.note}` : ''}`);
  }
  const sum = (k) => results.reduce((a, r) => a + r[k], 0);
  console.log(`total time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
  process.exitCode = sum('failed') > 0 || sum('passed') === 0 ? 1 : 0;
}

main().catch((e) => { console.error(`[dnd] test run failed: ${e.stack || e.message}`); process.exitCode = 1; });
