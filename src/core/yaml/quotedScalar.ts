// Quoted scalars on one line, 'single' (with '' for a quote) and "double" (with YAML's escapes), for the fast path.
import { Scalar } from 'yaml';
import { FastScalar } from './fastYamlNodes';
import { BACKSLASH, COLON, COMMA, CR, DQUOTE, LF, RBRACE, RBRACKET, SPACE, SQUOTE, TAB, isRefused } from './yamlChars';

// read once: bundled, a CommonJS package's exports are read through a getter at every use, and this runs per node
const { QUOTE_DOUBLE, QUOTE_SINGLE } = Scalar;

const escapes: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', N: '\u0085', _: '\u00a0',
  L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

/** A quoted scalar on one line at `p`; undefined when it is not one the fast path takes (then `yaml` decides). */
export function quotedScalarAt(s: string, p: number): Scalar | undefined {
  const n = s.length;
  const quote = s.charCodeAt(p);
  let value = '';
  let chunk = p + 1;
  let q = p + 1;
  for (;;) {
    if (q >= n) return undefined;
    const c = s.charCodeAt(q);
    if (c === quote) {
      if (quote === SQUOTE && s.charCodeAt(q + 1) === SQUOTE) {
        value += s.slice(chunk, q + 1);
        q += 2;
        chunk = q;
        continue;
      }
      value += s.slice(chunk, q);
      q++;
      break;
    }
    if (c === BACKSLASH && quote === DQUOTE) {
      value += s.slice(chunk, q);
      const e = s[q + 1] ?? '';
      if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = s.slice(q + 2, q + 2 + len);
        if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) return undefined;
        value += String.fromCodePoint(code);
        q += 2 + len;
      } else {
        const r = escapes[e];
        if (r === undefined) return undefined;
        value += r;
        q += 2;
      }
      chunk = q;
      continue;
    }
    if (c !== TAB && isRefused(c)) return undefined;
    q++;
  }
  const end = q;
  const d = end < n ? s.charCodeAt(end) : LF;
  // `"a"b` or `"a"#c` is an error for `yaml`: let it say so
  if (!(d === SPACE || d === LF || d === CR || d === COLON || d === COMMA || d === RBRACKET || d === RBRACE)) return undefined;
  return new FastScalar(value, quote === DQUOTE ? QUOTE_DOUBLE : QUOTE_SINGLE, value, p, end);
}
