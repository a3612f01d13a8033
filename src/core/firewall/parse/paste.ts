// Repairs of a dump as people paste it (markdown, mail, issue trackers, terminals), tried only on the lines a plain
// reading could not understand: the indent every line shares, a line's own indent, a first character lost at the
// start of a selection, and lines wrapped in the middle of a rule. Lines keep their numbers: a wrapped line is joined
// onto its first part, and its own line left empty. parseFirewall.ts keeps an edit only when its line then parses.
import { isFence, promptCommand } from '../text';

/** One change to the lines: `lines` (from `line`, 1-based) became `text` and `lines.length - 1` empty lines. */
export interface LineEdit {
  line: number;
  lines: string[];
  text: string;
  kind: 'unindented' | 'restored' | 'joined';
}

export interface PasteRepairs {
  lines: string[];
  /** The indent removed from every line ('' when none was shared). */
  indent: string;
  edits: LineEdit[];
}

/** A wrapped line's first part is at least this long: terminals and mail clients wrap at 72 columns or more. */
const MIN_WRAP_WIDTH = 40;

/** The white space every non-blank line starts with. */
export function commonIndent(lines: readonly string[]): string {
  let indent: string | undefined;
  for (const l of lines) {
    if (!l.trim()) continue;
    let n = 0;
    const limit = indent === undefined ? l.length : Math.min(indent.length, l.length);
    while (n < limit && (l.charCodeAt(n) === 32 || l.charCodeAt(n) === 9) && (indent === undefined || l.charCodeAt(n) === indent.charCodeAt(n))) n++;
    indent = l.slice(0, n);
    if (!indent) return '';
  }
  return indent ?? '';
}

/**
 * `filter` → `*filter`, `A DOCKER …` → `-A DOCKER …`, `INPUT ACCEPT [0:0]` → `:INPUT ACCEPT [0:0]`, `OMMIT`,
 * `hain INPUT (…)`, `able ip nat {`: a line that lost its first character; undefined for any other line.
 */
export function restoreFirstCharacter(line: string): string | undefined {
  if (/^(?:filter|nat|mangle|raw|security)$/.test(line)) return `*${line}`;
  if (/^[AIPN] [^\s"]+(?: |$)/.test(line)) return `-${line}`;
  if (/^[^\s:"]+ (?:[A-Z]+|-) \[\d+:\d+\]$/.test(line)) return `:${line}`;
  if (line === 'OMMIT') return 'COMMIT';
  if (/^hain \S+ \(/.test(line)) return `C${line}`;
  if (/^able (?:ip|ip6|inet|arp|bridge|netdev) \S+ \{$/.test(line)) return `t${line}`;
  return undefined;
}

const trimEnd = (l: string) => l.replace(/\s+$/, '');
/** Lines that are no part of a rule: a wrap is never joined onto them. */
const notContent = (l: string) => !l || l.charCodeAt(0) === 35 /* # */ || isFence(l) || promptCommand(l) !== undefined;
/**
 * Lines that begin a line of some format, so are no wrapped line's second part: iptables-save/-S lines, `-L` headers
 * and counted rows (`  12  720 ACCEPT …`, with `--line-numbers` `1  12  720 …`), nft tables.
 */
const beginsALine = (l: string) => /^(?:-[AINPDRFXZ] |\[\d+:\d+\] -|[*:]\S|COMMIT$|Chain |table |#|\s*(?:\d+\s+)?\d+[KMGTP]?\s+\d+[KMGTP]?\s+\S)/.test(l);

/**
 * Finds the repairs for the lines `diagnosed` (1-based numbers of lines a plain reading reported) in `lines`. The
 * shared indent is removed from every line (a dump indented as a whole), the rest only from diagnosed lines.
 */
export function findPasteRepairs(source: readonly string[], diagnosed: ReadonlySet<number>): PasteRepairs {
  const indent = commonIndent(source);
  const lines = indent ? source.map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart())) : source.slice();
  const edits: LineEdit[] = [];
  const bad = [...diagnosed].filter((n) => n >= 1 && n <= lines.length).sort((a, b) => a - b);
  // a wrapped line's parts: each diagnosed line right after a long line of content continues it
  const secondParts = bad.filter((n) => n >= 2 && trimEnd(lines[n - 1]!) && !beginsALine(lines[n - 1]!));
  // a terminal keeps a part's trailing spaces (it fills the row); CRs are no part of it
  const raw = (l: string) => (l.endsWith('\r') ? l.slice(0, -1) : l);
  const firstParts = secondParts.map((n) => raw(lines[n - 2]!)).filter((l) => trimEnd(l).length >= MIN_WRAP_WIDTH && !notContent(l));
  const width = firstParts.reduce((w, l) => Math.max(w, l.length), 0);
  // a terminal cuts at one width, mid-word: its parts are all that long; a mail client wraps words, at varying places
  const atWidth = firstParts.filter((l) => l.length === width).length;
  const hardWrap = atWidth >= 2 && atWidth * 2 >= firstParts.length;
  let joinInto = -1;
  let lastJoined = -2;
  for (const n of bad) {
    const i = n - 1;
    const line = lines[i]!;
    const prevIndex = lastJoined === i - 1 ? joinInto : i - 1;
    const prev = prevIndex >= 0 ? raw(lines[prevIndex]!) : '';
    const prevPart = lastJoined === i - 1 ? raw(source[i - 1]!.slice(indent.length)) : prev;
    // a terminal fills its width; a mail client breaks where the next word would not have fitted
    const firstWord = /^\s*\S*/.exec(line)![0].trimStart();
    const wrapped = hardWrap ? prevPart.length >= width - 1 : trimEnd(prevPart).length + 1 + firstWord.length > width;
    if (wrapped && trimEnd(prevPart).length >= MIN_WRAP_WIDTH && !notContent(prev) && trimEnd(line) && !beginsALine(line)) {
      const joined = hardWrap
        ? `${prevPart.length === width ? prev : `${trimEnd(prev)} `}${trimEnd(raw(line))}`
        : `${trimEnd(prev)} ${trimEnd(line).trimStart()}`;
      const edit = lastJoined === i - 1 ? edits[edits.length - 1]! : undefined;
      if (edit && edit.kind === 'joined') {
        edit.lines.push(line);
        edit.text = joined;
      } else {
        edits.push({ line: prevIndex + 1, lines: [lines[prevIndex]!, line], text: joined, kind: 'joined' });
      }
      lines[prevIndex] = joined;
      lines[i] = '';
      joinInto = prevIndex;
      lastJoined = i;
      continue;
    }
    const unindented = line.trimStart();
    const restored = restoreFirstCharacter(trimEnd(unindented));
    if (restored !== undefined || unindented !== line) {
      edits.push({ line: n, lines: [line], text: restored ?? unindented, kind: restored !== undefined ? 'restored' : 'unindented' });
      lines[i] = restored ?? unindented;
    }
  }
  return { lines, indent, edits };
}

/** Puts an edit's lines back. */
export function revertEdit(lines: string[], edit: LineEdit): void {
  for (let k = 0; k < edit.lines.length; k++) lines[edit.line - 1 + k] = edit.lines[k]!;
}

/** What the repairs did, for the reader: `joined 3 lines wrapped in the middle of a rule (lines 25, 27, 29)`. */
export function describeRepairs(indent: string, edits: readonly LineEdit[]): string[] {
  const notes: string[] = [];
  if (indent) {
    const tabs = indent.split('\t').length - 1;
    const spaces = indent.length - tabs;
    notes.push(`removed the indent every line shared ` +
      `(${[tabs ? `${tabs} tab${tabs > 1 ? 's' : ''}` : '', spaces ? `${spaces} space${spaces > 1 ? 's' : ''}` : ''].filter(Boolean).join(' and ')})`);
  }
  const at = (kind: LineEdit['kind']) => edits.filter((e) => e.kind === kind).map((e) => e.line);
  const list = (ns: number[]) => `line${ns.length > 1 ? 's' : ''} ${ns.slice(0, 10).join(', ')}${ns.length > 10 ? ', …' : ''}`;
  const joined = edits.filter((e) => e.kind === 'joined');
  if (joined.length) notes.push(`joined lines wrapped in the middle of a rule onto ${list(joined.map((e) => e.line))}`);
  const restored = at('restored');
  if (restored.length) notes.push(`restored a first character lost in pasting on ${list(restored)}`);
  const unindented = at('unindented');
  if (unindented.length) notes.push(`removed the indent of ${list(unindented)}`);
  return notes;
}
