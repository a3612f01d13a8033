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
    throw new Error(`${bin} is missing: the cli bench compares with docker compose from the sid engine build (node scripts/lib/engine.js downloads it, or ` +
      `set DND_CACHE)`);
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

/** CPU time of the children this process has waited for (Linux: /proc/self/stat cutime + cstime, in clock ticks). */
function childCpuMs(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  // after "pid (comm) ", field 3 (state) is index 0: cutime is field 16, cstime field 17
  return (Number(fields[13]) + Number(fields[14])) * 10; // USER_HZ is 100 on Linux
}

interface Sample { wallMs: number; cpuMs: number }

function timed(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Sample {
  const cpu0 = childCpuMs();
  const t0 = performance.now();
  const r = spawnSync(command, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const wallMs = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wallMs, cpuMs: childCpuMs() - cpu0 };
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
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-cli-bench-'));
  const env = { PATH: process.env.PATH, HOME: cacheHome, XDG_CACHE_HOME: cacheHome, ...variablesFor(text) };
  const cwd = os.tmpdir();
  ctx.versions.dockerCompose = spawnSync(compose, ['version', '--short'], { encoding: 'utf8' }).stdout.trim();
  const kinds = {
    node: () => timed(process.execPath, ['-e', '0'], env, cwd),
    check: () => timed(process.execPath, [cli, 'check', file], env, cwd),
    checkNoCodeCache: () => timed(process.execPath, [cli, 'check', file], { ...env, DND_CLI_CODE_CACHE: 'off' }, cwd),
    compose: () => timed(compose, ['-f', file, 'config'], env, cwd),
    version: () => timed(process.execPath, [cli, '--version'], env, cwd),
  };
  const samples = Object.fromEntries(Object.keys(kinds).map((k) => [k, [] as Sample[]])) as Record<keyof typeof kinds, Sample[]>;
  let firstCheck: Sample | undefined;
  try {
    for (let i = 0; i < runs + 2; i++) {
      for (const [kind, run] of Object.entries(kinds) as [keyof typeof kinds, () => Sample][]) {
        const sample = run();
        if (kind === 'check' && !firstCheck) firstCheck = sample; // no code cache yet: a user's first run
        if (i >= 2) samples[kind].push(sample); // warm-up: page cache, the code cache written
      }
    }
  } finally {
    fs.rmSync(cacheHome, { recursive: true, force: true });
  }
  const wall = (k: keyof typeof kinds) => median(samples[k].map((x) => x.wallMs));
  const cpu = (k: keyof typeof kinds) => median(samples[k].map((x) => x.cpuMs));

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
    nodeEmptyMs: round(wall('node'), 1),
    checkProcessMs: round(wall('check'), 1),
    checkNoCodeCacheMs: round(wall('checkNoCodeCache'), 1),
    checkFirstRunMs: round(firstCheck!.wallMs, 1),
    versionProcessMs: round(wall('version'), 1),
    dockerComposeConfigMs: round(wall('compose'), 1),
    checkVsNodeRatio: round(wall('check') / wall('node'), 2),
    checkVsNodeTarget: 1.3,
    checkNoCodeCacheVsNodeRatio: round(wall('checkNoCodeCache') / wall('node'), 2),
    checkVsDockerComposeRatio: round(wall('check') / wall('compose'), 2),
    // CPU time (10 ms ticks) is what load on a shared machine does not inflate
    nodeEmptyCpuMs: cpu('node'),
    checkCpuMs: cpu('check'),
    checkNoCodeCacheCpuMs: cpu('checkNoCodeCache'),
    dockerComposeConfigCpuMs: cpu('compose'),
    checkVsNodeCpuRatio: round(cpu('check') / cpu('node'), 2),
    checkVsDockerComposeCpuRatio: round(cpu('check') / cpu('compose'), 2),
    bigFileBytes: big.length,
    bigFileFindings: analysis.findings.length,
    bigFileAnalysisMs: round(analysisMs, 1),
    lineIndexMs: round(lineIndexMs, 1),
    lineIndexVsAnalysisRatio: round(lineIndexMs / analysisMs, 3),
    rescanEstimatedMs: round(rescanMs, 0),
  };
}
