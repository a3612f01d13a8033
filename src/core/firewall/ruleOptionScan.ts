// The fast reading of one iptables rule's options, straight from the dump's text: one pass of charCodeAt over the
// line, no token array and no string per token, only the strings the model keeps. It knows the options Docker,
// ufw, firewalld and kube-proxy write; on anything else (or anything that would be a problem) it gives up and the
// rule goes through tokenize + parseRuleOptions, the reference. ruleOptionScan.test.ts holds both to the same results.
import { actionForTarget, deriveNatTarget, knownModules as knownModuleSet, parsePortList } from './iptablesRule';
import type { Counters, Negatable, RuleAction, RuleMatches } from './model';
import { sharedAction, sharedModuleList, sharedPortMatch, sharedWordMatch, zeroCounters } from './sharedMatchValues';
import { normalizeProtocol } from './text';
import type { PortInterval } from '../net/portInterval';

// The word the cursor is on: [wordStart, wordEnd) of the text, `wordQuoted` when it holds a double quote (its value
// then needs unquoting like tokenize does). Module state, not an object per rule: this runs for every rule.
let src = '';
let lineEnd = 0;
let wordStart = 0;
let wordEnd = 0;
let wordQuoted = false;

/** Moves to the next word at or after `pos`; false at the end of the line. */
function nextWord(pos: number): boolean {
  let i = pos;
  while (i < lineEnd) {
    const ch = src.charCodeAt(i);
    if (ch !== 32 && ch !== 9) break;
    i++;
  }
  if (i >= lineEnd) return false;
  wordStart = i;
  wordQuoted = false;
  while (i < lineEnd) {
    const ch = src.charCodeAt(i);
    if (ch === 32 || ch === 9) break;
    if (ch === 34 /* " */) {
      wordQuoted = true;
      i++;
      while (i < lineEnd) {
        const q = src.charCodeAt(i);
        if (q === 34) break;
        i += q === 92 /* \ */ && i + 1 < lineEnd ? 2 : 1;
      }
    }
    i++;
  }
  wordEnd = i > lineEnd ? lineEnd : i;
  return true;
}

/** The current word as tokenize gives it: quotes removed, `\x` inside quotes read as `x`. */
function wordValue(): string {
  if (!wordQuoted) return src.slice(wordStart, wordEnd);
  let out = '';
  let i = wordStart;
  while (i < wordEnd) {
    const ch = src.charCodeAt(i);
    if (ch !== 34) { out += src[i]; i++; continue; }
    i++;
    while (i < lineEnd && src.charCodeAt(i) !== 34) {
      if (src.charCodeAt(i) === 92 && i + 1 < lineEnd) { out += src[i + 1]; i += 2; continue; }
      out += src[i++];
    }
    i++;
  }
  return out;
}

/** Whether the current (unquoted) word is `literal`. */
function wordIs(literal: string): boolean {
  const n = literal.length;
  if (wordEnd - wordStart !== n) return false;
  for (let k = 0; k < n; k++) if (src.charCodeAt(wordStart + k) !== literal.charCodeAt(k)) return false;
  return true;
}

const enum Opt {
  Other, Bang, Protocol, Source, Destination, InInterface, OutInterface, Match, Dport, Sport, CtState, DstType,
  SrcType, Comment, MatchSet, Counters, Jump, Goto,
  /** An option left to the reference (conntrack's original-direction matches: rare, DOCKER-USER rules). */
  Reference,
}

/** `-i`/`-o`'s value (the cursor is on it): Docker's bridge and loopback shared, others made. */
function interfaceMatch(negated: boolean): Negatable<string> {
  if (wordQuoted) return { value: wordValue(), negated };
  const value = commonWord(commonInterfaces);
  return value === 'docker0' || value === 'lo' ? sharedWordMatch(value, negated) : { value, negated };
}

/** Which option the current word names (Other for anything parseRuleOptions has no case for). */
function optionOfWord(): Opt {
  const len = wordEnd - wordStart;
  if (src.charCodeAt(wordStart) !== 45 /* - */) return len === 1 && src.charCodeAt(wordStart) === 33 /* ! */ ? Opt.Bang : Opt.Other;
  if (len === 2) {
    switch (src.charCodeAt(wordStart + 1)) {
      case 112: return Opt.Protocol; // p
      case 115: return Opt.Source; // s
      case 100: return Opt.Destination; // d
      case 105: return Opt.InInterface; // i
      case 111: return Opt.OutInterface; // o
      case 109: return Opt.Match; // m
      case 106: return Opt.Jump; // j
      case 103: return Opt.Goto; // g
      case 99: return Opt.Counters; // c
      default: return Opt.Other;
    }
  }
  if (len < 3 || src.charCodeAt(wordStart + 1) !== 45) return Opt.Other;
  switch (len) {
    case 5: return wordIs('--src') ? Opt.Source : wordIs('--dst') ? Opt.Destination : Opt.Other;
    case 6: return wordIs('--jump') ? Opt.Jump : wordIs('--goto') ? Opt.Goto : Opt.Other;
    case 7: return wordIs('--dport') ? Opt.Dport : wordIs('--sport') ? Opt.Sport : wordIs('--ports') ? Opt.Dport
      : wordIs('--match') ? Opt.Match : wordIs('--state') ? Opt.CtState : wordIs('--ctdir') ? Opt.Reference : Opt.Other;
    case 8: return wordIs('--dports') ? Opt.Dport : wordIs('--sports') ? Opt.Sport : wordIs('--source') ? Opt.Source : Opt.Other;
    case 9: return wordIs('--ctstate') ? Opt.CtState : wordIs('--comment') ? Opt.Comment : Opt.Other;
    case 10: return wordIs('--dst-type') ? Opt.DstType : wordIs('--src-type') ? Opt.SrcType : wordIs('--protocol') ? Opt.Protocol : Opt.Other;
    case 11: return wordIs('--match-set') ? Opt.MatchSet : wordIs('--ctorigdst') ? Opt.Reference : Opt.Other;
    case 13: return wordIs('--source-port') ? Opt.Sport : wordIs('--destination') ? Opt.Destination : Opt.Other;
    case 14: return wordIs('--in-interface') ? Opt.InInterface : wordIs('--source-ports') ? Opt.Sport : wordIs('--set-counters') ? Opt.Counters : Opt.Other;
    case 15: return wordIs('--out-interface') ? Opt.OutInterface : wordIs('--ctorigdstport') ? Opt.Reference : Opt.Other;
    case 18: return wordIs('--destination-port') ? Opt.Dport : Opt.Other;
    case 19: return wordIs('--destination-ports') ? Opt.Dport : Opt.Other;
    default: return Opt.Other;
  }
}

/**
 * The current (unquoted) word as one of `common` when it is one, else a new string. The common words are constants:
 * no string to make, and a property lookup with them (targetKinds, protocol names) needs no hashing.
 */
function commonWord(common: readonly string[]): string {
  for (let k = 0; k < common.length; k++) if (wordIs(common[k]!)) return common[k]!;
  return src.slice(wordStart, wordEnd);
}

/** Modules whose options the model reads (the reference's set, as a list to compare words with). */
const knownModules = [...knownModuleSet];
const commonTargets = ['ACCEPT', 'DROP', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE', 'REJECT', 'REDIRECT', 'LOG', 'MARK', 'DOCKER',
  'DOCKER-USER', 'DOCKER-FORWARD', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-INGRESS'];
const commonTargetOptions = ['to-destination', 'to-source', 'to-ports', 'reject-with', 'to'];
const commonInterfaces = ['docker0', 'lo'];
const commonAddressTypes = ['LOCAL'];

/** A port list word (`80`, `80,443`, `8000:8010`) read from its characters; parsePortList when it is anything else. */
function wordPorts(): PortInterval[] | undefined {
  let out: PortInterval[] | undefined;
  let i = wordQuoted ? wordEnd : wordStart;
  while (i < wordEnd) {
    const from = digitsAt(i);
    if (from < 0) break;
    i = digitsEnd;
    let to = from;
    const sep = src.charCodeAt(i);
    if (i < wordEnd && (sep === 58 /* : */ || sep === 45 /* - */)) {
      to = digitsAt(i + 1);
      if (to < 0) break;
      i = digitsEnd;
    }
    out = appended(out, { start: from, end: to });
    if (i === wordEnd) return out;
    if (src.charCodeAt(i) !== 44 /* , */ || i + 1 === wordEnd) break;
    i++;
  }
  return parsePortList(wordValue());
}

let digitsEnd = 0;
/** The number of 1 to 15 ASCII digits at `i` within the word (exact as a double), -1 when there are none or more. */
function digitsAt(i: number): number {
  let v = 0;
  let k = i;
  while (k < wordEnd) {
    const d = src.charCodeAt(k) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    k++;
  }
  if (k === i || k - i > 15) return -1;
  digitsEnd = k;
  return v;
}

/** `[12:720]` at `start`, its form already checked by the line scanner (countersPrefixEnd). */
export function scanPrefixCounters(text: string, start: number): Counters {
  const colon = text.indexOf(':', start);
  const close = text.indexOf(']', colon);
  const packets = numberOf(text, start + 1, colon);
  const bytes = numberOf(text, colon + 1, close);
  return packets === 0 && bytes === 0 ? zeroCounters : { packets, bytes };
}

function numberOf(text: string, from: number, to: number): number {
  if (to - from > 15 || to <= from) return Number(text.slice(from, to));
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(text.slice(from, to));
    v = v * 10 + d;
  }
  return v;
}

/** What a rule's options say; `counters` from `-c p b` (the `[p:b]` prefix is read apart). */
export interface ScannedOptions {
  matches: RuleMatches;
  action: RuleAction;
  counters: Counters | undefined;
}

/**
 * Reads the options of the rule `text[bodyStart, end)` (`-A CHAIN …`, its first two words skipped) like
 * `parseRuleOptions(tokenize(…), 2)`; undefined when it meets what it leaves to that reference (an option word in
 * quotes, an option missing its value).
 */
export function scanRuleOptions(text: string, bodyStart: number, end: number): ScannedOptions | undefined {
  src = text;
  lineEnd = end;
  const result = scanBody(bodyStart);
  src = '';
  return result;
}

function scanBody(bodyStart: number): ScannedOptions | undefined {
  if (!nextWord(bodyStart) || wordQuoted || !nextWord(wordEnd) || wordQuoted) return undefined;
  const matches: RuleMatches = {};
  let action: RuleAction | undefined;
  let counters: Counters | undefined;
  let negate = false;
  let unknownModule: string | undefined;
  let more = nextWord(wordEnd);
  while (more) {
    if (wordQuoted) return undefined;
    const opt = optionOfWord();
    if (opt === Opt.Bang) { negate = true; more = nextWord(wordEnd); continue; }
    if (opt === Opt.Reference) return undefined;
    const neg = negate;
    negate = false;
    if (opt === Opt.Other) {
      // an option this model has no field for: kept with its values, verbatim (as tokens joined by one space)
      let kept = neg ? `! ${wordValue()}` : wordValue();
      more = nextWord(wordEnd);
      while (more) {
        const value = wordValue();
        if (value === '!' || value.charCodeAt(0) === 45) break;
        kept += ` ${value}`;
        more = nextWord(wordEnd);
      }
      if (unknownModule) { kept = `-m ${unknownModule} ${kept}`; unknownModule = undefined; }
      matches.unknown = appended(matches.unknown, kept);
      continue;
    }
    if (opt === Opt.Jump || opt === Opt.Goto) {
      if (unknownModule) { matches.unknown = appended(matches.unknown, `-m ${unknownModule}`); unknownModule = undefined; }
      action = scanTarget(opt === Opt.Goto, matches);
      if (!action) return undefined;
      more = false;
      continue;
    }
    const optionStart = wordStart;
    const optionEnd = wordEnd;
    if (!nextWord(wordEnd)) return undefined; // the option has no value: parseRuleOptions reports it
    switch (opt) {
      case Opt.Protocol: {
        const value = wordQuoted ? wordValue() : wordIs('tcp') ? 'tcp' : wordIs('udp') ? 'udp' : src.slice(wordStart, wordEnd);
        matches.protocol = value === 'tcp' || value === 'udp' ? sharedWordMatch(value, neg) : { value: normalizeProtocol(value), negated: neg };
        break;
      }
      case Opt.Source: matches.source = { value: wordValue(), negated: neg }; break;
      case Opt.Destination: matches.destination = { value: wordValue(), negated: neg }; break;
      case Opt.InInterface: matches.inInterface = interfaceMatch(neg); break;
      case Opt.OutInterface: matches.outInterface = interfaceMatch(neg); break;
      case Opt.Match: {
        if (unknownModule) matches.unknown = appended(matches.unknown, `-m ${unknownModule}`);
        if (wordQuoted) return undefined;
        const name = commonWord(knownModules);
        const known = knownModules.includes(name);
        // a known first module is a shared (frozen) list: a second one makes a new list
        matches.modules = !matches.modules ? (known ? sharedModuleList(name) : [name]) : [...matches.modules, name];
        unknownModule = known ? undefined : name;
        break;
      }
      case Opt.Dport: case Opt.Sport: {
        if (opt === Opt.Dport && !neg && unknownModule === undefined && !wordQuoted) {
          const port = digitsAt(wordStart);
          if (port >= 0 && digitsEnd === wordEnd) { matches.dport = sharedPortMatch(port); break; }
        }
        const ranges = wordPorts();
        if (ranges && unknownModule === undefined) {
          if (opt === Opt.Dport) matches.dport = { value: ranges, negated: neg };
          else matches.sport = { value: ranges, negated: neg };
        } else matches.unknown = appended(matches.unknown, `${neg ? '! ' : ''}${src.slice(optionStart, optionEnd)} ${wordValue()}`);
        break;
      }
      case Opt.CtState: {
        const value = !wordQuoted && wordIs('RELATED,ESTABLISHED') ? ['RELATED', 'ESTABLISHED'] : wordValue().toUpperCase().split(',');
        matches.ctstate = { value, negated: neg };
        break;
      }
      case Opt.DstType: matches.dstType = !wordQuoted && wordIs('LOCAL') ? sharedWordMatch('LOCAL', neg)
        : { value: wordValue().toUpperCase(), negated: neg }; break;
      case Opt.SrcType: matches.srcType = { value: (wordQuoted ? wordValue() : commonWord(commonAddressTypes)).toUpperCase(), negated: neg }; break;
      case Opt.Comment: matches.comment = wordValue(); break;
      case Opt.MatchSet: {
        const name = wordValue();
        const flags = nextWord(wordEnd) ? wordValue() : undefined;
        matches.sets = appended(matches.sets, { name, flags: flags ? flags.split(',') : [], negated: neg });
        if (flags === undefined) { more = false; continue; }
        break;
      }
      case Opt.Counters: {
        const packets = Number(wordValue());
        if (!nextWord(wordEnd)) { counters = { packets, bytes: 0 }; more = false; continue; }
        counters = { packets, bytes: Number(wordValue()) };
        break;
      }
    }
    more = nextWord(wordEnd);
  }
  if (unknownModule) matches.unknown = appended(matches.unknown, `-m ${unknownModule}`);
  return { matches, action: action ?? { kind: 'none' }, counters };
}

/** `-j TARGET --opt value …` / `-g CHAIN`: the cursor is on the option word; undefined when the target is missing. */
function scanTarget(isGoto: boolean, matches: RuleMatches): RuleAction | undefined {
  if (!nextWord(wordEnd)) return undefined;
  const target = wordQuoted ? wordValue() : commonWord(commonTargets);
  const kind = isGoto ? 'goto' : actionForTarget(target);
  // target options: everything after the target
  let more = nextWord(wordEnd);
  if (!more) return sharedAction(kind, target, isGoto);
  // made whole at once (same keys in the same order as parseRuleOptions adds them): no map transitions on the way
  const action: RuleAction = kind === 'jump' || kind === 'goto' ? { kind, target, chain: target } : { kind, target };
  while (more) {
    const quotedWord = wordQuoted ? wordValue() : undefined;
    const isOption = quotedWord !== undefined ? quotedWord.startsWith('--')
      : wordEnd - wordStart >= 2 && src.charCodeAt(wordStart) === 45 && src.charCodeAt(wordStart + 1) === 45;
    if (isOption) {
      const key = quotedWord !== undefined ? quotedWord.slice(2) : optionKey();
      more = nextWord(wordEnd);
      const value = more ? wordValue() : undefined;
      const hasValue = value !== undefined && !(value.charCodeAt(0) === 45 && value.charCodeAt(1) === 45);
      (action.options ??= {})[key] = hasValue ? value : '';
      if (hasValue) more = nextWord(wordEnd);
    } else {
      matches.unknown = appended(matches.unknown, quotedWord ?? src.slice(wordStart, wordEnd));
      more = nextWord(wordEnd);
    }
  }
  deriveNatTarget(action);
  return action;
}

/** `list` with `item` added; a new one-item array when there is none yet. */
function appended<T>(list: T[] | undefined, item: T): T[] {
  if (!list) return [item];
  list.push(item);
  return list;
}

/** The current `--name` word's name, a constant for the common target options (a property key made from a new
 * string is hashed and looked up in V8's string table). */
function optionKey(): string {
  wordStart += 2;
  const key = commonWord(commonTargetOptions);
  wordStart -= 2;
  return key;
}
