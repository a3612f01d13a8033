// Character tests on one iptables-save rule line (`[12:720] -A DOCKER -d 172.17.0.2/32 … -j ACCEPT`) where it lies in
// the whole text: what the parser's fast path reads of a line, with no string made for it. Every function reads as
// few characters as it can (each charCodeAt counts when there are 100,000 lines); they return -1 or false when the
// line needs the careful path (IptablesSaveSection.line), which then decides.

/**
 * Where a rule line starting at `start` ends, trailing CR, spaces and tabs left out (so CRLF text and pasted trailing
 * spaces read like clean text); `newline` is where its '\n' is (or the text's length).
 */
export function trimmedLineEnd(source: string, start: number, newline: number): number {
  let end = newline;
  while (end > start) {
    const ch = source.charCodeAt(end - 1);
    if (ch !== 13 && ch !== 32 && ch !== 9) break;
    end--;
  }
  return end;
}

/**
 * Where the chain name of an append starts: after `-A ` or `[packets:bytes] -A ` (one space between, as
 * iptables-save prints it) at `start`; -1 for any other line.
 */
export function appendChainStart(source: string, start: number): number {
  let i = start;
  if (source.charCodeAt(i) === 91 /* [ */) {
    i = countersEnd(source, i + 1);
    if (i < 0 || source.charCodeAt(i) !== 32) return -1;
    i++;
  }
  return source.charCodeAt(i) === 45 /* - */ && source.charCodeAt(i + 1) === 65 /* A */ && source.charCodeAt(i + 2) === 32 ? i + 3 : -1;
}

/** After `digits:digits]` at `i` (the `[` read), or -1. */
function countersEnd(source: string, i: number): number {
  const packets = i;
  let ch = source.charCodeAt(i);
  while (ch >= 48 && ch <= 57) ch = source.charCodeAt(++i);
  if (i === packets || ch !== 58 /* : */) return -1;
  const bytes = ++i;
  ch = source.charCodeAt(i);
  while (ch >= 48 && ch <= 57) ch = source.charCodeAt(++i);
  return i === bytes || ch !== 93 /* ] */ ? -1 : i + 1;
}

/** Whether the word at `at` (ending at a space, a tab or `end`) is `name`: the chain of the previous rule, mostly. */
export function isNameAt(source: string, at: number, end: number, name: string): boolean {
  const n = name.length;
  const after = at + n;
  if (after > end) return false;
  for (let i = 0; i < n; i++) if (source.charCodeAt(at + i) !== name.charCodeAt(i)) return false;
  if (after === end) return true;
  const ch = source.charCodeAt(after);
  return ch === 32 || ch === 9;
}

/**
 * Whether the word at `at` (ending at a space, a tab or `end`) is the `length` characters at `seenAt`: the chain name
 * as the previous rule line had it. Reading both from the one text is cheaper than comparing with another string.
 */
export function isWordAgainAt(source: string, at: number, end: number, seenAt: number, length: number): boolean {
  const after = at + length;
  if (after > end) return false;
  for (let i = 0; i < length; i++) if (source.charCodeAt(at + i) !== source.charCodeAt(seenAt + i)) return false;
  if (after === end) return true;
  const ch = source.charCodeAt(after);
  return ch === 32 || ch === 9;
}

/** Where a plain chain name starting at `at` ends (a space, a tab or `end`); -1 when it is empty or has a quote. */
export function chainNameEnd(source: string, at: number, end: number): number {
  let i = at;
  for (; i < end; i++) {
    const ch = source.charCodeAt(i);
    if (ch === 32 || ch === 9) break;
    if (ch === 34 /* " */) return -1;
  }
  return i === at ? -1 : i;
}

/**
 * Whether parsing the line `[start, end)` could report an option without its value (such rules are parsed while
 * scanning, so that their problems are diagnosed in line order). Only the last word can be an option that lacks its
 * value, and every option parseRuleOptions reads a value for is a lower-case word with dashes (`-p`, `--dport`,
 * `--match-set`; ruleLineScan.test.ts holds the parser to that): a last word with any other character is no such
 * option, so `ACCEPT`, `172.17.0.2:80` and `docker0` are settled by their last character. A quote may join the last
 * word to others: then it may.
 */
export function mayLackAValue(source: string, start: number, end: number): boolean {
  for (let i = end - 1; i >= start; i--) {
    const ch = source.charCodeAt(i);
    if (ch === 45 /* - */ || (ch >= 97 /* a */ && ch <= 122 /* z */)) continue;
    // the whole last word is lower case and dashes: an option when it starts with one
    if (ch === 32 || ch === 9) return source.charCodeAt(i + 1) === 45;
    return ch === 34 /* " */;
  }
  return source.charCodeAt(start) === 45;
}
