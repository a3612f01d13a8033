// File access for compose analysis, shared by the CLI and the extension: which files compose would read, the
// project's `.env`, and the reader that `extends: { file }` uses. In the editor, open documents win over the disk,
// so unsaved edits are analysed as the user sees them. Files are read only if they are regular files of at most
// 10 MB (regularFile.ts); a file that exists but was refused is reported with the reason, never read.
// The CLI reads synchronously; the extension uses the async functions, which never block the extension host.
import * as fs from 'fs';
import * as path from 'path';
import type { ComposeFileReader, ComposeSource, Env } from '../core/compose';
import { parseDotEnv } from '../core/compose/dotEnv';
import { readRegularFile, readRegularFileSync, type FileRead } from './regularFile';

/** Text of an open document by absolute path, if one is open (the extension passes one; the CLI does not). */
export type OpenDocumentText = (absolutePath: string) => string | undefined;

/** A file compose would read that exists but was not read, and why (for a finding or an error message). */
export interface UnreadFile {
  fileName: string;
  reason: string;
}

/** The names compose looks for, in its order; each may have an `.override` twin. */
export const defaultComposeFileNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

function readSync(absolutePath: string, openText?: OpenDocumentText): FileRead {
  const open = openText?.(absolutePath);
  return open !== undefined ? { kind: 'text', text: open } : readRegularFileSync(absolutePath);
}

async function readAsync(absolutePath: string, openText?: OpenDocumentText): Promise<FileRead> {
  const open = openText?.(absolutePath);
  return open !== undefined ? { kind: 'text', text: open } : readRegularFile(absolutePath);
}

// existence follows symlinks and does not open the file: a FIFO or a link to /dev/zero "exists", and is then refused
// (with its reason) when read, as compose would trip over it too
const existsSync = (p: string, openText?: OpenDocumentText) => openText?.(p) !== undefined || fs.existsSync(p);
const existsAsync = async (p: string, openText?: OpenDocumentText) =>
  openText?.(p) !== undefined || fs.promises.stat(p).then(() => true, () => false);

const overridesOf = (base: string) => {
  const stem = base.replace(/\.ya?ml$/, '');
  return [`${stem}.override.yaml`, `${stem}.override.yml`];
};

/** The first default compose file in `dir` and its `*.override.*` files, as `docker compose` picks them without -f. */
export function findDefaultComposeFiles(dir: string, openText?: OpenDocumentText): string[] {
  const base = defaultComposeFileNames.find((n) => existsSync(path.join(dir, n), openText));
  if (!base) return [];
  return [base, ...overridesOf(base).filter((n) => existsSync(path.join(dir, n), openText))].map((n) => path.join(dir, n));
}

async function findDefaultComposeFilesAsync(dir: string, openText?: OpenDocumentText): Promise<string[]> {
  for (const base of defaultComposeFileNames) {
    if (!await existsAsync(path.join(dir, base), openText)) continue;
    const overrides = [];
    for (const n of overridesOf(base)) if (await existsAsync(path.join(dir, n), openText)) overrides.push(n);
    return [base, ...overrides].map((n) => path.join(dir, n));
  }
  return [];
}

/** Files read into sources, and the ones refused. */
export interface ReadSources {
  sources: ComposeSource[];
  unread: UnreadFile[];
}

function isProjectFile(file: string): boolean {
  const name = path.basename(file);
  return defaultComposeFileNames.some((b) => b === name || overridesOf(b).includes(name));
}

/**
 * The files compose would merge with `file` when run in its folder without -f: those `COMPOSE_FILE` names, if it names
 * `file`; else the base file, then its overrides. A file of another name (e.g. `compose.prod.yaml`) stands alone. Texts
 * come from open editors first; never blocks.
 */
export async function projectFilesFor(file: string, openText?: OpenDocumentText, env: Env = {}): Promise<ReadSources> {
  // `COMPOSE_FILE` (the shell's or the folder's `.env`) names the project's files when it names this one
  const named = composeFileVariable(env, path.dirname(file));
  const files = named?.includes(file) ? named : isProjectFile(file) ? await findDefaultComposeFilesAsync(path.dirname(file), openText) : [];
  const chosen = files.includes(file) ? files : [file];
  const out: ReadSources = { sources: [], unread: [] };
  for (const f of chosen) {
    const read = await readAsync(f, openText);
    out.sources.push({ fileName: f, text: read.kind === 'text' ? read.text : '' });
    if (read.kind === 'refused') out.unread.push({ fileName: f, reason: read.reason });
  }
  return out;
}

/** The process environment over the project's `.env` (the shell wins, as in compose), and `.env` if refused. */
export interface ComposeEnv {
  env: Env;
  unread?: UnreadFile;
}

function envFrom(dotEnvPath: string, read: FileRead, processEnv: Record<string, string | undefined>): ComposeEnv {
  const env = { ...(read.kind === 'text' ? parseDotEnv(read.text) : {}), ...processEnv };
  return read.kind === 'refused' ? { env, unread: { fileName: dotEnvPath, reason: read.reason } } : { env };
}

export function composeEnvSync(projectDir: string, processEnv: Record<string, string | undefined>): ComposeEnv {
  const dotEnv = path.join(projectDir, '.env');
  return envFrom(dotEnv, readRegularFileSync(dotEnv), processEnv);
}

export async function composeEnv(projectDir: string, processEnv: Record<string, string | undefined>): Promise<ComposeEnv> {
  const dotEnv = path.join(projectDir, '.env');
  return envFrom(dotEnv, await readRegularFile(dotEnv), processEnv);
}

/** `--env-file` files (later ones win) under the process environment; compose then reads no `.env`. A missing one is
 *  refused: it was asked for. */
export function composeEnvFilesSync(
  envFiles: readonly string[], cwd: string, processEnv: Record<string, string | undefined>,
): ComposeEnv & { unreadAll: UnreadFile[] } {
  let fromFiles: Record<string, string> = {};
  const unreadAll: UnreadFile[] = [];
  for (const f of envFiles) {
    const read = readRegularFileSync(path.resolve(cwd, f));
    if (read.kind === 'text') fromFiles = { ...fromFiles, ...parseDotEnv(read.text) };
    else unreadAll.push({ fileName: f, reason: read.kind === 'missing' ? 'not found' : read.reason });
  }
  return { env: { ...fromFiles, ...processEnv }, unreadAll };
}

/** `COMPOSE_FILE` (the shell's, else the env file's) as compose splits it: by `COMPOSE_PATH_SEPARATOR`, default `:`
 *  (Linux), each relative to `dir`; undefined when not set. */
export function composeFileVariable(env: Env, dir: string): string[] | undefined {
  const value = env.COMPOSE_FILE;
  if (!value) return undefined;
  const separator = env.COMPOSE_PATH_SEPARATOR || path.delimiter;
  return value.split(separator).filter(Boolean).map((f) => path.resolve(dir, f));
}

/** `COMPOSE_PROFILES` (comma-separated, `*` for all); undefined when not set: compose then runs only services without
 *  profiles, and the product analyses every service unless told. */
export function composeProfilesVariable(env: Env): string[] | undefined {
  const value = env.COMPOSE_PROFILES;
  if (value === undefined) return undefined;
  return value.split(',').map((p) => p.trim()).filter(Boolean);
}

/** Reads files named on the command line; names stay as given (relative to `cwd`) for the output. A missing file is
 *  refused too ("not found"): it was asked for. */
export function readComposeSources(files: string[], cwd: string): ReadSources {
  const out: ReadSources = { sources: [], unread: [] };
  for (const f of files) {
    const fileName = path.relative(cwd, path.resolve(cwd, f)) || f;
    const read = readRegularFileSync(path.resolve(cwd, f));
    if (read.kind === 'text') out.sources.push({ fileName, text: read.text });
    else out.unread.push({ fileName, reason: read.kind === 'missing' ? 'not found' : read.reason });
  }
  return out;
}

/** Where an `extends: { file }` target is, and the name it is shown under. */
function extendsTarget(options: { cwd?: string }, target: string, relativeTo: string) {
  const full = path.resolve(options.cwd ?? '/', path.dirname(relativeTo), target);
  return { full, fileName: options.cwd ? path.relative(options.cwd, full) : full };
}

function asReaderResult(fileName: string, read: FileRead): ReturnType<ComposeFileReader> {
  if (read.kind === 'missing') return undefined;
  return read.kind === 'text' ? { fileName, text: read.text } : { fileName, unreadable: read.reason };
}

/**
 * Reads `extends: { file }` targets relative to the file that names them, synchronously (the CLI). With `cwd`, names
 * are given relative to it (as the CLI prints them); without, absolute (as the editor keys documents).
 */
export function composeFileReader(options: { cwd?: string; openText?: OpenDocumentText } = {}): ComposeFileReader {
  return (target, relativeTo) => {
    const { full, fileName } = extendsTarget(options, target, relativeTo);
    return asReaderResult(fileName, readSync(full, options.openText));
  };
}

/** How many rounds of newly named `extends` files are read before the rest count as unreadable (a chain that deep). */
const maxExtendsRounds = 8;

/**
 * Runs `analyze` with an `extends` reader backed by files read asynchronously (the extension). The core reads through
 * a synchronous reader, so a run that names a file not read yet records it; those are read without blocking, and the
 * analysis runs again until it names none new. Files without `extends: file:` are analysed once.
 */
export async function withExtendsFilesRead<T>(options: { openText?: OpenDocumentText }, analyze: (reader: ComposeFileReader) => T): Promise<T> {
  const read = new Map<string, FileRead>();
  for (let round = 0; ; round++) {
    const wanted = new Set<string>();
    const result = analyze((target, relativeTo) => {
      const { full, fileName } = extendsTarget({}, target, relativeTo);
      const done = read.get(full);
      if (done) return asReaderResult(fileName, done);
      wanted.add(full);
      return undefined;
    });
    if (!wanted.size || round === maxExtendsRounds) return result;
    for (const full of wanted) read.set(full, await readAsync(full, options.openText));
  }
}

/** What `docker compose` reads before a command: the files, the variables and the active profiles. */
export interface ComposeInputs {
  files: string[];
  sources: ComposeSource[];
  /** Files that were asked for (or exist) but were refused, named relative to `cwd`. */
  unread: UnreadFile[];
  env: Env;
  projectDir: string;
  /** Undefined: COMPOSE_PROFILES not set and no profile named. */
  activeProfiles?: string[];
}

/**
 * The CLI's inputs, chosen as docker-compose 2.40.3 chooses them: files named (`-f`), else those COMPOSE_FILE names
 * (the shell's, else `--env-file`'s or `.env`'s of `cwd`), else the default names in `cwd`. Variables: the shell over
 * `--env-file` files (which replace `.env`), else `.env` of `cwd` when no file is named, else of the first file's
 * folder. Profiles: named ones, else COMPOSE_PROFILES.
 */
export function composeInputsSync(options: {
  cwd: string; env: Record<string, string | undefined>; files: readonly string[]; envFiles: readonly string[]; profiles: readonly string[];
}): ComposeInputs {
  const { cwd } = options;
  const unread: UnreadFile[] = [];
  const envFrom = (dir: string): Env => {
    if (options.envFiles.length) { const e = composeEnvFilesSync(options.envFiles, cwd, options.env); unread.push(...e.unreadAll); return e.env; }
    const e = composeEnvSync(dir, options.env);
    if (e.unread) unread.push({ ...e.unread, fileName: path.relative(cwd, e.unread.fileName) || e.unread.fileName });
    return e.env;
  };
  let env = options.files.length ? undefined : envFrom(cwd);
  const fromVariable = env && composeFileVariable(env, cwd)?.map((f) => path.relative(cwd, f) || f);
  const files = options.files.length ? [...options.files] : fromVariable ?? findDefaultComposeFiles(cwd);
  const projectDir = path.dirname(path.resolve(cwd, files[0] ?? '.'));
  if (!files.length) return { files, sources: [], unread, env: env ?? {}, projectDir };
  const read = readComposeSources(files, cwd);
  unread.unshift(...read.unread);
  env ??= envFrom(projectDir);
  const activeProfiles = options.profiles.length ? [...options.profiles] : composeProfilesVariable(env);
  return { files, sources: read.sources, unread, env, projectDir, ...(activeProfiles ? { activeProfiles } : {}) };
}
