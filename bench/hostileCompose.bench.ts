// Hostile compose input that was super-linear (test/unit/compose/hostileInput.test.ts has the repros): each figure is
// the analysis time of the hostile input as a ratio against a linear floor measured in the same run, a plain input of
// the same size. A ratio near 1 that stays near 1 when the input grows is linear; before the fixes these took seconds
// to minutes (a 56-byte self merge 37 s, eight levels of nine merges 5.7 s, 40,000 anchors 13 s, a 3,000-service
// extends chain 7-13 s, 500 services on one port 124,750 findings, `A=x` + 100,000 spaces + `y` in .env 9-14 s).
import { analyzeComposeText } from '../src/core/compose';
import { parseDotEnv } from '../src/core/compose/dotEnv';
import { interpolate } from '../src/core/compose/interpolate';
import type { BenchContext } from './util';
import { round, timeMs } from './util';

interface Row {
  size: string;
  hostileMs: number;
  floorMs: number;
  ratio: number;
}

function compare(size: string, hostile: () => unknown, floor: () => unknown, runs = 11): Row {
  // interleaved warm-up (the first inputs are tiny: JIT warm-up would be most of their time), then each timed: the
  // floor is measured in the same process and moment as what it bounds
  for (let i = 0; i < 3; i++) { hostile(); floor(); }
  const floorMs = timeMs(floor, { runs, warmup: 1 });
  const hostileMs = timeMs(hostile, { runs, warmup: 1 });
  return { size, hostileMs, floorMs, ratio: round(hostileMs / Math.max(floorMs, 0.001), 2) };
}

const analyze = (text: string) => () => analyzeComposeText(text, 'c.yaml', { env: {} });

/** `levels` maps, each merging the one below `fanOut` times; the floor merges it once. */
function mergeLevels(levels: number, fanOut: number): string {
  const lines = ['x-l0: &l0 {image: nginx, network_mode: host}'];
  for (let i = 1; i <= levels; i++) lines.push(`x-l${i}: &l${i} {<<: [${Array(fanOut).fill(`*l${i - 1}`).join(',')}], k${i}: v}`);
  lines.push('services:', '  web:', `    <<: *l${levels}`);
  return `${lines.join('\n')}\n`;
}

/** `n` services on one host port (every one clashes with every other), or (the floor) each on a port of its own,
 *  written twice: also a finding per service, so both sides write as many findings. */
function servicesOnPorts(n: number, samePort: boolean): string {
  const lines = ['services:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  s${i}:`, '    image: x', samePort ? '    ports: ["8080:80", "9000"]' : `    ports: ["${10000 + i}:80", "${10000 + i}:81"]`);
  }
  return `${lines.join('\n')}\n`;
}

/** `n` anchored values and a port list of `n` aliases to them; the floor writes the values out. */
function anchorsAndAliases(n: number, aliases: boolean): string {
  const lines = ['x-a:'];
  for (let i = 0; i < n; i++) lines.push(aliases ? `  k${i}: &a${i} "${10000 + (i % 50000)}"` : `  k${i}: "${10000 + (i % 50000)}"`);
  lines.push('services:', '  web:', '    image: x', '    expose:');
  for (let i = 0; i < n; i++) lines.push(aliases ? `      - *a${i}` : `      - "${10000 + (i % 50000)}"`);
  return `${lines.join('\n')}\n`;
}

/** `n` services, each extending the one before (a chain), or each extending the first (the floor); each sets its
 *  own image (a list added per link would make the chain's own result quadratic: service i would hold i entries). */
function extendsChain(n: number, chained: boolean): string {
  const lines = ['services:', '  s0:', '    image: base', '    ports: ["8080:80"]'];
  for (let i = 1; i < n; i++) lines.push(`  s${i}:`, `    extends: s${chained ? i - 1 : 0}`, `    image: app-${i}`);
  return `${lines.join('\n')}\n`;
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const noConflicts = { severities: { 'host-port-conflict': 'off' as const } };
  // the hostile text is longer (nine aliases a level): about 1.5x its floor's parse alone
  out.mergeFanOut = [6, 8].map((levels) => compare(`${levels} levels × 9 merges (floor: × 1)`,
    analyze(mergeLevels(levels, 9)), analyze(mergeLevels(levels, 1)), 31));
  out.selfMerge = compare('56-byte self merge (floor: plain map)',
    analyze('services:\n  web: &w\n    image: nginx\n    <<: [*w,*w,*w]\n'), analyze('services:\n  web: &w\n    image: nginx\n    x: [a,b,c]\n'), 15);
  out.hostPortConflicts = [500, 2000, 8000].map((n) => compare(`${n} services on one port (floor: one port each, written twice)`,
    analyze(servicesOnPorts(n, true)), analyze(servicesOnPorts(n, false))));
  out.anchors = [10000, 40000].map((n) => compare(`${n} anchors and aliases (floor: values written out)`,
    analyze(anchorsAndAliases(n, true)), analyze(anchorsAndAliases(n, false))));
  out.extendsChain = [1000, 3000, 10000].map((n) => compare(`${n}-service extends chain (floor: all extend the first)`,
    () => analyzeComposeText(extendsChain(n, true), 'c.yaml', noConflicts), () => analyzeComposeText(extendsChain(n, false), 'c.yaml', noConflicts)));
  const spaces = ' '.repeat(100000);
  out.dotEnvSpaces = compare('A=x + 100,000 spaces + y (floor: 100,000 letters)',
    () => parseDotEnv(`A=x${spaces}y\n`), () => parseDotEnv(`A=x${'z'.repeat(100000)}y\n`), 15);
  const nested = `${'${A:-'.repeat(60)}8080${'}'.repeat(60)}`;
  const sequential = '${A:-x}'.repeat(Math.ceil(nested.length / 7));
  out.nestedInterpolation = compare('60 nested ${A:-…} (floor: sequential ones, same length)',
    () => { for (let i = 0; i < 200; i++) interpolate(nested, {}); }, () => { for (let i = 0; i < 200; i++) interpolate(sequential, {}); }, 15);
  for (const [name, v] of Object.entries(out)) {
    for (const row of Array.isArray(v) ? v as Row[]
      : [v as Row]) ctx.log(`hostileCompose ${name}: ${row.size}: ${row.hostileMs} ms vs ${row.floorMs} ms, ratio ${row.ratio}`);
  }
  return out;
}
