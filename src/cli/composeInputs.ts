// File-system side of `check`: which compose files to read, the project's `.env`, and the reader `extends` uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ComposeFileReader, ComposeSource, Env } from '../core/compose';

/** The names compose looks for, in its order; each may have an `.override` twin. */
export const defaultComposeFileNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** The first default compose file in `dir` and its `*.override.*` files, as `docker compose` picks them. */
export function findDefaultComposeFiles(dir: string): string[] {
  const base = defaultComposeFileNames.find((n) => fs.existsSync(path.join(dir, n)));
  if (!base) return [];
  const stem = base.replace(/\.ya?ml$/, '');
  const overrides = [`${stem}.override.yaml`, `${stem}.override.yml`].filter((n) => fs.existsSync(path.join(dir, n)));
  return [base, ...overrides].map((n) => path.join(dir, n));
}

/** `.env` syntax as compose reads it: KEY=VALUE, `export ` prefixes, # comments, single or double quotes. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out[m[1]!] = value;
  }
  return out;
}

/** The process environment over the project's `.env` (the shell wins, as in compose). */
export function composeEnv(projectDir: string, processEnv: Record<string, string | undefined>): Env {
  const envFile = path.join(projectDir, '.env');
  const dotEnv = fs.existsSync(envFile) ? parseDotEnv(fs.readFileSync(envFile, 'utf8')) : {};
  return { ...dotEnv, ...processEnv };
}

export function readComposeSources(files: string[], cwd: string): ComposeSource[] {
  return files.map((f) => ({ fileName: path.relative(cwd, path.resolve(cwd, f)) || f, text: fs.readFileSync(path.resolve(cwd, f), 'utf8') }));
}

/** Reads `extends: { file }` targets relative to the file that names them. */
export function composeFileReader(cwd: string): ComposeFileReader {
  return (target, relativeTo) => {
    const full = path.resolve(cwd, path.dirname(relativeTo), target);
    if (!fs.existsSync(full)) return undefined;
    return { fileName: path.relative(cwd, full), text: fs.readFileSync(full, 'utf8') };
  };
}

/** 1-based line and column of an offset, for text and SARIF output. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
