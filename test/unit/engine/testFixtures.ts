// Fixture readers for the engine unit tests.
import * as fs from 'node:fs';
import { corpusPath, fixturePath } from '../../paths';

export function engineFixture(name: string): unknown {
  return JSON.parse(fs.readFileSync(fixturePath('engine', name), 'utf8'));
}

export function engineFixtureLines(name: string): unknown[] {
  return fs.readFileSync(fixturePath('engine', name), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

export function corpusInspect(name: string): unknown {
  return JSON.parse(fs.readFileSync(corpusPath('inspect', name), 'utf8'));
}
