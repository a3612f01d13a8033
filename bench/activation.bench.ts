// Activation in the real VS Code (code-server's Node extension host), medians over fresh starts. Target: under 50 ms.
// - ownMs: what the extension itself costs: evaluating its bundle (from the bundle's first statement, less the first
//   require('vscode'), where the extension host builds the extension's API object) plus activate().
// - vscodeApiMs: that first require('vscode'), VS Code's work, reported apart.
// - loadAndActivateMs: `await extension.activate()` timed from a test entry in the same extension host: ownMs plus
//   reading and compiling the bundle plus VS Code's own work for any activation (context, storage, events).
// - baselineLoadAndActivateMs: the same for an empty extension, so VS Code's share can be told apart.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, round, type BenchContext } from './util';

const runs = Number(process.env.DND_BENCH_ACTIVATION_RUNS || 5);

interface Sample { wasActive: boolean; outsideMs: number; activateMs: number; bundleEvalMs: number; vscodeApiMs: number }

/** An empty extension with our id, for the baseline. */
function makeBaselineExtension(dir: string): void {
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'docker-network-doctor', publisher: 'docker-network-doctor',
    version: '0.0.0', engines: { vscode: '^1.90.0' }, main: './extension.js', activationEvents: ['onCommand:dockerNetworkDoctor.none'] }));
  fs.writeFileSync(path.join(dir, 'extension.js'), 'exports.activate = () => ({ testing: { activationMs: 0, bundleEvalMs: 0, vscodeApiMs: 0 } });\n');
}

export async function run(ctx: BenchContext): Promise<Record<string, number | string>> {
  const { ensureVsCodeRuntime } = require('../scripts/lib/vscode-runtime');
  const { runExtensionTests } = require('../scripts/lib/vscode-driver');
  const runtime = ensureVsCodeRuntime();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-bench-ws-'));
  const baseline = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-bench-empty-'));
  makeBaselineExtension(baseline);
  const measure = async (extensionPath: string, label: string): Promise<Sample[]> => {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      let sample: Sample | undefined;
      const code = await runExtensionTests(runtime, {
        extensionPath, testsPath: path.join(ctx.root, 'bench/vscode/activationProbe.js'), folder, env: {}, timeoutMs: 120_000,
        onLine: (l: string) => { const m = /DND_ACTIVATION (.*)/.exec(l); if (m) sample = JSON.parse(m[1]!); },
      });
      if (code !== 0 || !sample) throw new Error(`activation probe failed for ${label} (exit ${code})`);
      if (sample.wasActive) throw new Error(`${label} was already active: activation is not lazy`);
      samples.push(sample);
      ctx.log(`${label} activation ${i + 1}/${runs}: ${sample.outsideMs.toFixed(1)} ms`);
    }
    return samples;
  };
  try {
    const ours = await measure(ctx.root, 'extension');
    const empty = await measure(baseline, 'empty extension');
    return {
      ownMs: round(median(ours.map((s) => s.bundleEvalMs - s.vscodeApiMs + s.activateMs)), 1),
      bundleEvalMs: round(median(ours.map((s) => s.bundleEvalMs)), 1),
      vscodeApiMs: round(median(ours.map((s) => s.vscodeApiMs)), 1),
      activateMs: round(median(ours.map((s) => s.activateMs)), 2),
      loadAndActivateMs: round(median(ours.map((s) => s.outsideMs)), 1),
      baselineLoadAndActivateMs: round(median(empty.map((s) => s.outsideMs)), 1),
      runs,
      vscode: runtime.codeServerVersion,
    };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(baseline, { recursive: true, force: true });
  }
}
