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

const namePattern = /^[A-Za-z_][A-Za-z0-9_]*/;

export function hasInterpolation(text: string): boolean {
  return text.includes('$');
}

/** Shared by every result without variables (most scalars): frozen, so a caller that pushed would fail loudly. */
const none = Object.freeze([]) as unknown as never[];

/** The defaultsUsed of a text without variables (what interpolate returns for it). */
export const noDefaultsUsed: DefaultUsed[] = none;

export function interpolate(text: string, env: Env): Interpolated {
  // most scalars hold no `$`: no arrays to allocate for them (the stress file has tens of thousands)
  if (!text.includes('$')) return { value: text, unresolved: none, defaultsUsed: none, required: none, errors: none };
  const out: Interpolated = { value: '', unresolved: [], defaultsUsed: [], required: [], errors: [] };
  out.value = expand(text, env, out);
  return out;
}

function expand(text: string, env: Env, out: Interpolated): string {
  if (!text.includes('$')) return text;
  let result = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) { result += text.slice(i); break; }
    result += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') { result += '$'; i = dollar + 2; continue; }
    if (next === '{') {
      const close = matchingBrace(text, dollar + 2);
      if (close < 0) {
        out.errors.push(`unterminated "\${" at ${dollar}`);
        result += text.slice(dollar);
        break;
      }
      result += expandBraced(text.slice(dollar + 2, close), env, out);
      i = close + 1;
      continue;
    }
    const name = namePattern.exec(text.slice(dollar + 1))?.[0];
    if (!name) { result += '$'; i = dollar + 1; continue; }
    result += lookup(name, env, out);
    i = dollar + 1 + name.length;
  }
  return result;
}

/** Index of the `}` closing a `${` whose body starts at `from`, honouring nested `${…}`. */
function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '{') { depth++; i++; } else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function lookup(name: string, env: Env, out: Interpolated): string {
  const v = env[name];
  if (v === undefined) {
    if (!out.unresolved.includes(name)) out.unresolved.push(name);
    return '';
  }
  return v;
}

function expandBraced(body: string, env: Env, out: Interpolated): string {
  const name = namePattern.exec(body)?.[0];
  if (!name) {
    out.errors.push(`invalid interpolation "\${${body}}"`);
    return '';
  }
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name, env, out);
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!op) {
    out.errors.push(`invalid interpolation "\${${body}}"`);
    return '';
  }
  const arg = rest.slice(op.length);
  const value = env[name];
  const emptyCounts = op.startsWith(':');
  const missing = value === undefined || (emptyCounts && value === '');
  switch (op) {
    case ':-':
    case '-': {
      if (!missing) return value!;
      const d = expand(arg, env, out);
      out.defaultsUsed.push({ name, value: d });
      return d;
    }
    case ':?':
    case '?':
      if (!missing) return value!;
      out.required.push({ name, message: expand(arg, env, out) || `${name} is required` });
      return '';
    default: // :+ and +
      return missing ? '' : expand(arg, env, out);
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
