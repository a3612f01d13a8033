// Activation time in the real VS Code (code-server's Node extension host), median over fresh starts.
// Target: under 50 ms. `loadAndActivateMs` is require() of the bundle plus activate(), timed from a test entry in
// the same extension host; `activateMs` is activate() alone, timed by the extension itself.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, round, type BenchContext } from './util';

const runs = Number(process.env.DND_BENCH_ACTIVATION_RUNS || 5);

export async function run(ctx: BenchContext): Promise<Record<string, number | string>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ensureVsCodeRuntime } = require('../scripts/lib/vscode-runtime');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runExtensionTests } = require('../scripts/lib/vscode-driver');
  const runtime = ensureVsCodeRuntime();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-bench-ws-'));
  const outside: number[] = [];
  const inside: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      let sample: { wasActive: boolean; outsideMs: number; activateMs: number } | undefined;
      const code = await runExtensionTests(runtime, {
        extensionPath: ctx.root, testsPath: path.join(ctx.root, 'bench/vscode/activationProbe.js'), folder,
        env: {}, timeoutMs: 120_000,
        onLine: (l: string) => { const m = /DND_ACTIVATION (.*)/.exec(l); if (m) sample = JSON.parse(m[1]!); },
      });
      if (code !== 0 || !sample) throw new Error(`activation probe failed (exit ${code})`);
      if (sample.wasActive) throw new Error('the extension was already active: activation is not lazy');
      outside.push(sample.outsideMs);
      inside.push(sample.activateMs);
      ctx.log(`activation run ${i + 1}/${runs}: ${sample.outsideMs.toFixed(1)} ms`);
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
  return { loadAndActivateMs: round(median(outside), 1), activateMs: round(median(inside), 2), runs, vscode: runtime.codeServerVersion };
}
