// Seeded fuzzing of each firewall parser: mutations of the corpus and the engine fixtures (byte flips, dropped,
// duplicated and swapped lines, truncation; for nft JSON also changed values and deep nests). Every input must parse
// without throwing, give work linear in its size (rules and problems at most its lines, a trace within MAX_STEPS),
// and every problem it reports must carry a line. A failure names the seed: FUZZ_SEED=<seed> runs that input first.
// Time is bounded by the test's timeout (a hang fails it), not asserted per input: the slowest is only printed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { parseFirewall, traceConnection } from '../../../src/core/firewall';
import { MAX_STEPS } from '../../../src/core/firewall/trace';
import { corpusPath, fixturePath } from '../../paths';
import { mutateJson, mutateText, seededRandom, type Mutation } from './fuzzInputs';

const BASE_SEED = 20261203;
/** Inputs per parser: about a second each here. */
const INPUTS_PER_PARSER = 400;

const corpusDir = corpusPath('firewall');
const fixturesDir = fixturePath('firewall');
const files = (dir: string, test: (f: string) => boolean) => fs.readdirSync(dir).filter(test).sort().map((f) => fs.readFileSync(`${dir}/${f}`, 'utf8'));

const parsers: Array<{ name: string; sources: string[]; json?: boolean }> = [
  { name: 'iptables-save', sources: files(fixturesDir, (f) => /iptables-save/.test(f)) },
  { name: 'iptables -S', sources: [...files(corpusDir, (f) => /-S[.-]/.test(f)), ...files(fixturesDir, (f) => /-S\.txt$/.test(f))] },
  { name: 'iptables -nvL', sources: [...files(corpusDir, (f) => /nvL/.test(f)), ...files(fixturesDir, (f) => /nvL/.test(f))] },
  { name: 'nft text', sources: [...files(corpusDir, (f) => /nft/.test(f)), ...files(fixturesDir, (f) => /nft-ruleset|relisted/.test(f))] },
  { name: 'nft JSON', sources: files(fixturesDir, (f) => /nft\.json$/.test(f)), json: true },
];
const textMutations: Array<Exclude<Mutation, 'json-shape'>> = ['byte-flip', 'line-drop', 'line-duplicate', 'truncate', 'line-swap'];

function check(input: string, what: string): void {
  const lines = input.split('\n').length;
  const r = parseFirewall(input);
  assert.ok(r.ruleCount >= 0, what);
  for (const d of r.diagnostics) {
    assert.ok(Number.isInteger(d.line) && d.line >= 1, `${what}: problem without a line: ${JSON.stringify(d)}`);
    // nft JSON's rule problems are at lines of the text it converts to, which may have more lines than the JSON
    if (!r.formats.includes('nft-json')) assert.ok(d.line <= lines, `${what}: line ${d.line} of ${lines}: ${d.message}`);
  }
  if (!r.formats.includes('nft-json')) assert.ok(r.ruleCount + r.diagnostics.length <= 2 * lines,
    `${what}: ${r.ruleCount} rules, ${r.diagnostics.length} problems for ${lines} lines`);
  for (const t of r.tables) for (const c of t.chains) for (const rule of c.rules) void rule.matches, void rule.owner;
  const trace = traceConnection(r, { protocol: 'tcp', port: 18080, from: 'outside' });
  assert.ok(trace.steps.length <= MAX_STEPS + 16, `${what}: ${trace.steps.length} steps`);
}

describe('fuzzing the firewall parsers (seeded)', () => {
  const only = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  for (const [p, parser] of parsers.entries()) {
    it(`${parser.name}: ${INPUTS_PER_PARSER} mutations of ${parser.sources.length} real dumps`, { timeout: 120_000 }, (t) => {
      assert.ok(parser.sources.length >= 3, `sources for ${parser.name}`);
      let slowest = { ms: 0, seed: 0 };
      const seeds = Array.from({ length: INPUTS_PER_PARSER }, (_, i) => BASE_SEED + p * 100_000 + i);
      for (const seed of only !== undefined ? [only, ...seeds] : seeds) {
        const random = seededRandom(seed);
        const source = parser.sources[Math.floor(random() * parser.sources.length)]!;
        const mutation = parser.json && random() < 0.5 ? 'json-shape' : textMutations[Math.floor(random() * textMutations.length)]!;
        const what = `${parser.name}, seed ${seed} (${mutation}; FUZZ_SEED=${seed} runs it first)`;
        let input: string;
        try {
          input = mutation === 'json-shape' ? mutateJson(source, random) : mutateText(source, mutation, random);
        } catch (e) {
          assert.fail(`${what}: making the input threw: ${(e as Error).message}`);
        }
        const start = performance.now();
        try {
          check(input, what);
        } catch (e) {
          if (e instanceof assert.AssertionError) throw e;
          assert.fail(`${what}: threw ${(e as Error).stack}`);
        }
        const ms = performance.now() - start;
        if (ms > slowest.ms) slowest = { ms, seed };
      }
      t.diagnostic(`slowest input: ${slowest.ms.toFixed(1)} ms (seed ${slowest.seed})`);
    });
  }
});
