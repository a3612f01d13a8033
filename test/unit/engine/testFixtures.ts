// Fixture readers for the engine unit tests (compiled to out/test/unit/engine/, four levels below the repository).
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '../../../..');

export function engineFixture(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/engine', name), 'utf8'));
}

export function engineFixtureLines(name: string): unknown[] {
  return fs.readFileSync(path.join(root, 'test/fixtures/engine', name), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

export function corpusInspect(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(root, '../shared/corpus/inspect', name), 'utf8'));
}
