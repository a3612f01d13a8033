// Where the tests' files are. Test bundles land at different depths under out/ (out/test/unit/<area>/,
// out/test/integration/), so the repository root is found by walking up to our package.json, not by counting "..".
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'docker-network-doctor') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no docker-network-doctor package.json above ${from}`);
  }
}

export const repoRoot = findRepoRoot(__dirname);

/** A path under test/fixtures/. */
export const fixturePath = (...parts: string[]): string => path.join(repoRoot, 'test', 'fixtures', ...parts);

/** A path under test/fixtures/corpus/: real-world files written by others, with their origin in SOURCES.tsv. */
export const corpusPath = (...parts: string[]): string => fixturePath('corpus', ...parts);
