// Seeded randomness and the mutations the fuzz test makes of real dumps: what a bad copy, a cut-off transfer or a
// hostile file does to text.
import { seededRandom } from '../../support/seededRandom';

export { seededRandom };

export type Mutation = 'byte-flip' | 'line-drop' | 'line-duplicate' | 'truncate' | 'line-swap' | 'json-shape';

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
/** Characters that mean something to the parsers, and some that mean nothing. */
const alphabet = ['-', ':', '*', '[', ']', '{', '}', '"', '\\', ' ', '\t', '\r', '\n', '#', '!', ';', ',', '/', '0', '9', 'A', 'z', '\u0000', '\ufffd', 'é'];

/** One text mutation of `text`; lines are split on '\n'. */
export function mutateText(text: string, mutation: Exclude<Mutation, 'json-shape'>, random: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(random() * lines.length);
  switch (mutation) {
    case 'byte-flip': {
      const chars = [...text];
      const flips = 1 + Math.floor(random() * 8);
      for (let k = 0; k < flips && chars.length; k++) chars[Math.floor(random() * chars.length)] = random() < 0.5 ? pick(random, alphabet)
        : String.fromCharCode(Math.floor(random() * 0x3000));
      return chars.join('');
    }
    case 'line-drop':
      lines.splice(at, 1 + Math.floor(random() * 3));
      return lines.join('\n');
    case 'line-duplicate': {
      const copies = 1 + Math.floor(random() * (random() < 0.1 ? 200 : 3));
      lines.splice(at, 0, ...Array<string>(copies).fill(lines[at] ?? ''));
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, Math.floor(random() * text.length));
    case 'line-swap': {
      const other = Math.floor(random() * lines.length);
      [lines[at], lines[other]] = [lines[other]!, lines[at]!];
      return lines.join('\n');
    }
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A random JSON value of the kinds nft's JSON holds, nested up to `depth`. */
function randomJson(random: () => number, depth: number): Json {
  const r = random();
  if (depth <= 0 || r < 0.3) return pick(random, [null, true, 0, -1, 65536, 1e300, '', 'accept', 'docker0', '@set', '{ 1, 2 }']);
  if (r < 0.6) return Array.from({ length: Math.floor(random() * 3) }, () => randomJson(random, depth - 1));
  const key = pick(random,
    ['match', 'left', 'right', 'payload', 'meta', 'set', 'range', 'prefix', 'concat', 'jump', 'target', 'elem', 'xt', 'vmap', 'data', 'key']);
  return { [key]: randomJson(random, depth - 1) };
}

/** Changes one value somewhere in a parsed JSON document: another type, a removed key, a deep nest. */
export function mutateJson(text: string, random: () => number): string {
  const doc = JSON.parse(text) as Json;
  const containers: Array<Json[] | { [key: string]: Json }> = [];
  const stack: Json[] = [doc];
  while (stack.length) {
    const v = stack.pop()!;
    if (v && typeof v === 'object') {
      containers.push(v);
      for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push(x);
    }
  }
  const changes = 1 + Math.floor(random() * 4);
  for (let k = 0; k < changes; k++) {
    const c = pick(random, containers);
    const keys = Array.isArray(c) ? c.map((_, i) => i) : Object.keys(c);
    if (!keys.length) continue;
    const key = pick(random, keys as Array<string | number>);
    const r = random();
    const value: Json = r < 0.1 ? nest(random) : randomJson(random, 3);
    if (r > 0.85 && !Array.isArray(c)) { delete c[key as string]; continue; }
    if (Array.isArray(c)) c[key as number] = value; else c[key as string] = value;
  }
  return JSON.stringify(doc);
}

/** An expression nested a few hundred levels deep (its text is built, not stringified: that recurses). */
function nest(random: () => number): Json {
  let v: Json = 80;
  const depth = 100 + Math.floor(random() * 400);
  for (let i = 0; i < depth; i++) v = random() < 0.5 ? { set: [v] } : { concat: [v] };
  return v;
}
