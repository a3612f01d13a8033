// The one entry point from firewall text to the model: finds the format(s) line by line and hands each section to
// its parser. Tolerates what people paste: shell prompts, markdown fences, CRLF and lone CR, trailing spaces, blank
// lines, several dumps one after another (the helper prints iptables-save, ip6tables-save and nft output together),
// and, when a plain reading stumbles, the repairs of paste.ts (shared indent, wrapped lines, a lost first character).
import { RulesetBuilder } from './rulesetBuilder';
import type { FirewallFamily, FirewallFormat, FirewallRuleset, FirewallTable } from '../model';
import { assignRuleOwners, assignTableAndChainOwners } from '../owners';
import { IptablesSaveSection } from './iptablesSaveReader';
import { IptablesListSection } from './iptablesListReader';
import { looksLikeNftJson, nftJsonToText } from './nftJson';
import { NftSection } from './nftReader';
import { describeRepairs, findPasteRepairs, revertEdit } from './paste';
import type { SectionReader } from './sectionReader';
import { commandHint, countersPrefixEnd, isFence, promptCommand } from '../text';

/**
 * A text counts as a dump when the lines its formats took, less those with problems, are at least 1 in this many of
 * the lines reported: prose around a pasted dump is fine, random bytes are not.
 */
const MIN_GOOD_SHARE = 8;
/** Text that is no dump keeps this many of its problems (1 MB of random bytes has thousands). */
const MAX_DIAGNOSTICS_OF_NON_DUMP = 100;
export interface ParseOptions {
  /** The table an `iptables -S` or `-L` dump shows when the text does not say (`-t nat`); inferred otherwise. */
  table?: string;
  /** The family of iptables text when its header does not say (ip6tables-save says so itself). */
  family?: 'ipv4' | 'ipv6';
}

/** The first format the text holds, or undefined when it holds none of them. */
export function detectFormat(text: string): FirewallFormat | undefined {
  return parseFirewall(text.length > 65536 ? text.slice(0, text.indexOf('\n', 65536) >>> 0) : text).formats[0];
}

export function parseFirewall(input: string, options: ParseOptions = {}): FirewallRuleset {
  let text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const encoding = encodingProblem(text);
  if (encoding) return notADump([{ line: 1, message: encoding, text: '' }]);
  if (looksLikeNftJson(text)) return parseNftJson(text, options);
  const notes: string[] = [];
  // old Mac line ends (a lone CR), as editors count them; CRLF lines are trimmed where they are read
  if (hasLoneCarriageReturn(text)) {
    text = text.replace(/\r\n?/g, '\n');
    notes.push('read carriage returns as line ends');
  }
  const plain = readText(text, options);
  if (!plain.b.diagnostics.length) return finish(plain, notes);
  // what a plain reading could not understand may be a paste's damage: repair those lines, keep what then parses
  const repairs = findPasteRepairs(text.split('\n'), new Set(plain.b.diagnostics.map((d) => d.line)));
  if (!repairs.indent && !repairs.edits.length) return finish(plain, notes);
  let repaired = readText(repairs.lines.join('\n'), options);
  const stillBad = new Set(repaired.b.diagnostics.map((d) => d.line));
  // a join that parses but adds matches the parser does not know joined something else (prose) onto a rule
  const joinedAt = new Set(repairs.edits.filter((e) => e.kind === 'joined').map((e) => e.line));
  const unknownsBefore = unknownMatchesAt(plain.b.tables, joinedAt);
  const unknownsAfter = unknownMatchesAt(repaired.b.tables, joinedAt);
  const failed = repairs.edits.filter((e) => stillBad.has(e.line)
    || (e.kind === 'joined' && (unknownsAfter.get(e.line) ?? 0) > (unknownsBefore.get(e.line) ?? 0)));
  if (failed.length) {
    for (const e of failed) revertEdit(repairs.lines, e);
    repaired = readText(repairs.lines.join('\n'), options);
  }
  const better = repaired.b.diagnostics.length < plain.b.diagnostics.length
    || (repaired.b.diagnostics.length === plain.b.diagnostics.length && repaired.good > plain.good);
  if (!better) return finish(plain, notes);
  return finish(repaired, notes.concat(describeRepairs(repairs.indent, repairs.edits.filter((e) => !failed.includes(e)))));
}

/** One reading of the text: what the builder holds, and how many lines a format took without a problem. */
interface Reading {
  b: RulesetBuilder;
  good: number;
}

/**
 * The ruleset of a reading, or none when the lines read do not outweigh the lines not understood (`*x` alone, random
 * bytes, prose with a stray line that looks like a rule): then the text is no dump, whatever a line of it resembles.
 */
function finish(reading: Reading, repairs: string[]): FirewallRuleset {
  const { b, good } = reading;
  if (b.diagnostics.length && (good < 1 || good * MIN_GOOD_SHARE < b.diagnostics.length)) {
    const kept = b.diagnostics.slice(0, MAX_DIAGNOSTICS_OF_NON_DUMP);
    // say why what looked like a format is dropped; text in which no format was seen needs no more than its lines
    if (!b.formats.length) return notADump(kept);
    const why = `not a firewall dump: ${Math.max(good, 0)} line${good === 1 ? '' : 's'} read as ${b.formats.join(', ')}, ${b.diagnostics.length} not ` +
      `understood`;
    return notADump([{ line: b.tables[0]?.line ?? 1, message: why, text: '' }].concat(kept));
  }
  const ruleset: FirewallRuleset = {
    formats: b.formats,
    tables: b.tables,
    diagnostics: b.diagnostics,
    backendHints: b.backendHints,
    ruleCount: b.ruleCount,
  };
  if (repairs.length) ruleset.pasteRepairs = repairs;
  assignTableAndChainOwners(ruleset);
  // rule owners depend on the whole ruleset and on every rule's matches: worked out on the first read of one
  b.owners.defer(() => assignRuleOwners(ruleset, true));
  return ruleset;
}

function notADump(diagnostics: FirewallRuleset['diagnostics']): FirewallRuleset {
  return { formats: [], tables: [], diagnostics, backendHints: [], ruleCount: 0 };
}

/** Finds the format(s) line by line and hands each section to its parser. */
function readText(text: string, options: ParseOptions): Reading {
  const b = new RulesetBuilder();
  let family: FirewallFamily = options.family ?? 'ipv4';
  let table = options.table;
  let section: SectionReader | undefined;
  // lines a format took, and lines no format took: what is left of the first, less the problems found in it, is good
  let taken = 0;
  let notUnderstood = 0;
  const endSection = () => {
    section?.end(ln);
    section = undefined;
  };
  // lines found with indexOf rather than split: no array of 100,000 lines, and the same lines (a final '\n' ends
  // with an empty one)
  const n = text.length;
  let ln = 0;
  for (let pos = 0; pos <= n;) {
    // the common lines, iptables-save rules in a section already begun, are taken in runs without a string each
    if (section instanceof IptablesSaveSection) {
      const next = section.takeRules(text, pos, ln + 1);
      if (next !== pos) {
        ln += section.linesTaken;
        taken += section.linesTaken;
        pos = next;
        continue;
      }
    }
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    ln++;
    let raw = text.slice(pos, end);
    pos = end + 1;
    const last = raw.length - 1;
    if (last >= 0 && (raw.charCodeAt(last) === 13 || raw.charCodeAt(last) === 32 || raw.charCodeAt(last) === 9)) raw = raw.trimEnd();
    if (section?.takesEveryLine) {
      if (isFence(raw)) continue;
      if (raw) taken++;
      section.line(raw, ln);
      if (section.done) section = undefined;
      continue;
    }
    if (!raw) continue;
    const first = raw.charCodeAt(0);
    // iptables-save/-S lines start at column 0 with one of: * : [ - C(OMMIT); test those first (the common case)
    if (first === 45 /* - */ || first === 58 /* : */ || first === 42 /* * */ || raw === 'COMMIT' || (first === 91 /* [ */ && isCountersRule(raw))) {
      if (section instanceof IptablesSaveSection && section.startsNewDump(raw)) {
        // `iptables -t nat -S` then `iptables -S` pasted without their commands: the policies start the second
        endSection();
        table = options.table;
      }
      if (!(section instanceof IptablesSaveSection)) {
        endSection();
        section = new IptablesSaveSection(b, family, table);
      }
      if (section.line(raw, ln)) {
        taken++;
        continue;
      }
    }
    if (isFence(raw)) continue;
    const cmd = promptCommand(raw);
    if (cmd !== undefined) {
      endSection();
      if (cmd) {
        const hint = commandHint(cmd);
        table = hint.table ?? options.table;
        if (hint.family) family = hint.family;
      }
      continue;
    }
    if (first === 35 /* # */) {
      if (/Generated by ip6tables-save/.test(raw)) family = 'ipv6';
      else if (/Generated by iptables-save/.test(raw)) family = options.family ?? 'ipv4';
      if (/\(nf_tables\)|managed by iptables-nft/.test(raw)) b.noteBackend('iptables-nft');
      else if (/\(legacy\)/.test(raw)) b.noteBackend('iptables-legacy');
      if (section instanceof IptablesSaveSection) section.setFamily(family);
      continue;
    }
    const trimmed = first === 32 || first === 9 ? raw.trim() : raw;
    if (NftSection.isStart(trimmed)) {
      endSection();
      section = new NftSection(b);
      section.line(trimmed, ln);
      taken++;
      continue;
    }
    if (trimmed.startsWith('Chain ')) {
      const next = section instanceof IptablesListSection && section.startsNewSection(trimmed);
      // a second `-L` pasted without its command: its table is not the first one's
      if (next) table = options.table;
      if (!(section instanceof IptablesListSection) || next) {
        endSection();
        section = new IptablesListSection(b, family, table, ln);
      }
      section.line(trimmed, ln);
      taken++;
      continue;
    }
    if (section instanceof IptablesListSection && section.line(raw, ln)) {
      taken++;
      continue;
    }
    b.diagnose(ln, 'line not understood', raw);
    notUnderstood++;
  }
  endSection();
  return { b, good: taken - (b.diagnostics.length - notUnderstood) };
}

/**
 * `nft -j list ruleset`: read through the text nft would print for it. Rule lines count lines of that text; what the
 * JSON cannot show (iptables extensions by name only) is a diagnostic.
 */
function parseNftJson(text: string, options: ParseOptions): FirewallRuleset {
  const converted = nftJsonToText(text);
  const problems = converted.problems.map((p) => ({ line: p.line, message: p.message, text: '' }));
  if (converted.text === undefined) return { formats: [], tables: [], diagnostics: problems, backendHints: [], ruleCount: 0 };
  const ruleset = parseFirewall(converted.text, options);
  ruleset.formats = ['nft-json'];
  ruleset.diagnostics = problems.concat(ruleset.diagnostics);
  return ruleset;
}

/** `[12:720] -…`: an iptables-save -c rule (what `/^\[\d+:\d+\] -/` says, without a regex per line). */
function isCountersRule(line: string): boolean {
  const end = countersPrefixEnd(line, 0, line.length);
  return end >= 0 && line.charCodeAt(end) === 45 /* - */ && line.charCodeAt(end - 1) === 32 && line.charCodeAt(end - 2) === 93 /* ] */;
}

/** Whether the text has a carriage return not followed by a line feed (read from the first CR on). */
function hasLoneCarriageReturn(text: string): boolean {
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) return true;
  return false;
}

/**
 * Names text that was decoded with the wrong encoding: UTF-16 read as UTF-8 or Latin-1 has a NUL next to every
 * ASCII character (decodeDump reads the bytes right).
 */
function encodingProblem(text: string): string | undefined {
  const sample = text.slice(0, 512);
  const nuls = sample.split('\0').length - 1;
  if (nuls < 4 || nuls * 4 < sample.length) return undefined;
  return 'the text is UTF-16 read as another encoding (a NUL next to every character): save it as UTF-8, or open the file itself';
}

/** How many matches the parser did not know the rules at `lines` have (only those are read: reading parses). */
function unknownMatchesAt(tables: readonly FirewallTable[], lines: ReadonlySet<number>): Map<number, number> {
  const out = new Map<number, number>();
  if (!lines.size) return out;
  for (const t of tables) for (const c of t.chains) for (const r of c.rules) {
    if (lines.has(r.line)) out.set(r.line, r.matches.unknown?.length ?? 0);
  }
  return out;
}
