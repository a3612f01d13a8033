// SARIF 2.1.0 for `check --format sarif`, valid by Microsoft's SARIF validator (test/unit/cli/sarif.test.ts runs it):
// links only where they are absolute and real (a README on GitHub when package.json names a GitHub repository), the
// tool's version, and each rule's help as text.
import * as path from 'node:path';
import { findingCodes, findingSummaries, type Finding, type FindingCode } from '../core/compose';
import type { LineIndex } from './lineColumn';

// put in by esbuild (`define`) from package.json at build time; the repository URL is '' unless it is a real one
declare const DND_VERSION: string;
declare const DND_REPOSITORY_URL: string;

/** `https://github.com/o/r` for a GitHub repository URL in any of npm's spellings; undefined otherwise. */
export function githubRepository(url: string): string | undefined {
  const m = /^(?:git\+)?(?:https?|ssh|git):\/\/(?:git@)?github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url.trim())
    ?? /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(url.trim());
  return m ? `https://github.com/${m[1]}/${m[2]}` : undefined;
}

const sarifLevel = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

/** Where the README explains a code, as an absolute URL, when the repository is a real GitHub one. */
function helpUri(code: FindingCode): string | undefined {
  const repo = githubRepository(DND_REPOSITORY_URL);
  return repo ? `${repo}/blob/HEAD/README.md#${code}` : undefined;
}

export function toSarif(findings: readonly Finding[], lineIndex: (file: string) => LineIndex) {
  const repo = githubRepository(DND_REPOSITORY_URL);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'docker-network-doctor',
          version: DND_VERSION,
          semanticVersion: DND_VERSION,
          ...(repo ? { informationUri: repo } : {}),
          rules: findingCodes.map((id) => {
            const uri = helpUri(id);
            return {
              id,
              shortDescription: { text: `${id.replace(/-/g, ' ')}.` },
              fullDescription: { text: findingSummaries[id] },
              help: { text: findingSummaries[id] },
              ...(uri ? { helpUri: uri } : {}),
            };
          }),
        },
      },
      results: findings.map((f) => {
        const index = lineIndex(f.range.file);
        const start = index.at(f.range.start);
        const end = index.at(f.range.end);
        return {
          ruleId: f.code,
          ruleIndex: findingCodes.indexOf(f.code),
          level: sarifLevel[f.severity],
          message: { text: f.message },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri: fileUri(f.range.file) },
              region: {
                startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column,
                charOffset: f.range.start, charLength: f.range.end - f.range.start,
              },
            },
          }],
        };
      }),
    }],
  };
}

/** A relative reference for a relative name (what code-scanning tools resolve against the checkout), a file: URI
 *  for an absolute one; characters a URI cannot hold are percent-encoded. */
function fileUri(fileName: string): string {
  const slashed = fileName.split(path.sep).join('/');
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  return path.isAbsolute(fileName) ? `file://${encoded.startsWith('/') ? '' : '/'}${encoded}` : encoded;
}
