// Runs the built CLI (dist/cli.js, made by `node esbuild.js`, which scripts/test.js runs before the unit tier) as a
// process, as users and CI run it. Its code cache is off unless a test turns it on (with a cache folder of its own),
// so no test reads or writes the user's cache folder.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../paths';

export const builtCli = path.join(repoRoot, 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runBuiltCli(args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; input?: string; stdio?: SpawnSyncOptions['stdio'] } = {}): CliRun {
  if (!fs.existsSync(builtCli)) throw new Error(`${builtCli} is missing: run node esbuild.js first`);
  const r = spawnSync(process.execPath, [builtCli, ...args], {
    cwd: options.cwd ?? repoRoot, encoding: 'utf8', input: options.input ?? '', maxBuffer: 64 * 1024 * 1024,
    env: { DND_CLI_CODE_CACHE: 'off', ...(options.env ?? { PATH: process.env.PATH, HOME: process.env.HOME }) },
    ...(options.stdio ? { stdio: options.stdio } : {}),
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
