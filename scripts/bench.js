#!/usr/bin/env node
// `npm run bench`: prints one JSON object of named figures, with the machine and versions they were measured on.
// Each bench/*.bench.ts exports `run(ctx): Promise<Record<string, number | string | object>>`; its figures are
// merged under the file's name. Timings are medians over repeated runs (see bench/util.ts).
//   node scripts/bench.js [NAME ...]      (NAME: a bench file without .bench.ts, e.g. `compose`)
// Each bench runs in a node process of its own, so it measures its subject and not what the benches before it left
// in the process: dclint (compose bench) fills V8's map transitions from `{}` up to their limit until the next full
// GC, and JSON parsed meanwhile gets a map per object; the engine model build on such JSON took 50 ms instead of 5
// (docs/performance.md, "Engine model"). Node flags reach the benches: `node --trace-gc scripts/bench.js engine`.
'use strict';
const { fork } = require('child_process');
const esbuild = require('esbuild');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run } = require('./lib/proc');

const ROOT = path.resolve(__dirname, '..');
const CHILD_FLAG = '--run-bench-in-this-process';

function log(...a) {
  console.error('[bench]', ...a);
}

async function main() {
  const only = process.argv.slice(2);
  const files = fs.readdirSync(path.join(ROOT, 'bench')).filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => !only.length || only.includes(f.replace(/\.bench\.ts$/, ''))).sort();
  // the shipped bundles are what gets measured: build them for production first
  run(process.execPath, [path.join(ROOT, 'esbuild.js'), '--production'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  await esbuild.build({
    entryPoints: files.map((f) => path.join(ROOT, 'bench', f)), outdir: path.join(ROOT, 'out/bench'), bundle: true,
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'dclint', 'playwright-core', 'dockerode'], logLevel: 'warning',
  });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const report = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()}` },
    versions: { extension: pkg.version, node: process.version },
    figures: {},
  };
  for (const f of files) {
    const name = f.replace(/\.bench\.ts$/, '');
    const t0 = Date.now();
    const result = await runInChildProcess(name);
    Object.assign(report.versions, result.versions);
    if (result.error !== undefined) {
      report.figures[name] = { error: result.error };
      process.exitCode = 1;
    } else {
      report.figures[name] = result.figures;
    }
    log(`${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

/**
 * Runs one bench in a fresh node process (same node, same flags) and resolves to what it reported. The child's
 * stdout goes to our stderr: our stdout is the report.
 */
function runInChildProcess(name) {
  return new Promise((resolve) => {
    const child = fork(__filename, [CHILD_FLAG, name], { cwd: ROOT, stdio: ['ignore', 2, 'inherit', 'ipc'] });
    let result;
    child.on('message', (m) => { result = m; });
    child.on('error', (e) => { result ??= { error: e.message, versions: {} }; });
    child.on('exit', (code, signal) => resolve(result ?? { error: `bench process exited with ${signal ?? code} before reporting`, versions: {} }));
  });
}

/** In the child: runs the bench bundle the parent built and sends its figures (or error) back. */
async function runOneBench(name) {
  const ctx = { root: ROOT, log, versions: {} };
  let result;
  try {
    const mod = require(path.join(ROOT, 'out/bench', `${name}.bench.js`));
    result = { figures: await mod.run(ctx), versions: ctx.versions };
  } catch (e) {
    result = { error: e.message, versions: ctx.versions };
  }
  process.send(result, () => process.disconnect());
}

if (process.argv[2] === CHILD_FLAG) runOneBench(process.argv[3]).catch((e) => { console.error(e); process.exitCode = 1; });
else main().catch((e) => { console.error(e); process.exitCode = 1; });
