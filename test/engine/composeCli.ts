// docker-compose v2 (the reference: 2.40.3, Debian sid's, fetched with the sid engine build) run the way a user runs
// it, and the product's model of the same inputs, both reduced to what the reference test compares: per active
// service its network_mode, the networks it is attached to and its published ports. Compose lists a range one entry
// per port; that is folded back into runs HERE, in the test only (the product never expands a range per port).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { composeFileReader, composeInputsSync } from '../../src/adapters/composeFiles';
import { analyzeCompose } from '../../src/core/compose/analyzeCompose';
import type { ComposeAnalysis } from '../../src/core/compose/analyzeCompose';
import { isServiceActive } from '../../src/core/compose/profiles';

/** The docker-compose binary scripts/test.js hands the engine tier; the tier fails without it (never skips). */
export function composeBin(): string {
  const bin = process.env.DND_COMPOSE_BIN;
  if (!bin || !fs.existsSync(bin)) throw new Error(`no docker-compose v2 (DND_COMPOSE_BIN=${bin ?? 'unset'}); scripts/test.js engine sets it`);
  return bin;
}

export function composeVersion(): string {
  const r = spawnSync(composeBin(), ['version', '--short'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  return r.stdout.trim();
}

/** A case: files written into a fresh temp folder (or an existing folder used in place), and how compose is run. */
export interface ComposeRun {
  /** The working folder. */
  cwd: string;
  /** `-f` files, relative to cwd; none: compose's own discovery (COMPOSE_FILE, compose.yaml…). */
  files: string[];
  /** The whole environment compose and the product see (nothing inherited but PATH and HOME). */
  env?: Record<string, string>;
  envFiles?: string[];
  /** Extra flags before the command (e.g. `--no-env-resolution`). */
  composeFlags?: string[];
}

export interface ComposeResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `docker-compose [flags] [-f FILE…] [--env-file F…] ARGS` with an argument array and a clean environment. */
export function runCompose(run: ComposeRun, args: string[], extraEnv: Record<string, string> = {}): ComposeResult {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-compose-home-'));
  try {
    const argv = [...(run.composeFlags ?? []), ...run.files.flatMap((f) => ['-f', f]), ...(run.envFiles ?? []).flatMap((f) => ['--env-file', f]), ...args];
    const r = spawnSync(composeBin(), argv, {
      cwd: run.cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000,
      env: { PATH: '/usr/bin:/bin', HOME: home, ...run.env, ...extraEnv },
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** A folder with these files (relative names, `/` allowed), removed by the caller. */
export function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-compose-ref-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The product on the same inputs, chosen as the CLI's `check` chooses them. */
export function productAnalysis(run: ComposeRun): { analysis: ComposeAnalysis; activeProfiles: string[] } {
  const inputs = composeInputsSync({ cwd: run.cwd, env: run.env ?? {}, files: run.files, envFiles: run.envFiles ?? [], profiles: [] });
  if (inputs.unread.length) throw new Error(`the product could not read ${inputs.unread.map((u) => `${u.fileName}: ${u.reason}`).join(', ')}`);
  const analysis = analyzeCompose(inputs.sources, {
    env: inputs.env, readFile: composeFileReader({ cwd: run.cwd }), projectDir: inputs.projectDir,
    ...(inputs.activeProfiles ? { activeProfiles: inputs.activeProfiles } : {}),
  });
  // compose without COMPOSE_PROFILES starts the services that have no profile
  return { analysis, activeProfiles: inputs.activeProfiles ?? [] };
}

/** One service as compared: `network_mode`, networks (sorted) and port runs (sorted). */
export interface ComparedService {
  networkMode: string;
  networks: string[];
  ports: string[];
}

/** A run of ports: `mode|host_ip|protocol|target-start..end|published` (published: `a..b`, `pool a-b` or empty). */
interface PortRun { key: string; target: [number, number]; published: [number, number] | string | undefined }

const runText = (r: PortRun) => {
  const pub = r.published === undefined ? '' : typeof r.published === 'string' ? r.published : `${r.published[0]}..${r.published[1]}`;
  return `${r.key}|${r.target[0]}..${r.target[1]}|${pub}`;
};

/** Runs merged where both sides continue (target and published contiguous, same key); sorted text. */
function foldRuns(runs: PortRun[]): string[] {
  runs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.target[0] - b.target[0]);
  const out: PortRun[] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    const contiguous = last && last.key === r.key && last.target[1] + 1 === r.target[0]
      && ((last.published === undefined && r.published === undefined)
        || (Array.isArray(last.published) && Array.isArray(r.published) && last.published[1] + 1 === r.published[0]));
    if (contiguous) {
      last.target = [last.target[0], r.target[1]];
      if (Array.isArray(last.published) && Array.isArray(r.published)) last.published = [last.published[0], r.published[1]];
    } else out.push({ ...r });
  }
  return out.map(runText).sort();
}

interface ComposeJsonPort { mode?: string; host_ip?: string; target: number; published?: string; protocol?: string }
interface ComposeJsonService { network_mode?: string; networks?: Record<string, unknown>; ports?: ComposeJsonPort[] }

/** Compose's `config --format json` reduced: its per-port entries folded into runs. */
export function composeModel(json: string): Map<string, ComparedService> {
  const doc = JSON.parse(json) as { services?: Record<string, ComposeJsonService> };
  const out = new Map<string, ComparedService>();
  for (const [name, s] of Object.entries(doc.services ?? {})) {
    const runs: PortRun[] = (s.ports ?? []).map((p) => {
      const key = `${p.mode ?? 'ingress'}|${p.host_ip ?? ''}|${p.protocol ?? 'tcp'}`;
      const m = /^(\d+)(?:-(\d+))?$/.exec(p.published ?? '');
      // a published range to one target (one entry with "a-b"): the engine picks one port of it
      const published = !m ? undefined : m[2] ? `pool ${m[1]}-${m[2]}` : [Number(m[1]), Number(m[1])] as [number, number];
      return { key, target: [p.target, p.target], published };
    });
    // compose prints a `$` of the value as `$$` (so its output reads back the same)
    const unescape = (x: string) => x.replaceAll('$$', '$');
    out.set(name, { networkMode: unescape(s.network_mode ?? ''), networks: Object.keys(s.networks ?? {}).map(unescape).sort(), ports: foldRuns(runs) });
  }
  return out;
}

/** The product's resolved model reduced the same way (from intervals: nothing is expanded). Services whose ports
 *  depend on unset variables are listed in `unresolved` (the product reports them and does not guess). */
export function productModel(
  analysis: ComposeAnalysis, activeProfiles: readonly string[],
): { services: Map<string, ComparedService>; unresolved: Set<string> } {
  const services = new Map<string, ComparedService>();
  const unresolved = new Set<string>();
  for (const svc of analysis.project.services.values()) {
    if (!isServiceActive(svc, activeProfiles)) continue;
    if (svc.unresolvedPorts.length) unresolved.add(svc.name);
    const runs: PortRun[] = svc.ports.map((p) => ({
      key: `${p.mode ?? 'ingress'}|${p.hostIp ?? ''}|${p.protocol}`,
      target: [p.target.start, p.target.end],
      published: !p.published ? undefined : p.publishedIsPool ? `pool ${p.published.start}-${p.published.end}` : [p.published.start, p.published.end],
    }));
    const mode = svc.networkMode?.value ?? '';
    const networks = mode ? [] : (svc.networks?.map((n) => n.name) ?? ['default']);
    services.set(svc.name, { networkMode: mode, networks: [...new Set(networks)].sort(), ports: foldRuns(runs) });
  }
  return { services, unresolved };
}
