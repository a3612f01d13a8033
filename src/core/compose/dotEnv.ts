// The project's `.env` file as compose reads it (pure: handed the text).

/** `.env` syntax as compose reads it: KEY=VALUE, `export ` prefixes, # comments, single or double quotes. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = withoutComment(value).trim();
    }
    // defined, not assigned: `__proto__=x` is a variable like any other, not the object's prototype
    Object.defineProperty(out, m[1]!, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * `value.replace(/\s+#.*$/, '')` in one pass: cut at the first `#` after white space. (That regex backtracks over
 * every run of spaces not followed by `#`: 9-14 s for `A=x` + 100,000 spaces + `y`.)
 */
function withoutComment(value: string): string {
  // (the value holds no line break: the line's `(.*)$` stops at them, so `.*$` after the `#` always matched)
  for (let i = value.indexOf('#', 1); i >= 0; i = value.indexOf('#', i + 1)) {
    if (/\s/.test(value[i - 1]!)) {
      let start = i - 1;
      while (start > 0 && /\s/.test(value[start - 1]!)) start--;
      return value.slice(0, start);
    }
  }
  return value;
}
