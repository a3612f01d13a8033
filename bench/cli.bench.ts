// The CLI as a process, as users and CI run it: `check` on the 57-service otel-demo corpus file against `node -e 0`
// (the floor: no CLI can start faster) and `docker compose config` on the same file (the binary of the test rig's
// sid engine), all in this run and interleaved, so load on the machine moves all three alike. Target: `check`
// within 1.3x of `node -e 0`. Also: line and column for every finding of a 1 MB file with the line index, against
// the analysis of that file (the per-finding rescan it replaced took 17-25 s there).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LineIndex } from '../src/cli/lineColumn';
import { analyzeCompose } from '../src/core/compose';
import type { BenchContext } from './util';
import { median, round } from './util';

const runs = 15;

function composeBinary(): string {
  const cache = process.env.DND_CACHE || path.join(os.homedir(), '.cache', 'docker-network-doctor');
  const bin = path.join(cache, 'engines', 'sid', 'bin', 'docker-compose');
  if (!fs.existsSync(bin)) {
    throw new Error(`${bin} is missing: the cli bench compares with docker compose from the sid engine build (node scripts/lib/engine.js downloads it, or set DND_CACHE)`);
  }
  return bin;
}

/** Values for the file's variables, so compose does not stop at an unset one: paths for volume sources, else "1". */
function variablesFor(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of text.matchAll(/\$\{([A-Z0-9_]+)/g)) env[m[1]!] = '1';
  for (const m of text.matchAll(/- \$\{([A-Z0-9_]+)\}:\//g)) env[m[1]!] = `/${m[1]!.toLowerCase()}`;
  return env;
}

function wallMs(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(command, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** A ~1 MB compose file where every service has a finding (an unset variable in its port). */
function manyFindingsText(): string {
  const lines = ['services:'];
  for (let i = 0, bytes = 0; bytes < 1024 * 1024; i++) {
    const service = [`  service-number-${i}:`, `    image: example/app:${i % 9}`, '    ports:', `      - "\${UNSET_PORT_${i}}:80"`];
    lines.push(...service);
    bytes += service.join('\n').length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/** What the CLI did before the line index: scan from the start for every offset. */
function rescan(text: string, offset: number) {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) { line++; lineStart = i + 1; }
  return { line, column: offset - lineStart + 1 };
}

export async function run(ctx: BenchContext): Promise<Record<string, number | string>> {
  const compose = composeBinary();
  const cli = path.join(ctx.root, 'dist', 'cli.js');
  const file = path.join(ctx.root, 'test', 'fixtures', 'corpus', 'compose', '024-otel-demo.yml');
  const text = fs.readFileSync(file, 'utf8');
  const env = { PATH: process.env.PATH, HOME: os.tmpdir(), ...variablesFor(text) };
  const cwd = os.tmpdir();
  ctx.versions.dockerCompose = spawnSync(compose, ['version', '--short'], { encoding: 'utf8' }).stdout.trim();
  const samples = { node: [] as number[], check: [] as number[], compose: [] as number[], version: [] as number[] };
  for (let i = 0; i < runs + 2; i++) {
    const node = wallMs(process.execPath, ['-e', '0'], env, cwd);
    const check = wallMs(process.execPath, [cli, 'check', file], env, cwd);
    const composeConfig = wallMs(compose, ['-f', file, 'config'], env, cwd);
    const version = wallMs(process.execPath, [cli, '--version'], env, cwd);
    if (i < 2) continue; // warm-up: page cache, first-run files
    samples.node.push(node);
    samples.check.push(check);
    samples.compose.push(composeConfig);
    samples.version.push(version);
  }
  const nodeMs = median(samples.node);
  const checkMs = median(samples.check);
  const composeMs = median(samples.compose);

  const big = manyFindingsText();
  const t0 = performance.now();
  const analysis = analyzeCompose([{ fileName: 'big.yaml', text: big }], { env: {} });
  const analysisMs = performance.now() - t0;
  const t1 = performance.now();
  const index = new LineIndex(big);
  let sum = 0;
  for (const f of analysis.findings) sum += index.at(f.range.start).line + index.at(f.range.end).column;
  const lineIndexMs = performance.now() - t1;
  const sampled = analysis.findings.filter((_, i) => i % Math.max(1, Math.floor(analysis.findings.length / 100)) === 0);
  const t2 = performance.now();
  for (const f of sampled) sum += rescan(big, f.range.start).line + rescan(big, f.range.end).column;
  const rescanMs = ((performance.now() - t2) / sampled.length) * analysis.findings.length;
  if (sum === 0) throw new Error('no positions computed');

  return {
    composeFile: path.basename(file),
    services: analyzeCompose([{ fileName: file, text }], { env: {} }).project.services.size,
    nodeEmptyMs: round(nodeMs, 1),
    checkProcessMs: round(checkMs, 1),
    versionProcessMs: round(median(samples.version), 1),
    dockerComposeConfigMs: round(composeMs, 1),
    checkVsNodeRatio: round(checkMs / nodeMs, 2),
    checkVsNodeTarget: 1.3,
    checkVsDockerComposeRatio: round(checkMs / composeMs, 2),
    bigFileBytes: big.length,
    bigFileFindings: analysis.findings.length,
    bigFileAnalysisMs: round(analysisMs, 1),
    lineIndexMs: round(lineIndexMs, 1),
    lineIndexVsAnalysisRatio: round(lineIndexMs / analysisMs, 3),
    rescanEstimatedMs: round(rescanMs, 0),
  };
}
