// `include:` (compose 2.20+), as docker-compose 2.40.3 reads it: each entry is a path, or a map with `path` (one or a
// list, merged like -f files), `project_directory` and `env_file`. An included file's services and networks join the
// project; a service or network the including file (or an earlier include) defines differently is refused
// ("services.db conflicts with imported resource"; the same definition twice is accepted). The included file's variables are the project's
// environment plus its env files (default: `.env` in its project directory) for names not already set.
import type { Node } from 'yaml';
import type { SourceRange } from './model';
import { isScalar, isSeq } from '../yaml';
import type { YamlFile } from '../yaml';

export interface IncludeEntry {
  /** Files merged in order, relative to the including file's folder. */
  paths: string[];
  /** Relative to the including file's folder; default: the first path's folder. */
  projectDirectory?: string;
  /** Relative to the including file's folder; undefined: `.env` in the project directory, if there is one. */
  envFiles?: string[];
  range: SourceRange;
}

/** The `include:` list of a file's root map; shapes compose refuses are reported with compose's words. */
export function readIncludes(
  yaml: YamlFile, root: Node, value: (node: Node | null | undefined) => string | undefined,
  report: (message: string, range: SourceRange) => void,
): IncludeEntry[] {
  const entry = yaml.get(root, 'include');
  if (!entry || entry.value === null) return [];
  const list = yaml.resolve(entry.value);
  if (!list || !isSeq(list)) { report('include must be a list', yaml.range(entry.value, entry.keyNode)); return []; }
  const out: IncludeEntry[] = [];
  (list.items as (Node | null)[]).forEach((raw, i) => {
    const item = yaml.resolve(raw);
    const range = yaml.range(raw, entry.keyNode);
    if (item && isScalar(item)) {
      const p = value(item);
      if (p) out.push({ paths: [p], range });
      return;
    }
    if (!yaml.asMap(item)) { report(`include.${i} must be a string or a mapping (compose: '[${i}]' expected a map or struct)`, range); return; }
    const paths = stringList(yaml, yaml.get(item, 'path')?.value, value);
    if (!paths?.length) { report(`include.${i}.path is required`, range); return; }
    const inc: IncludeEntry = { paths, range };
    const dir = value(yaml.get(item, 'project_directory')?.value);
    if (dir) inc.projectDirectory = dir;
    const envFiles = stringList(yaml, yaml.get(item, 'env_file')?.value, value);
    if (envFiles) inc.envFiles = envFiles;
    out.push(inc);
  });
  return out;
}

function stringList(yaml: YamlFile, node: Node | null | undefined, value: (node: Node | null | undefined) => string | undefined): string[] | undefined {
  const n = yaml.resolve(node);
  if (!n) return undefined;
  if (isSeq(n)) return yaml.items(n).map((x) => value(x)).filter((x): x is string => !!x);
  const one = value(n);
  return one ? [one] : undefined;
}

/** `a/b` joined onto the folder of `dir` as written (pure: no `path`); absolute stays absolute. */
export function joinRelative(dir: string | undefined, file: string): string {
  if (!dir || file.startsWith('/')) return file;
  return `${dir.replace(/\/+$/, '')}/${file}`;
}

/** The folder part of a relative path as written (`sub/inc.yaml` → `sub`; `inc.yaml` → undefined). */
export function folderOf(file: string): string | undefined {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? undefined : slash === 0 ? '/' : file.slice(0, slash);
}
