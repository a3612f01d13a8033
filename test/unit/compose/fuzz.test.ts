// Seeded fuzzing of the compose reader: mutations of the real-world compose files (byte flips, dropped, duplicated and
// swapped lines, truncation) and YAML- and interpolation-shaped ones (indents shifted, anchors, aliases and merge keys
// dropped in, `${`/`}`/`:-`/`$$` fragments). Every input must be analysed without throwing, in both YAML paths, with
// every finding inside the file, findings linear in its size, and lenses and hovers that do not throw; the
// interpolation alone gets random fragment strings. A failure names its seed: FUZZ_SEED=<seed> runs that input first.
// Time is bounded by the test's timeout (a hang or an exponential case fails it), not asserted per input.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeComposeText } from '../../../src/core/compose/analyzeCompose';
import { portHoverAt } from '../../../src/core/compose/present/hovers';
import { portsLenses } from '../../../src/core/compose/present/lenses';
import { interpolate } from '../../../src/core/compose/interpolate';
import { withYamlParser } from '../../../src/core/yaml';
import { corpusPath } from '../../paths';
import { seededRandom } from '../../support/seededRandom';
import { mutateText } from '../firewall/fuzzInputs';

const BASE_SEED = 20261204;
const INPUTS = 300;
const corpusDir = corpusPath('compose');
const sources = fs.readdirSync(corpusDir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => fs.readFileSync(`${corpusDir}/${f}`, 'utf8'));
const fragments = ['${', '}', ':-', '-', ':?', '?', '$$', '$', '${A', '${A:-${B', '{', '<<: *a', '&a ', '*a', '- ', ': ', '"', "'", '\t', '#'];

/** A YAML- or interpolation-shaped change at a random line: what a hand edit half done, or a hostile file, does. */
function mutateYaml(text: string, random: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(random() * lines.length);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  switch (Math.floor(random() * 4)) {
    case 0: lines[at] = ' '.repeat(Math.floor(random() * 6)) + lines[at]!.trimStart(); break;
    case 1: lines[at] = `${lines[at]} ${pick(fragments)}${pick(fragments)}`; break;
    case 2: lines.splice(at, 0, `${lines[at]!.match(/^\s*/)![0]}x-${at}: &a${at % 3 === 0 ? '' : ` {<<: [*a, *a]}`}`); break;
    default: {
      const pos = Math.floor(random() * (lines[at]!.length + 1));
      lines[at] = lines[at]!.slice(0, pos) + pick(fragments) + lines[at]!.slice(pos);
    }
  }
  return lines.join('\n');
}

function check(input: string, what: string): void {
  const lines = input.split('\n').length;
  for (const parser of ['auto', 'yaml'] as const) {
    const analysis = withYamlParser(parser, () => analyzeComposeText(input, 'compose.yaml', { env: { A: '1' } }));
    for (const f of analysis.findings) {
      assert.ok(f.range.start >= 0 && f.range.start <= f.range.end && f.range.end <= input.length,
        `${what} (${parser}): ${f.code} outside the file: ${JSON.stringify(f.range)}`);
    }
    assert.ok(analysis.findings.length <= 4 * lines + 10, `${what} (${parser}): ${analysis.findings.length} findings for ${lines} lines`);
    portsLenses(analysis, 'compose.yaml');
    for (let offset = 0; offset < input.length; offset += 997) portHoverAt(analysis, 'compose.yaml', offset);
  }
}

describe('fuzzing the compose reader (seeded)', () => {
  const only = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  it(`${INPUTS} mutations of ${sources.length} real compose files, on both YAML paths`, { timeout: 180_000 }, () => {
    assert.ok(sources.length >= 10, 'corpus compose files');
    const seeds = Array.from({ length: INPUTS }, (_, i) => BASE_SEED + i);
    for (const seed of only !== undefined ? [only, ...seeds] : seeds) {
      const random = seededRandom(seed);
      const source = sources[Math.floor(random() * sources.length)]!;
      const yamlShaped = random() < 0.5;
      const mutations = ['byte-flip', 'line-drop', 'line-duplicate', 'truncate', 'line-swap'] as const;
      const input = yamlShaped ? mutateYaml(source, random) : mutateText(source, mutations[Math.floor(random() * mutations.length)]!, random);
      const what = `seed ${seed} (${yamlShaped ? 'yaml-shaped' : 'text'}; FUZZ_SEED=${seed} runs it first)`;
      try {
        check(input, what);
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        assert.fail(`${what}: threw ${(e as Error).stack}`);
      }
    }
  });

  it('interpolation: 3,000 random strings of `${`, `}`, `:-`, `:?`, `$$` and names neither throw nor lose text', () => {
    for (let i = 0; i < 3000; i++) {
      const seed = BASE_SEED + 1_000_000 + i;
      const random = seededRandom(seed);
      const text = Array.from({ length: 1 + Math.floor(random() * 40) }, () => fragments[Math.floor(random() * 8)]!).join('');
      let r;
      try {
        r = interpolate(text, { A: 'x', B: '' });
      } catch (e) {
        assert.fail(`seed ${seed}: interpolate(${JSON.stringify(text)}) threw ${(e as Error).message}`);
      }
      assert.equal(typeof r.value, 'string', `seed ${seed}`);
      assert.ok(r.value.length <= text.length * 2 + 8, `seed ${seed}: ${JSON.stringify(text)} → ${r.value.length} characters`);
    }
  });
});
