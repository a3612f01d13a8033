#!/usr/bin/env node
// `npm test`: builds, then runs the tiers and ends with one line of counts.
//   node scripts/test.js [lint|unit|engine|integration|e2e|truth ...]
// lint:        scripts/lint.js over our code (line width, whitespace, layering, no fixed sleeps in tests; seconds)
// unit:        node's test runner over out/test/unit (src/core on fixtures; no VS Code, no engine)
// engine:      node's test runner over out/test/engine: engine facts the product rests on, checked against each
//              engine of the truth matrix (no VS Code)
// integration: mocha inside the real VS Code's Node extension host (code-server), extension in development mode,
//              against a real Docker engine (DOCKER_HOST, or a private dockerd of DND_ENGINE started here as root)
// e2e:         the real workbench in headless chromium; screenshots into test-results/
// truth:       the integration tests titled `[truth]` (a figure or verdict compared with the engine's real
//              behaviour) on the other engines of the truth matrix
// Engines: DND_ENGINE (bookworm | trixie | sid, default sid) runs integration and e2e; the truth matrix is
// DND_TRUTH_ENGINES (comma-separated, default DND_ENGINE plus sid and bookworm). DOCKER_HOST, when given, is the only
// engine; without root, the engine the docker CLI would use (scripts/lib/engine.js).
// A tier that cannot run (no engine, no VS Code runtime) fails the run with the reason and the fix. Only an explicit
// opt-out skips: DND_SKIP_ENGINE=1 (every tier but unit) or DND_SKIP_UI=1 (integration, e2e, truth); the summary then
// says "skipped by request".
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { log, run } = require('./lib/proc');

const ROOT = path.resolve(__dirname, '..');
const SKIP_ENGINE = process.env.DND_SKIP_ENGINE === '1';
const SKIP_UI = process.env.DND_SKIP_UI === '1';
const stages = process.argv.slice(2).length ? process.argv.slice(2) : ['lint', 'unit', 'engine', 'integration', 'e2e', 'truth'];
const results = [];

function listFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f)).sort();
}

/** The house rules (scripts/lint.js): a file with a problem is a failure, so a lint problem fails the run. */
function lint() {
  const { lintRepository, printProblems } = require('./lint');
  const t0 = Date.now();
  const byFile = lintRepository();
  printProblems(byFile, Date.now() - t0);
  const failed = byFile.filter((f) => f.problems.length).length;
  return { passed: byFile.length - failed, failed, skipped: 0, ...(failed ? { note: `${failed} files with problems (npm run lint)` } : {}) };
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

const isRoot = () => !!process.getuid && process.getuid() === 0;

/** Engines started for this run, by suite ('given' for DOCKER_HOST), shared by the tiers and stopped at the end. */
const engines = new Map();

/** The primary engine's suite (integration, e2e) and the truth matrix, both in the order they run. */
function engineMatrix() {
  if (process.env.DOCKER_HOST || !isRoot()) return { primary: 'given', truth: ['given'] };
  const { suiteFromEnv, SUITES } = require('./lib/engine-builds');
  const primary = suiteFromEnv();
  const truth = process.env.DND_TRUTH_ENGINES
    ? process.env.DND_TRUTH_ENGINES.split(',').map((x) => x.trim()).filter(Boolean)
    : [...new Set([primary, 'sid', 'bookworm'])];
  for (const t of truth) if (!SUITES.includes(t)) throw new Error(`DND_TRUTH_ENGINES: unknown engine "${t}" (${SUITES.join(', ')})`);
  return { primary, truth };
}

async function engineFor(suite) {
  if (engines.has(suite)) return engines.get(suite);
  const { acquireEngine } = require('./lib/engine');
  const engine = await acquireEngine({ engine: suite === 'given' ? undefined : suite, requireEngine: true });
  engines.set(suite, engine);
  return engine;
}

/** A tier that could not run: one failure, with why and what to do. */
function couldNotRun(stage, why, fix) {
  log(`${stage}: FAILED, could not run: ${why}`);
  log(`  fix: ${fix}`);
  return { passed: 0, failed: 1, skipped: 0, note: `could not run: ${why.split('\n')[0]}` };
}

/** The row of a tier left out by DND_SKIP_ENGINE or DND_SKIP_UI. */
function skippedByRequest(stage, variable) {
  log(`${stage}: skipped by request (${variable}=1)`);
  return { passed: 0, failed: 0, skipped: 0, byRequest: variable };
}

async function withEngine(stage, suite, body) {
  if (SKIP_ENGINE) return skippedByRequest(stage, 'DND_SKIP_ENGINE');
  let engine;
  try {
    engine = await engineFor(suite);
  } catch (e) {
    return couldNotRun(stage, `no Docker engine: ${e.message}`,
      'run as root (a private engine is started), or start Docker / set DOCKER_HOST; DND_SKIP_ENGINE=1 leaves the engine tiers out');
  }
  try {
    return await body(engine);
  } finally {
    require('./lib/engine').removeLabelled(engine.host, engine.runId);
  }
}

async function withEngineAndRuntime(stage, suite, body) {
  if (SKIP_ENGINE) return skippedByRequest(stage, 'DND_SKIP_ENGINE');
  if (SKIP_UI) return skippedByRequest(stage, 'DND_SKIP_UI');
  const { ensureVsCodeRuntime } = require('./lib/vscode-runtime');
  let runtime;
  try {
    runtime = ensureVsCodeRuntime();
  } catch (e) {
    return couldNotRun(stage, `no VS Code runtime: ${e.message}`,
      'see the messages above (node scripts/lib/vscode-runtime.js retries the install alone); DND_SKIP_UI=1 leaves the VS Code tiers out');
  }
  return withEngine(stage, suite, (engine) => body(runtime, engine));
}

/** Sums results of one tier run on several engines into one row. */
function merged(rows) {
  const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
  const notes = rows.map((r) => r.note).filter(Boolean);
  if (rows.length && rows.every((r) => r.byRequest)) return { passed: 0, failed: 0, skipped: 0, byRequest: rows[0].byRequest };
  return { passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped'), ...(notes.length ? { note: notes.join('; ') } : {}) };
}

/**
 * The reference compose CLI for the engine tier (test/engine/composeReference.test.ts, the compose refusals): sid's
 * docker-compose v2 (2.40.3 when written), fetched with sid's engine build. DND_COMPOSE_BIN overrides it.
 */
function composeBin() {
  if (process.env.DND_COMPOSE_BIN) return process.env.DND_COMPOSE_BIN;
  const { engineBin } = require('./lib/engine-builds');
  return path.join(engineBin('sid'), 'docker-compose');
}

/** The engine tier on every engine of the truth matrix. */
async function engine() {
  const files = listFiles(path.join(ROOT, 'out/test/engine'), '.test.js');
  const rows = [];
  let compose;
  try {
    compose = composeBin();
  } catch (e) {
    return couldNotRun('engine', `no docker-compose v2 for the reference test: ${e.message}`,
      'run as root once with network access (sid\'s build is fetched), or set DND_COMPOSE_BIN');
  }
  for (const suite of engineMatrix().truth) {
    rows.push(await withEngine(`engine (${suite})`, suite, async (e) => {
      log(`engine tier on ${suite}: Engine ${e.version}`);
      const tap = path.join(ROOT, `out/engine-${suite}.tap`);
      const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout',
        '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
          { stdio: 'inherit', cwd: ROOT, env: { ...process.env, ...e.testEnv, DND_COMPOSE_BIN: compose } });
      const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
      const count = (k) => Number((new RegExp(`^# ${k} (\\d+)`, 'm').exec(text) || [])[1] || 0);
      return { passed: count('pass'), failed: count('fail') + (r.status !== 0 && !count('fail') ? 1 : 0), skipped: count('skipped') + count('todo'),
        note: `Engine ${e.version}` };
    }));
  }
  return merged(rows);
}

function runIntegrationSuite(runtime, engine, grep) {
  const { runExtensionTests } = require('./lib/vscode-driver');
  // the ssh:// engine test runs an sshd of its own (as root; it skips elsewhere, outside CI)
  if (process.getuid && process.getuid() === 0) require('./lib/proc').ensureAptPackages(['openssh-server', 'openssh-client']);
  const lines = [];
  return runExtensionTests(runtime, {
    extensionPath: ROOT,
    testsPath: path.join(ROOT, 'out/test/integration/index.js'),
    folder: path.join(ROOT, 'test/fixtures/workspace'),
    env: { ...engine.testEnv, ...(grep ? { DND_TEST_GREP: grep } : {}) },
    onLine: (l) => { lines.push(l); console.log(l); },
  }).then((code) => ({ ...countsFrom(lines, code), note: `Engine ${engine.version}` }));
}

function integration() {
  return withEngineAndRuntime('integration', engineMatrix().primary, (runtime, engine) => runIntegrationSuite(runtime, engine, process.env.DND_TEST_GREP));
}

/** The `[truth]` integration tests on the truth matrix's engines other than the primary one. */
async function truth() {
  const { primary, truth: suites } = engineMatrix();
  const rows = [];
  for (const suite of suites.filter((s) => s !== primary)) {
    rows.push(await withEngineAndRuntime(`truth (${suite})`, suite, (runtime, engine) => runIntegrationSuite(runtime, engine, '\\[truth\\]')));
  }
  if (!rows.length) return { passed: 0, failed: 0, skipped: 0, note: 'no other engine in the truth matrix' };
  return merged(rows);
}

function e2e() {
  return withEngineAndRuntime('e2e', engineMatrix().primary, async (runtime, engine) => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'test/e2e/run.js')], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...engine.testEnv, DND_RUNTIME: JSON.stringify(runtime) },
      stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024,
    });
    process.stdout.write(r.stdout || '');
    return { ...countsFrom((r.stdout || '').split('\n'), r.status), note: `Engine ${engine.version}` };
  });
}

async function main() {
  const t0 = Date.now();
  // lint alone needs no build
  if (stages.some((s) => s !== 'lint')) run(process.execPath, [path.join(ROOT, 'esbuild.js'), '--tests'], { cwd: ROOT });
  const tiers = { lint, unit, engine, integration, e2e, truth };
  try {
    for (const stage of stages) {
      if (!tiers[stage]) throw new Error(`unknown test stage "${stage}" (${Object.keys(tiers).join(', ')})`);
      const s = Date.now();
      log(`── ${stage} ──`);
      const r = await tiers[stage]();
      results.push({ stage, ...r, seconds: (Date.now() - s) / 1000 });
    }
  } finally {
    for (const e of engines.values()) if (e) await e.stop();
  }
  console.log('\nTest summary:');
  for (const r of results) {
    const counts = r.byRequest ? `skipped by request (${r.byRequest}=1)` : `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
    console.log(`  ${r.stage.padEnd(12)} ${counts} (${r.seconds.toFixed(1)} s)${r.note ? ` – ${r.note}` : ''}`);
  }
  const sum = (k) => results.reduce((a, r) => a + r[k], 0);
  console.log(`total time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const byRequest = results.filter((r) => r.byRequest).map((r) => r.stage);
  const skippedByRequestNote = byRequest.length ? `; ${byRequest.join(', ')} skipped by request` : '';
  console.log(`${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped${skippedByRequestNote}`);
  process.exitCode = sum('failed') > 0 || sum('passed') === 0 ? 1 : 0;
}

// Ctrl-C or a CI timeout: the private engines (and their network namespaces) go too
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    log(`${sig}: stopping the test engines`);
    Promise.all([...engines.values()].filter(Boolean).map((e) => e.stop())).finally(() => process.exit(130));
  });
}

main().catch((e) => { console.error(`[dnd] test run failed: ${e.stack || e.message}`); process.exitCode = 1; });
