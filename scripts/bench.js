#!/usr/bin/env node
// `npm run bench`: prints one JSON object of named figures, with the machine and versions they were measured on.
// Each bench/*.bench.ts exports `run(ctx): Promise<Record<string, number | string | object>>`; its figures are
// merged under the file's name. Timings are medians over repeated runs (see bench/util.ts).
//   node scripts/bench.js [NAME ...]      (NAME: a bench file without .bench.ts, e.g. `compose`)
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run } = require('./lib/proc');

const ROOT = path.resolve(__dirname, '..');

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
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}` },
    versions: { extension: pkg.version, node: process.version },
    figures: {},
  };
  const ctx = { root: ROOT, log: (...a) => console.error('[bench]', ...a), versions: report.versions };
  for (const f of files) {
    const name = f.replace(/\.bench\.ts$/, '');
    const mod = require(path.join(ROOT, 'out/bench', f.replace(/\.ts$/, '.js')));
    const t0 = Date.now();
    try {
      report.figures[name] = await mod.run(ctx);
    } catch (e) {
      report.figures[name] = { error: e.message };
      process.exitCode = 1;
    }
    ctx.log(`${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
