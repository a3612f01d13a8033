// File access for compose analysis, shared by the CLI and the extension: which files compose would read, the
// project's `.env`, and the reader that `extends: { file }` uses. In the editor, open documents win over the disk,
// so unsaved edits are analysed as the user sees them.
import * as fs from 'fs';
import * as path from 'path';
import type { ComposeFileReader, ComposeSource, Env } from '../core/compose';
import { parseDotEnv } from '../core/compose/dotEnv';

/** Text of an open document by absolute path, if one is open (the extension passes one; the CLI does not). */
export type OpenDocumentText = (absolutePath: string) => string | undefined;

/** The names compose looks for, in its order; each may have an `.override` twin. */
export const defaultComposeFileNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

function readText(absolutePath: string, openText?: OpenDocumentText): string | undefined {
  const open = openText?.(absolutePath);
  if (open !== undefined) return open;
  try {
    return fs.readFileSync(absolutePath, 'utf8');
  } catch {
    return undefined;
  }
}

const overridesOf = (base: string) => {
  const stem = base.replace(/\.ya?ml$/, '');
  return [`${stem}.override.yaml`, `${stem}.override.yml`];
};

/** The first default compose file in `dir` and its `*.override.*` files, as `docker compose` picks them without -f. */
export function findDefaultComposeFiles(dir: string, openText?: OpenDocumentText): string[] {
  const exists = (n: string) => readText(path.join(dir, n), openText) !== undefined;
  const base = defaultComposeFileNames.find(exists);
  if (!base) return [];
  return [base, ...overridesOf(base).filter(exists)].map((n) => path.join(dir, n));
}

/**
 * The files compose would merge with `file` when run in its folder without -f: the base file, then its overrides.
 * A file of another name (e.g. `compose.prod.yaml`) stands alone. Texts come from open editors first.
 */
export function projectFilesFor(file: string, openText?: OpenDocumentText): ComposeSource[] {
  const name = path.basename(file);
  const isProjectFile = defaultComposeFileNames.some((b) => b === name || overridesOf(b).includes(name));
  const files = isProjectFile ? findDefaultComposeFiles(path.dirname(file), openText) : [];
  const sources = files.map((f) => ({ fileName: f, text: readText(f, openText) ?? '' }));
  return sources.some((s) => s.fileName === file) ? sources : [{ fileName: file, text: readText(file, openText) ?? '' }];
}

/** The process environment over the project's `.env` (the shell wins, as in compose). */
export function composeEnv(projectDir: string, processEnv: Record<string, string | undefined>): Env {
  const dotEnv = readText(path.join(projectDir, '.env'));
  return { ...(dotEnv === undefined ? {} : parseDotEnv(dotEnv)), ...processEnv };
}

/** Reads files named on the command line; names stay as given (relative to `cwd`) for the output. */
export function readComposeSources(files: string[], cwd: string): ComposeSource[] {
  return files.map((f) => ({ fileName: path.relative(cwd, path.resolve(cwd, f)) || f, text: fs.readFileSync(path.resolve(cwd, f), 'utf8') }));
}

/**
 * Reads `extends: { file }` targets relative to the file that names them. With `cwd`, names are given relative to
 * it (as the CLI prints them); without, absolute (as the editor keys documents).
 */
export function composeFileReader(options: { cwd?: string; openText?: OpenDocumentText } = {}): ComposeFileReader {
  return (target, relativeTo) => {
    const full = path.resolve(options.cwd ?? '/', path.dirname(relativeTo), target);
    const text = readText(full, options.openText);
    if (text === undefined) return undefined;
    return { fileName: options.cwd ? path.relative(options.cwd, full) : full, text };
  };
}
