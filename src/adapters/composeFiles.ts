// File access for compose analysis: sibling override files, `extends: { file }` targets and the project's `.env`.
// Open editors win over the disk, so unsaved edits are analysed as the user sees them.
import * as fs from 'fs';
import * as path from 'path';
import type { ComposeFileReader } from '../core/compose';

/** Text of an open document by absolute path, if one is open. */
export type OpenDocumentText = (absolutePath: string) => string | undefined;

function readText(absolutePath: string, openText: OpenDocumentText): string | undefined {
  const open = openText(absolutePath);
  if (open !== undefined) return open;
  try {
    return fs.readFileSync(absolutePath, 'utf8');
  } catch {
    return undefined;
  }
}

export function composeFileReader(openText: OpenDocumentText): ComposeFileReader {
  return (file, relativeTo) => {
    const absolutePath = path.resolve(path.dirname(relativeTo), file);
    const text = readText(absolutePath, openText);
    return text === undefined ? undefined : { fileName: absolutePath, text };
  };
}

const baseNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/**
 * The files compose would merge with `file` when run in its folder without `-f`: the base file first, then its
 * `.override` sibling. A file that is neither (e.g. `compose.prod.yaml`) is analysed on its own.
 */
export function projectFilesFor(file: string, openText: OpenDocumentText): { fileName: string; text: string }[] {
  const dir = path.dirname(file);
  const name = path.basename(file);
  const base = baseNames.find((b) => b === name || b.replace(/\.ya?ml$/, '.override') + path.extname(b) === name);
  if (!base) return [];
  const overrideName = base.replace(/(\.ya?ml)$/, '.override$1');
  const out: { fileName: string; text: string }[] = [];
  for (const candidate of [base, overrideName]) {
    const absolutePath = path.join(dir, candidate);
    const text = readText(absolutePath, openText);
    if (text !== undefined) out.push({ fileName: absolutePath, text });
  }
  return out;
}

/** The raw text of `.env` beside the compose file, if any. */
export function readDotEnv(composeFile: string): string | undefined {
  try {
    return fs.readFileSync(path.join(path.dirname(composeFile), '.env'), 'utf8');
  } catch {
    return undefined;
  }
}
