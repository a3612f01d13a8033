// Plain scalars resolved as `yaml` resolves them with the YAML 1.2 core schema: null, bools, ints (decimal, 0o, 0x),
// floats, .inf/.nan, and strings otherwise, with the same format and minFractionDigits.
import { Scalar } from 'yaml';
import { FastScalar } from './fastYamlNodes';

// read once: bundled, a CommonJS package's exports are read through a getter at every use, and this runs per node
const PLAIN = Scalar.PLAIN;
const DASH = 45;
const DOT = 46;

export /** A plain scalar resolved as the YAML 1.2 core schema does in `yaml` (same tests, same order, same functions). */
function plainScalar(text: string, start: number, end: number): Scalar {
  let value: unknown = text;
  let format: string | undefined;
  let minFractionDigits: number | undefined;
  const c = text.charCodeAt(0);
  // only texts starting like a number, a null, a bool or .inf/.nan can resolve to something else than a string
  if ((c >= 48 && c <= 57) || c === 43 || c === DASH || c === DOT || c === 126 || c === 110 || c === 78 || c === 116
    || c === 84 || c === 102 || c === 70 || text === '') {
    if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) value = null;
    else if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) value = text[0] === 't' || text[0] === 'T';
    else if (/^0o[0-7]+$/.test(text)) { value = parseInt(text.substring(2), 8); format = 'OCT'; }
    else if (/^[-+]?[0-9]+$/.test(text)) value = parseInt(text, 10);
    else if (/^0x[0-9a-fA-F]+$/.test(text)) { value = parseInt(text.substring(2), 16); format = 'HEX'; }
    else if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
      value = text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    } else if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text)) { value = parseFloat(text); format = 'EXP'; }
    else if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) {
      value = parseFloat(text);
      const dot = text.indexOf('.');
      if (dot !== -1 && text[text.length - 1] === '0') minFractionDigits = text.length - dot - 1;
    }
  }
  const node = new FastScalar(value, PLAIN, text, start, end);
  if (format) node.format = format;
  if (minFractionDigits !== undefined) node.minFractionDigits = minFractionDigits;
  return node;
}
