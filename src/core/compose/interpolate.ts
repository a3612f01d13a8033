// Variable interpolation as docker compose does it: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
// `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}` and `$$` for a literal `$`. Values come from an env map the
// caller builds (the project's `.env` and the process environment). Nothing is guessed: a variable without a value
// and without a default is reported as unresolved.

export type Env = Readonly<Record<string, string | undefined>>;

export interface DefaultUsed {
  name: string;
  value: string;
}

export interface Interpolated {
  /** The text as compose would produce it (an unresolved variable becomes the empty string, as compose does). */
  value: string;
  /** Variables with no value and no default: `value` is not what will run. */
  unresolved: string[];
  /** Defaults that were used because the variable is unset (or empty, for `:-`). */
  defaultsUsed: DefaultUsed[];
  /** `${VAR:?message}` / `${VAR?message}` that fire: compose refuses the file. */
  required: { name: string; message: string }[];
  /** Malformed syntax, e.g. an unterminated `${`. */
  errors: string[];
}

/** Sticky: matched where lastIndex is, with no slice of the rest per variable. */
const namePattern = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Shared by every result without variables (most scalars): frozen, so a caller that pushed would fail loudly. */
const none = Object.freeze([]) as unknown as never[];

/** The defaultsUsed of a text without variables (what interpolate returns for it). */
export const noDefaultsUsed: DefaultUsed[] = none;

/** Interpolation nested deeper than this (`${A:-${B:-…}}`) is an error, not a stack overflow: no compose file needs
 *  more than a few levels. */
export const maxInterpolationDepth = 64;

export function interpolate(text: string, env: Env): Interpolated {
  // most scalars hold no `$`: no arrays to allocate for them (the stress file has tens of thousands)
  if (!text.includes('$')) return { value: text, unresolved: none, defaultsUsed: none, required: none, errors: none };
  const out: Interpolated = { value: '', unresolved: [], defaultsUsed: [], required: [], errors: [] };
  const closes = matchingBraces(text);
  if (closes === undefined) {
    out.errors.push(`interpolation nested deeper than ${maxInterpolationDepth} levels`);
    return out;
  }
  out.value = expand(text, 0, text.length, env, out, closes);
  return out;
}

/** Expands text[from, to). `closes` maps each `${`'s `$` to its `}` (matchingBraces). */
function expand(text: string, from: number, to: number, env: Env, out: Interpolated, closes: Map<number, number>): string {
  let result = '';
  let i = from;
  while (i < to) {
    const found = text.indexOf('$', i);
    const dollar = found < 0 || found >= to ? -1 : found;
    if (dollar < 0) { result += text.slice(i, to); break; }
    result += text.slice(i, dollar);
    const next = dollar + 1 < to ? text[dollar + 1] : undefined;
    if (next === '$') { result += '$'; i = dollar + 2; continue; }
    if (next === '{') {
      const close = closes.get(dollar);
      if (close === undefined || close >= to) {
        out.errors.push(`unterminated "\${" at ${dollar}`);
        result += text.slice(dollar, to);
        break;
      }
      result += expandBraced(text, dollar + 2, close, env, out, closes);
      i = close + 1;
      continue;
    }
    const name = nameAt(text, dollar + 1, to);
    if (!name) { result += '$'; i = dollar + 1; continue; }
    result += lookup(name, env, out);
    i = dollar + 1 + name.length;
  }
  return result;
}

/**
 * Where each `${` closes, in one pass over the text (a scan from every `${` to its `}` was quadratic in nested
 * interpolation): `$` of the opening -> index of its `}`; unclosed ones are absent. Undefined when the nesting is
 * deeper than maxInterpolationDepth.
 */
function matchingBraces(text: string): Map<number, number> | undefined {
  const closes = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 36 /* $ */ && text.charCodeAt(i + 1) === 123 /* { */) {
      if (open.length >= maxInterpolationDepth) return undefined;
      open.push(i);
      i++;
    } else if (c === 125 /* } */ && open.length) closes.set(open.pop()!, i);
  }
  return closes;
}

function nameAt(text: string, from: number, to: number): string | undefined {
  namePattern.lastIndex = from;
  const name = namePattern.exec(text)?.[0];
  // a name never reaches `to` (a `}` or the text's end), but stay inside the body regardless
  return name !== undefined && from + name.length > to ? text.slice(from, to) || undefined : name;
}

/** The variable's value: own properties only (`constructor`, `__proto__`, `toString` are unset, as compose has them). */
function valueOf(env: Env, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
}

function lookup(name: string, env: Env, out: Interpolated): string {
  const v = valueOf(env, name);
  if (v === undefined) {
    if (!out.unresolved.includes(name)) out.unresolved.push(name);
    return '';
  }
  return v;
}

/** `${…}` whose body is text[from, to). */
function expandBraced(text: string, from: number, to: number, env: Env, out: Interpolated, closes: Map<number, number>): string {
  const name = nameAt(text, from, to);
  if (!name) {
    out.errors.push(`invalid interpolation "\${${text.slice(from, to)}}"`);
    return '';
  }
  const restAt = from + name.length;
  if (restAt === to) return lookup(name, env, out);
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(text.slice(restAt, Math.min(to, restAt + 2)))?.[0];
  if (!op) {
    out.errors.push(`invalid interpolation "\${${text.slice(from, to)}}"`);
    return '';
  }
  const argAt = restAt + op.length;
  const value = valueOf(env, name);
  const emptyCounts = op.startsWith(':');
  const missing = value === undefined || (emptyCounts && value === '');
  switch (op) {
    case ':-':
    case '-': {
      if (!missing) return value!;
      const d = expand(text, argAt, to, env, out, closes);
      out.defaultsUsed.push({ name, value: d });
      return d;
    }
    case ':?':
    case '?':
      if (!missing) return value!;
      out.required.push({ name, message: expand(text, argAt, to, env, out, closes) || `${name} is required` });
      return '';
    default: // :+ and +
      return missing ? '' : expand(text, argAt, to, env, out, closes);
  }
}

/** `HTTP_PORT unset`, `JVB_PORT=10000 (default)`: how a value came to be, for messages and hovers. */
export function describeInterpolation(i: Interpolated): string | undefined {
  const parts = [
    ...i.unresolved.map((n) => `${n} is not set`),
    ...i.required.map((r) => `${r.name} is required: ${r.message}`),
    ...i.defaultsUsed.map((d) => `${d.name} unset, default ${d.value} used`),
  ];
  return parts.length ? parts.join('; ') : undefined;
}
