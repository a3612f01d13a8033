// scripts/lint.js on small inline samples: each rule finds what it is for and leaves clean code alone. Samples that
// would trip the linter on this very file are built from pieces.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

interface Problem { line: number; message: string }
interface Lint {
  lintText(rel: string, text: string): Problem[];
  tsconfigProblems(text: string): Problem[];
  filesToLint(only: string[]): string[];
  MAX_LINE: number;
  MAX_FILE_LINES: number;
}
// a CommonJS script of the build, not a typed module: bundled into this test by esbuild
const lint = require('../../../scripts/lint') as Lint;

const messages = (rel: string, text: string): string[] => lint.lintText(rel, text).map((p) => `${p.line}: ${p.message}`);

describe('lint: text', () => {
  it('accepts clean code', () => {
    assert.deepEqual(messages('src/core/x.ts', "import { a } from './a';\nexport const b = a + 1;\n"), []);
  });
  it('finds long lines, trailing whitespace, tabs, carriage returns and a missing final newline', () => {
    const text = `const a = '${'x'.repeat(lint.MAX_LINE)}';\nconst b = 1;  \n\tconst c = 2;\nconst d = 3;\r\nconst e = 4;`;
    assert.deepEqual(messages('src/core/x.ts', text), [
      `1: ${lint.MAX_LINE + 13} characters: a line has at most ${lint.MAX_LINE}`,
      '2: trailing whitespace',
      '3: a tab: indent with spaces',
      '4: a carriage return: lines end with LF',
      '5: no newline at the end of the file',
    ]);
  });
  it('accepts a line of exactly the maximum width', () => {
    assert.deepEqual(messages('src/core/x.ts', `${'x'.repeat(lint.MAX_LINE)}\n`), []);
  });
  it('finds ESLint directives', () => {
    assert.deepEqual(messages('src/cli/x.ts', `// eslint${'-disable'}-next-line no-control-regex\nconst a = 1;\n`),
      ['1: an ESLint directive: there is no ESLint here']);
  });
  it('finds a source file over the maximum length, and not one at it', () => {
    assert.deepEqual(messages('webview/x.ts', 'a;\n'.repeat(lint.MAX_FILE_LINES)), []);
    assert.deepEqual(messages('webview/x.ts', 'a;\n'.repeat(lint.MAX_FILE_LINES + 1)),
      [`1: ${lint.MAX_FILE_LINES + 1} lines: a source file has at most ${lint.MAX_FILE_LINES}`]);
  });
});

describe('lint: layering', () => {
  it('keeps src/core pure', () => {
    const text = [
      "import * as vscode from 'vscode';",
      "import * as fs from 'node:fs';",
      "import { readFile } from 'fs/promises';",
      "const cp = require('child_process');",
      "import type Docker from 'dockerode';",
      "import { x } from '../../adapters/dockerClient';",
      "import { y } from '../../extension/views';",
      "const z = await import('../../cli/main');",
      "import { parse } from 'yaml';",
      "import { createHash } from 'node:crypto';",
      "import { w } from '../firewall/addresses';",
      '',
    ].join('\n');
    assert.deepEqual(messages('src/core/compose/x.ts', text), [
      '1: src/core/ must not import vscode',
      '2: src/core/ must not import node:fs',
      '3: src/core/ must not import fs/promises',
      '4: src/core/ must not import child_process',
      '5: src/core/ must not import dockerode',
      '6: src/core/ must not import from src/adapters/ (../../adapters/dockerClient)',
      '7: src/core/ must not import from src/extension/ (../../extension/views)',
      '8: src/core/ must not import from src/cli/ (../../cli/main)',
    ]);
  });
  it('keeps vscode and the extension out of the adapters and the CLI', () => {
    const text = "import * as vscode from 'vscode';\nimport { a } from '../extension/views';\nimport { b } from '../core/engine/model';\n";
    assert.deepEqual(messages('src/adapters/x.ts', text), [
      '1: src/adapters/ must not import vscode',
      '2: src/adapters/ must not import from src/extension/ (../extension/views)',
    ]);
    assert.deepEqual(messages('src/cli/x.ts', text), [
      '1: src/cli/ must not import vscode',
      '2: src/cli/ must not import from src/extension/ (../extension/views)',
    ]);
    assert.deepEqual(messages('src/extension/x.ts', text), []);
  });
  it('keeps webview/ to its own files and the browser', () => {
    const text = "import { a } from './protocol';\nimport { b } from '../src/core/engine/model';\n"
      + "import '@vscode-elements/elements/dist/vscode-button/index.js';\nimport * as fs from 'node:fs';\n";
    assert.deepEqual(messages('webview/x.ts', text), [
      '2: webview/ imports only webview/ files, not src/core/engine/model',
      '4: webview/ is a browser bundle and cannot import node:fs',
    ]);
  });
});

describe('lint: tests', () => {
  it('finds fixed sleeps in tests, not waits on a condition', () => {
    const text = [
      `await new Promise((r) => setTimeout(r, ${150}));`,
      `await sleep(${20});`,
      "await waitFor('the helper to start', () => started);",
      'await sleep(delay);',
      'setTimeout(() => reject(new Error(\'late\')), timeoutMs);',
      '',
    ].join('\n');
    const sleep = 'a fixed sleep: wait on a condition (test/support/waitFor.ts)';
    assert.deepEqual(messages('test/unit/x.test.ts', text), [`1: ${sleep}`, `2: ${sleep}`]);
    assert.deepEqual(messages('test/support/waitFor.ts', text), [], 'the poll interval of waitFor itself');
    assert.deepEqual(messages('scripts/x.js', text), [], 'only tests');
  });
});

describe('lint: configuration and files', () => {
  it('requires tsconfig to report unused names', () => {
    assert.deepEqual(lint.tsconfigProblems('{"compilerOptions":{"noUnusedLocals":true,"noUnusedParameters":true}}'), []);
    assert.deepEqual(lint.tsconfigProblems('{"compilerOptions":{"noUnusedLocals":true}}').map((p) => p.message),
      ['compilerOptions.noUnusedParameters must be true']);
  });
  it('lints our code, not the fixtures, and --only narrows it', () => {
    const all = lint.filesToLint([]);
    assert.ok(all.includes('scripts/lint.js') && all.includes('esbuild.js') && all.some((f) => f.startsWith('src/core/')), 'our code is linted');
    assert.ok(!all.some((f) => f.startsWith('test/fixtures/') || f.includes('node_modules')), 'fixtures are others\' files');
    const only = lint.filesToLint(['src/cli', 'scripts/lint.js']);
    assert.ok(only.length > 1 && only.every((f) => f.startsWith('src/cli/') || f === 'scripts/lint.js'), only.join(', '));
  });
});
