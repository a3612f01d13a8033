#!/usr/bin/env node
// `npm run lint` and the first tier of `npm test`: the house rules a reviewer should not have to check by eye.
//   node scripts/lint.js [--only <path> ...] [--types]
// Text: lines of at most 160 characters, no trailing whitespace, no tabs, LF line ends, a final newline, no ESLint
// directives (there is no ESLint), no source file over 400 lines. Imports: the layering of docs/architecture.md. Tests:
// no fixed sleeps (wait on a condition with test/support/waitFor.ts). tsconfig keeps `noUnusedLocals` and
// `noUnusedParameters`; `--types` also runs `tsc --noEmit` (CI runs it as `npm run typecheck`).
// `--only` limits the checks to the files under the given paths. Each violation is printed as `file:line: message`;
// any violation exits 1. No ESLint or prettier: these rules are all this code base needs, and they run in ~0.2 s.
'use strict';
const fs = require('fs');
const path = require('path');

/** The repository root: above this script, or above the unit test bundle it is built into (out/test/unit/...). */
function findRepoRoot(from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'docker-network-doctor') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no docker-network-doctor package.json above ${from}`);
  }
}
const ROOT = findRepoRoot(__dirname);
const MAX_LINE = 160;
const MAX_FILE_LINES = 400;
/** What is linted: our code. test/fixtures holds others' files and captures, kept byte for byte. */
const ROOTS = ['src', 'webview', 'test', 'scripts', 'bench', 'esbuild.js', '.ci'];
const SKIP = [/^test\/fixtures\//, /(^|\/)node_modules\//];
const CODE = /\.(ts|js|mjs|cjs)$|^\.ci\/run$/;

const NODE_IO = ['fs', 'fs/promises', 'child_process', 'net'];
/** Per layer (a path prefix): imports it must not make, as bare names and as repository folders. */
const LAYERS = [
  { layer: 'src/core/', packages: ['vscode', 'dockerode', ...NODE_IO], folders: ['src/adapters/', 'src/extension/', 'src/cli/'] },
  { layer: 'src/adapters/', packages: ['vscode'], folders: ['src/extension/'] },
  { layer: 'src/cli/', packages: ['vscode'], folders: ['src/extension/'] },
];

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;
/** A fixed sleep: a promise resolved by a timer with a literal delay, or a sleep helper called with one. */
const FIXED_SLEEPS = [
  /setTimeout\(\s*[A-Za-z_$][\w$]*\s*,\s*\d[\d_]*\s*\)/,
  /\bsleep\(\s*\d[\d_]*\s*\)/,
];

function bareName(specifier) {
  const name = specifier.replace(/^node:/, '');
  return name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0] === 'fs' ? name : name.split('/')[0];
}

/** Import violations of one file: `rel` is its repository path, `specifiers` what it imports with their lines. */
function layeringProblems(rel, imports) {
  const problems = [];
  for (const { specifier, line } of imports) {
    const target = specifier.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(rel), specifier)) : undefined;
    if (rel.startsWith('webview/')) {
      if (target !== undefined && !target.startsWith('webview/')) problems.push({ line, message: `webview/ imports only webview/ files, not ${target}` });
      else if (target === undefined && (bareName(specifier) === 'vscode' || specifier.startsWith('node:') || NODE_IO.includes(bareName(specifier)))) {
        problems.push({ line, message: `webview/ is a browser bundle and cannot import ${specifier}` });
      }
      continue;
    }
    for (const { layer, packages, folders } of LAYERS) {
      if (!rel.startsWith(layer)) continue;
      if (target === undefined && packages.includes(bareName(specifier))) problems.push({ line, message: `${layer} must not import ${specifier}` });
      const folder = target !== undefined && folders.find((f) => (target + '/').startsWith(f));
      if (folder) problems.push({ line, message: `${layer} must not import from ${folder} (${specifier})` });
    }
  }
  return problems;
}

/** Every violation in one file's text; `rel` is its path from the repository root, with `/`. */
function lintText(rel, text) {
  const problems = [];
  const lines = text.split('\n');
  if (text.length && !text.endsWith('\n')) problems.push({ line: lines.length, message: 'no newline at the end of the file' });
  if (text.endsWith('\n')) lines.pop();
  if (/\.(ts|js)$/.test(rel) && !rel.startsWith('test/fixtures/') && lines.length > MAX_FILE_LINES) {
    problems.push({ line: 1, message: `${lines.length} lines: a source file has at most ${MAX_FILE_LINES}` });
  }
  const isTest = rel.startsWith('test/') && rel !== 'test/support/waitFor.ts';
  const imports = [];
  lines.forEach((l, i) => {
    const line = i + 1;
    if (l.length > MAX_LINE) problems.push({ line, message: `${l.length} characters: a line has at most ${MAX_LINE}` });
    if (/[ \t]+\r?$/.test(l)) problems.push({ line, message: 'trailing whitespace' });
    if (l.includes('\t')) problems.push({ line, message: 'a tab: indent with spaces' });
    if (l.includes('\r')) problems.push({ line, message: 'a carriage return: lines end with LF' });
    if (/eslint-(?:dis|en)able/.test(l)) problems.push({ line, message: 'an ESLint directive: there is no ESLint here' });
    if (isTest && FIXED_SLEEPS.some((re) => re.test(l))) problems.push({ line, message: 'a fixed sleep: wait on a condition (test/support/waitFor.ts)' });
    for (const m of l.matchAll(IMPORT)) imports.push({ specifier: m[2], line });
  });
  problems.push(...layeringProblems(rel, imports));
  return problems.sort((a, b) => a.line - b.line);
}

/** tsconfig.json must keep reporting unused names (tsc does the finding). */
function tsconfigProblems(text) {
  const options = JSON.parse(text).compilerOptions || {};
  return ['noUnusedLocals', 'noUnusedParameters'].filter((k) => options[k] !== true).map((k) => ({ line: 1, message: `compilerOptions.${k} must be true` }));
}

function walk(rel, out) {
  if (SKIP.some((re) => re.test(rel + '/')) || !fs.existsSync(path.join(ROOT, rel))) return;
  const stat = fs.statSync(path.join(ROOT, rel));
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(path.join(ROOT, rel)).sort()) walk(path.posix.join(rel, name), out);
  } else if (CODE.test(rel)) {
    out.push(rel);
  }
}

/** The files to lint: ours, or those under `only` (paths relative to the repository root or absolute). */
function filesToLint(only) {
  const files = [];
  for (const r of ROOTS) walk(r, files);
  if (!only.length) return files;
  const prefixes = only.map((p) => path.relative(ROOT, path.resolve(p)).split(path.sep).join('/'));
  return files.filter((f) => prefixes.some((p) => p === '' || f === p || f.startsWith(p.replace(/\/$/, '') + '/')));
}

function parseArgs(argv) {
  const only = [];
  let types = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') {
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) only.push(argv[++i]);
    } else if (argv[i] === '--types') {
      types = true;
    } else {
      throw new Error(`unknown argument ${argv[i]} (usage: node scripts/lint.js [--only <path> ...] [--types])`);
    }
  }
  return { only, types };
}

/** Lints the repository (or the files under `only`): the problems per file, in path order. */
function lintRepository(only = []) {
  const files = filesToLint(only);
  const byFile = files.map((rel) => ({ rel, problems: lintText(rel, fs.readFileSync(path.join(ROOT, rel), 'utf8')) }));
  byFile.push({ rel: 'tsconfig.json', problems: tsconfigProblems(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')) });
  return byFile;
}

/** Prints each problem as `file:line: message` and a summary line; returns how many there were. */
function printProblems(byFile, ms) {
  let count = 0;
  for (const { rel, problems } of byFile) {
    for (const p of problems) console.log(`${rel}:${p.line}: ${p.message}`);
    count += problems.length;
  }
  console.log(`lint: ${byFile.length} files, ${count} problem${count === 1 ? '' : 's'} (${ms} ms)`);
  return count;
}

function main() {
  const { only, types } = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  let count = printProblems(lintRepository(only), Date.now() - t0);
  if (types) {
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = require('child_process').spawnSync(process.execPath, [tsc, '--noEmit', '-p', ROOT], { stdio: 'inherit' });
    if (r.status !== 0) count++;
  }
  process.exitCode = count ? 1 : 0;
}

module.exports = { lintText, layeringProblems, tsconfigProblems, filesToLint, lintRepository, printProblems, MAX_LINE, MAX_FILE_LINES };

if (require.main === module) main();
