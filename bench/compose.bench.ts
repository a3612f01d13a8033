// Compose analysis speed against dclint on the same inputs, in the same run: a generated stress file (2,000 services,
// 3 port entries each, some ranges, one 1-65535) and every corpus file. Targets: stress file under 50 ms, at least
// 20x faster than dclint. Both sides read the file from disk inside the timed call (dclint's API takes paths).
// Also: the stress file through the `yaml` package only (no fast YAML path), and which files take the fast path.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeCompose } from '../src/core/compose';
import { withYamlParser, YamlFile } from '../src/core/compose/yamlFile';
import type { BenchContext } from './util';
import { round, timeMs } from './util';

const stressServices = 2000;

/** 2,000 services × 3 entries: a fixed port, a loopback udp port, and every 50th a 10-port range; one 1-65535. */
export function stressComposeText(): string {
  const lines = ['services:'];
  for (let i = 0; i < stressServices; i++) {
    lines.push(`  svc-${i}:`, `    image: example/app:${1 + (i % 7)}.0`, '    ports:');
    if (i === 0) lines.push('      - "1-65535:1-65535/udp"');
    else lines.push(`      - "${10000 + i}:80"`);
    lines.push(`      - "127.0.0.1:${20000 + i}:81/udp"`);
    lines.push(i % 50 === 0 ? `      - "${30000 + i * 10}-${30000 + i * 10 + 9}:5000-5009"` : '      - "9000"');
  }
  return `${lines.join('\n')}\n`;
}

interface DclintLinter {
  lintFiles(paths: string[], recursive: boolean): { messages: unknown[] }[];
}

function loadDclint(root: string): DclintLinter {
  // dclint is external to the bench bundle; load its CommonJS build from the project
  const { DCLinter } = require(path.join(root, 'node_modules/dclint/dist/index.cjs')) as { DCLinter: new (c: object) => DclintLinter };
  return new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] });
}

function analyzeFile(file: string) {
  return analyzeCompose([{ fileName: file, text: fs.readFileSync(file, 'utf8') }]);
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const outDir = path.join(ctx.root, 'out/bench');
  fs.mkdirSync(outDir, { recursive: true });
  const stressFile = path.join(outDir, 'compose-stress.yaml');
  fs.writeFileSync(stressFile, stressComposeText());
  const dclint = loadDclint(ctx.root);
  const dclintVersion = JSON.parse(fs.readFileSync(path.join(ctx.root, 'node_modules/dclint/package.json'), 'utf8')).version as string;
  ctx.versions.dclint = dclintVersion;

  const stressFindings = analyzeFile(stressFile).findings.length;
  const stressMs = timeMs(() => analyzeFile(stressFile), { runs: 15, warmup: 3 });
  const stressYamlPathMs = timeMs(() => withYamlParser('yaml', () => analyzeFile(stressFile)), { runs: 7, warmup: 2 });
  const stressParsedBy = new YamlFile(stressFile, fs.readFileSync(stressFile, 'utf8')).parsedBy;
  ctx.log(`compose: stress file ${stressMs} ms (${stressFindings} findings; ${stressYamlPathMs} ms through yaml only); dclint…`);
  let dclintStressMessages = 0;
  const dclintStressMs = timeMs(() => { dclintStressMessages = dclint.lintFiles([stressFile], false)[0]?.messages.length ?? 0; }, { runs: 3, warmup: 1 });

  // the CLI as a user runs it, once each: process start-up included
  const cliMs = (cmd: string, args: string[]) => {
    const t0 = performance.now();
    try { execFileSync(cmd, args, { stdio: 'ignore', cwd: ctx.root }); } catch { /* both exit non-zero on findings */ }
    return round(performance.now() - t0);
  };
  const ourCli = path.join(ctx.root, 'dist/cli.js');
  const stressCli = fs.existsSync(ourCli)
    ? { ours: cliMs(process.execPath, [ourCli, 'check', stressFile, '--format', 'json']),
      dclint: cliMs(process.execPath, [path.join(ctx.root, 'node_modules/dclint/bin/dclint.cjs'), stressFile, '-f', 'json']) }
    : undefined;

  const corpusDir = path.join(ctx.root, 'test/fixtures/corpus/compose');
  const corpus: Record<string, { oursMs: number; dclintMs: number; ratio: number; yamlParsedBy: 'fast' | 'yaml'; dclintGaveUp?: string }> = {};
  let oursTotal = 0;
  let dclintTotal = 0;
  if (fs.existsSync(corpusDir)) {
    for (const name of fs.readdirSync(corpusDir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const file = path.join(corpusDir, name);
      const oursMs = timeMs(() => analyzeFile(file), { runs: 15, warmup: 3 });
      const dclintMs = timeMs(() => dclint.lintFiles([file], false), { runs: 7, warmup: 2 });
      const yamlParsedBy = new YamlFile(file, fs.readFileSync(file, 'utf8')).parsedBy;
      // dclint gives up on some files (e.g. "Excessive alias count…" on many YAML aliases): its time is then not a lint
      const gaveUp = (dclint.lintFiles([file], false)[0]?.messages as Array<{ rule?: string; message?: string }> | undefined)
        ?.find((m) => m.rule === 'unknown-error')?.message;
      corpus[name] = { oursMs, dclintMs, ratio: round(dclintMs / Math.max(oursMs, 0.001), 1), yamlParsedBy, ...(gaveUp ? { dclintGaveUp: gaveUp } : {}) };
      oursTotal += oursMs;
      dclintTotal += dclintMs;
    }
  }
  const stressRatio = round(dclintStressMs / stressMs, 1);
  return {
    stressFile: { services: stressServices, portEntries: stressServices * 3, bytes: fs.statSync(stressFile).size, findings: stressFindings,
      dclintMessages: dclintStressMessages },
    stressAnalysisMs: stressMs,
    stressYamlParsedBy: stressParsedBy,
    stressAnalysisYamlPackageOnlyMs: stressYamlPathMs,
    stressDclintMs: dclintStressMs,
    stressRatio,
    stressUnder50Ms: stressMs < 50,
    stressAtLeast20xFaster: stressRatio >= 20,
    stressCliOnceMs: stressCli ?? 'dist/cli.js not built',
    corpusTotalMs: round(oursTotal),
    corpusDclintTotalMs: round(dclintTotal),
    corpusRatio: round(dclintTotal / Math.max(oursTotal, 0.001), 1),
    corpusFastYamlPath: `${Object.values(corpus).filter((c) => c.yamlParsedBy === 'fast').length} of ${Object.keys(corpus).length} files`,
    corpus,
  };
}
