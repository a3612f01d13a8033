// Block scalars (`|`, `>`, with `-` or `+` chomping) for the fast YAML path, read as `yaml` 2.x reads them: where
// its lexer ends the scalar (lexer.ts parseBlockScalar) and the value its composer makes of the lines
// (resolve-block-scalar.ts). Taken only when nothing is unusual: no indentation indicator, no tab starting a line's
// content, no CR, at least one content line, indented deeper than the parent, no leading blank line deeper than the
// first content line (an error for `yaml`). Anything else is left to `yaml` (undefined).
import { Scalar } from 'yaml';
import { FastScalar } from './fastYamlNodes';
import { CR, HASH, LF, SPACE, TAB } from './yamlChars';

const PIPE = 124;
const GT = 62;
const PLUS = 43;
const MINUS = 45;

export function isBlockScalarIndicator(c: number): boolean {
  return c === PIPE || c === GT;
}

/**
 * The block scalar whose indicator is at `p`, its content deeper than `parentIndent`; its range runs from the
 * indicator to the start of the line after its last line (as in `yaml`), so the scanner goes on from `range[1]`.
 */
export function blockScalarAt(s: string, p: number, parentIndent: number): Scalar | undefined {
  const n = s.length;
  const literal = s.charCodeAt(p) === PIPE;
  let q = p + 1;
  let chomp = 0; // -1 strip, 0 clip, +1 keep
  const c1 = s.charCodeAt(q);
  if (c1 === MINUS || c1 === PLUS) { chomp = c1 === MINUS ? -1 : 1; q++; }
  // the header: then spaces and a comment after a space, or the line's end
  const afterHeader = s.charCodeAt(q);
  if (!(afterHeader === SPACE || afterHeader === LF)) return undefined;
  while (s.charCodeAt(q) === SPACE) q++;
  if (s.charCodeAt(q) === HASH) q = s.indexOf('\n', q);
  if (q < 0 || s.charCodeAt(q) !== LF) return undefined; // the header ends the file, or a CR
  const bodyStart = q + 1;

  // the lines: blank ones (spaces only) go on, content ones while indented at least as the first one
  let blockIndent = -1;
  let maxLeadingBlank = 0;
  let lastLineEnd = -1; // the LF ending the last line of the scalar (n when the file ends without one)
  for (let line = bodyStart; line < n;) {
    let i = line;
    while (s.charCodeAt(i) === SPACE) i++;
    const c = i < n ? s.charCodeAt(i) : LF;
    if (c === TAB || c === CR) return undefined;
    const blank = c === LF;
    // a last line of spaces with no LF after it goes on only as deep as the content (the lexer's continueScalar)
    if (blank && i >= n && blockIndent >= 0 && i - line < blockIndent) break;
    if (!blank) {
      const indent = i - line;
      if (blockIndent < 0) {
        if (indent <= parentIndent || maxLeadingBlank > indent) return undefined;
        blockIndent = indent;
      } else if (indent < blockIndent) break;
    } else if (blockIndent < 0) maxLeadingBlank = Math.max(maxLeadingBlank, i - line);
    const nl = s.indexOf('\n', i);
    lastLineEnd = nl < 0 ? n : nl;
    if (s.charCodeAt(lastLineEnd - 1) === CR) return undefined; // CR only ever stands before LF (scanComposeYaml)
    line = lastLineEnd + 1;
  }
  if (blockIndent < 0) return undefined; // no content line: `yaml` has its own rules for that
  if (chomp !== 1) {
    // trailing blank lines no deeper than the content are not part of the scalar (they stay for keep, `+`)
    for (;;) {
      let i = lastLineEnd - 1;
      while (i >= 0 && s.charCodeAt(i) === SPACE) i--;
      if (i < bodyStart || s.charCodeAt(i) !== LF || lastLineEnd - 1 - i > blockIndent) break;
      lastLineEnd = i;
    }
  }
  const end = Math.min(lastLineEnd + 1, n);
  const value = blockValue(s.slice(bodyStart, end), literal, chomp, blockIndent);
  return new FastScalar(value, literal ? Scalar.BLOCK_LITERAL : Scalar.BLOCK_FOLDED, value, p, end);
}

/** The scalar's value from its lines, as resolve-block-scalar.ts makes it (no indentation indicator, no CR). */
function blockValue(source: string, literal: boolean, chomp: number, blockIndent: number): string {
  const lines = splitLines(source);
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    if (lines[i]![1] === '') chompStart = i;
    else break;
  }
  const trimIndent = blockIndent;
  let contentStart = 0;
  while (lines[contentStart]![1] === '') contentStart++;
  // trailing blank lines deeper than the content belong to it
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if (lines[i]![0].length > trimIndent) chompStart = i + 1;
  }
  let value = '';
  let sep = '';
  let prevMoreIndented = false;
  for (let i = 0; i < contentStart; ++i) value += `${lines[i]![0].slice(trimIndent)}\n`;
  for (let i = contentStart; i < chompStart; ++i) {
    const [indent, content] = lines[i]!;
    if (literal) {
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
    } else if (indent.length > trimIndent) {
      // more-indented lines keep their line breaks in a folded scalar
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + content;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  if (chomp === 0) return `${value}\n`;
  if (chomp === 1) {
    for (let i = chompStart; i < lines.length; ++i) value += `\n${lines[i]![0].slice(trimIndent)}`;
    if (value[value.length - 1] !== '\n') value += '\n';
  }
  return value;
}

/** The lines as `[indentation, content]`, split as resolve-block-scalar.ts splits them. */
function splitLines(source: string): [string, string][] {
  const split = source.split(/\n( *)/);
  const first = split[0]!;
  const m = /^( *)/.exec(first);
  const lines: [string, string][] = [m?.[1] ? [m[1], first.slice(m[1].length)] : ['', first]];
  for (let i = 1; i < split.length; i += 2) lines.push([split[i]!, split[i + 1]!]);
  return lines;
}
