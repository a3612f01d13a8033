// `nft -j list ruleset` (libnftables JSON, schema 1) into the `nft list ruleset` text nft itself would print, so one
// parser (nftReader.ts) reads both and a rule's text is the statement a user knows. Expressions this file does not
// know are written as `<name> <json>` and so land verbatim in the rule's unknown matches.
//
// Caveat, seen with nft 1.0.6: for tables made by iptables-nft, JSON shows an iptables extension only by
// name (`{"xt": {"type": "match", "name": "addrtype"}}`) where the text shows its translation
// (`fib daddr type local`). nftJsonToText reports such rules, and the host helper reads the text listing.
//
// The JSON is someone's file: expressions are read to MAX_EXPRESSION_DEPTH levels (nft's own nest a few deep; 5,000
// levels overflow the stack), deeper ones are shown as `…` and reported, and no list of the input's size is
// spread into a call's arguments.

import { jsonErrorOffset } from './jsonError';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A string of the input on one line: a line break in a name or comment would start a line of the text. */
const oneLine = (s: string) => (s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace(/[\r\n]/g, ' '));
const str = (v: Json | undefined): string => (typeof v === 'string' ? oneLine(v) : typeof v === 'number' ? String(v) : '');
const quote = (s: string) => `"${oneLine(s).replace(/["\\]/g, '\\$&')}"`;

/** How deep an expression is read; deeper parts print as `…`. */
export const MAX_EXPRESSION_DEPTH = 32;
const TOO_DEEP = '…';

/** What reading one rule found it could not show: iptables extensions by name, expressions nested too deep. */
interface Losses {
  onLoss(what: string): void;
  tooDeep: boolean;
}

/** JSON text of a value, its parts deeper than `depth` levels as `"…"` (JSON.stringify recurses without a limit). */
function boundedJson(v: Json | undefined, depth: number, losses: Losses): string {
  if (v === undefined) return 'null';
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (depth <= 0) {
    losses.tooDeep = true;
    return JSON.stringify(TOO_DEEP);
  }
  if (Array.isArray(v)) return `[${v.map((x) => boundedJson(x, depth - 1, losses)).join(',')}]`;
  return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${boundedJson(v[k], depth - 1, losses)}`).join(',')}}`;
}

/** Whether the text looks like `nft -j` output (without parsing all of it). */
export function looksLikeNftJson(text: string): boolean {
  const start = text.search(/\S/);
  return start >= 0 && text.charCodeAt(start) === 123 /* { */ && /^\{\s*"nftables"\s*:/.test(text.slice(start, start + 64));
}

export interface NftJsonProblem {
  /** A line of the JSON (invalid JSON) or of the converted text (a rule it could not show whole); 1 otherwise. */
  line: number;
  message: string;
}

export interface NftJsonConversion {
  /** `nft list ruleset` text, one rule per line; undefined when the input is not nft JSON. */
  text?: string;
  /** Why the input could not be read, or what it loses (iptables extensions shown by name only). */
  problems: NftJsonProblem[];
}

/** Keys whose string values nft prints in quotes (interface names, comments); everything else prints bare. */
const quotedKeys = new Set(['iifname', 'oifname', 'ibrname', 'obrname']);

function leftText(left: Json, depth: number, losses: Losses): { text: string; quoted: boolean } {
  if (!isObj(left)) return { text: str(left), quoted: false };
  if (depth <= 0) {
    losses.tooDeep = true;
    return { text: TOO_DEEP, quoted: false };
  }
  if (isObj(left.payload)) return { text: `${str(left.payload.protocol)} ${str(left.payload.field)}`, quoted: false };
  if (isObj(left.meta)) {
    const key = str(left.meta.key);
    // nft prints these meta keys without `meta` (nft's own listing: `iifname "docker0"`, `meta l4proto tcp`)
    const bare = /^(iifname|oifname|iif|oif|iiftype|oiftype|skuid|skgid|ibrname|obrname|pkttype|cpu|cgroup)$/.test(key);
    return { text: bare ? key : `meta ${key}`, quoted: quotedKeys.has(key) };
  }
  if (isObj(left.ct)) return { text: `ct ${left.ct.dir ? `${str(left.ct.dir)} ` : ''}${str(left.ct.key)}`, quoted: false };
  if (isObj(left.fib)) {
    const flags = Array.isArray(left.fib.flags) ? left.fib.flags.map(str) : [str(left.fib.flags)];
    return { text: `fib ${flags.join(' . ')} ${str(left.fib.result)}`, quoted: false };
  }
  if (Array.isArray(left.concat)) return { text: left.concat.map((p) => leftText(p, depth - 1, losses).text).join(' . '), quoted: false };
  const [key] = Object.keys(left);
  return { text: `${key} ${boundedJson(left[key!], depth - 1, losses)}`, quoted: false };
}

function valueText(v: Json | undefined, quoted: boolean, depth: number, losses: Losses): string {
  if (typeof v === 'string') return quoted || /[\s"{},]/.test(v) ? quote(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '';
  if (depth <= 0) {
    losses.tooDeep = true;
    return TOO_DEEP;
  }
  const inner = (x: Json) => valueText(x, quoted, depth - 1, losses);
  if (Array.isArray(v)) return v.map(inner).join(',');
  if (isObj(v.prefix)) return `${str(v.prefix.addr)}/${str(v.prefix.len)}`;
  if (Array.isArray(v.range)) return v.range.map(inner).join('-');
  if (Array.isArray(v.set)) return `{ ${v.set.map(inner).join(', ')} }`;
  if (isObj(v.elem)) return inner(v.elem.val ?? '');
  return boundedJson(v, depth, losses);
}

function verdictText(v: Json): string | undefined {
  if (!isObj(v)) return undefined;
  for (const k of ['accept', 'drop', 'return', 'continue', 'queue']) if (k in v) return k;
  for (const k of ['jump', 'goto']) if (isObj(v[k])) return `${k} ${str((v[k] as Obj).target)}`;
  return undefined;
}

function natText(kind: string, v: Json, losses: Losses): string {
  if (!isObj(v)) return kind;
  const addr = v.addr === undefined ? '' : valueText(v.addr, false, MAX_EXPRESSION_DEPTH, losses);
  const port = v.port === undefined ? '' : valueText(v.port, false, MAX_EXPRESSION_DEPTH, losses);
  const fam = v.family ? ` ${str(v.family)}` : '';
  const to = addr || port ? ` to ${addr.includes(':') && port ? `[${addr}]` : addr}${port ? `:${port}` : ''}` : '';
  const flags = Array.isArray(v.flags) ? v.flags.map(str) : v.flags ? [str(v.flags)] : [];
  return `${kind}${to ? fam : ''}${to}${flags.length ? ` ${flags.join(',')}` : ''}`;
}

/** One statement of a rule's `expr` list as nft prints it. */
export function statementText(e: Json, losses: Losses): string {
  const depth = MAX_EXPRESSION_DEPTH;
  if (!isObj(e)) return boundedJson(e, depth, losses);
  const [kind] = Object.keys(e);
  const v = e[kind!]!;
  switch (kind) {
    case 'match': {
      if (!isObj(v)) break;
      const left = leftText(v.left ?? null, depth, losses);
      const op = str(v.op);
      const shown = op === '==' || op === 'in' ? '' : `${op} `;
      return `${left.text} ${shown}${valueText(v.right ?? '', left.quoted, depth, losses)}`;
    }
    case 'counter':
      return isObj(v) ? `counter packets ${str(v.packets)} bytes ${str(v.bytes)}` : 'counter';
    case 'accept': case 'drop': case 'return': case 'continue':
      return kind;
    case 'jump': case 'goto':
      return `${kind} ${isObj(v) ? str(v.target) : ''}`;
    case 'dnat': case 'snat': case 'masquerade': case 'redirect':
      return natText(kind, v, losses);
    case 'reject':
      return isObj(v) && v.type ? `reject with ${str(v.type)}${v.expr !== undefined ? ` ${str(v.expr)}` : ''}` : 'reject';
    case 'log':
      return isObj(v) && v.prefix !== undefined ? `log prefix ${quote(str(v.prefix))}` : 'log';
    case 'vmap': {
      if (!isObj(v)) break;
      const key = leftText(v.key ?? null, depth, losses);
      const data = typeof v.data === 'string' ? v.data
        : isObj(v.data) && Array.isArray(v.data.set)
          ? `{ ${v.data.set.map((pair) => (Array.isArray(pair)
            ? `${valueText(pair[0]!, key.quoted, depth, losses)} : ${verdictText(pair[1]!) ?? boundedJson(pair[1], depth, losses)}` : '')).join(', ')} }`
          : boundedJson(v.data, depth, losses);
      return `${key.text} vmap ${data}`;
    }
    case 'xt': {
      const type = isObj(v) ? str(v.type) : '';
      const name = isObj(v) ? str(v.name) : '';
      // MASQUERADE as Docker uses it has no options to lose; a DNAT target keeps its kind but loses its destination
      if (type === 'target' && name === 'MASQUERADE') return 'masquerade';
      losses.onLoss(`${type} ${name}`);
      if (type === 'target' && (name === 'DNAT' || name === 'SNAT')) return name.toLowerCase();
      return `xt ${type} ${name}`;
    }
    default:
      break;
  }
  return `${kind} ${boundedJson(v, depth, losses)}`;
}

const priorityNames: Record<number, string> = { [-300]: 'raw', [-150]: 'mangle', [-100]: 'dstnat', 0: 'filter', 50: 'security', 100: 'srcnat' };

/** Where JSON.parse stopped, as line, column and offset: V8's `at position N` when it says, else jsonErrorOffset's. */
export function jsonErrorPlace(input: string, message: string): { line: number; column: number; offset: number } {
  const m = /at position (\d+)/.exec(message);
  const scanned = m ? -1 : jsonErrorOffset(input);
  const offset = m ? Math.min(Number(m[1]), input.length) : scanned >= 0 ? scanned : input.length;
  let line = 1;
  let lineStart = 0;
  for (let i = input.indexOf('\n'); i >= 0 && i < offset; i = input.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1, offset };
}

interface ChainText { head: string[]; rules: Array<{ text: string; tooDeep: boolean }> }

/** Converts `nft -j list ruleset` output; the text parses with parseFirewall like `nft list ruleset` would. */
export function nftJsonToText(input: string): NftJsonConversion {
  let doc: Json;
  try {
    doc = JSON.parse(input) as Json;
  } catch (e) {
    const reason = (e as Error).message;
    const at = jsonErrorPlace(input, reason);
    const end = at.offset >= input.length ? ', at the end of the input (cut short?)' : '';
    return { problems: [{ line: at.line, message: `not valid JSON at line ${at.line}, column ${at.column} (offset ${at.offset})${end}: ${reason}` }] };
  }
  const items = isObj(doc) && Array.isArray(doc.nftables) ? doc.nftables : undefined;
  if (!items) return { problems: [{ line: 1, message: 'JSON without an "nftables" list: not `nft -j` output' }] };
  // tables in order; their chains, maps and sets in order; rules under their chain
  const tables = new Map<string, { head: string; maps: string[]; chains: Map<string, ChainText> }>();
  const tableKey = (o: Obj) => `${str(o.family)} ${str(o.table ?? o.name)}`;
  const lost = new Set<string>();
  const losses: Losses = { onLoss: (what) => lost.add(what), tooDeep: false };
  const chainOf = (o: Obj) => {
    const t = tables.get(tableKey(o));
    if (!t) return undefined;
    let c = t.chains.get(str(o.chain ?? o.name));
    if (!c) t.chains.set(str(o.chain ?? o.name), (c = { head: [], rules: [] }));
    return c;
  };
  const depth = MAX_EXPRESSION_DEPTH;
  for (const item of items) {
    if (!isObj(item)) continue;
    if (isObj(item.table)) {
      tables.set(tableKey(item.table), { head: `table ${tableKey(item.table)} {`, maps: [], chains: new Map() });
    } else if (isObj(item.chain)) {
      const ch = item.chain;
      const c = chainOf(ch);
      if (c && ch.hook !== undefined) {
        const prio = typeof ch.prio === 'number' ? priorityNames[ch.prio] ?? String(ch.prio) : str(ch.prio);
        c.head.push(`type ${str(ch.type)} hook ${str(ch.hook)}${ch.dev ? ` device ${quote(str(ch.dev))}` : ''} priority ${prio}; ` +
          `policy ${str(ch.policy) || 'accept'};`);
      }
    } else if (isObj(item.map) || isObj(item.set)) {
      const kind = isObj(item.map) ? 'map' : 'set';
      const m = (item.map ?? item.set) as Obj;
      const t = tables.get(tableKey(m));
      if (!t) continue;
      const type = `${Array.isArray(m.type) ? m.type.map(str).join(' . ') : str(m.type)}${kind === 'map' ? ` : ${str(m.map)}` : ''}`;
      const elems = Array.isArray(m.elem) ? m.elem.map((el) => (Array.isArray(el) && kind === 'map'
        ? `${valueText(el[0]!, true, depth, losses)} : ${verdictText(el[1]!) ?? valueText(el[1]!, false, depth, losses)}`
        : valueText(el, true, depth, losses))) : [];
      const lines = [`\t${kind} ${str(m.name)} {`, `\t\ttype ${type}`];
      if (elems.length) lines.push(`\t\telements = { ${elems.join(', ')} }`);
      lines.push('\t}');
      t.maps.push(lines.join('\n'));
    } else if (isObj(item.rule)) {
      const r = item.rule;
      const c = chainOf(r);
      if (!c) continue;
      losses.tooDeep = false;
      const parts = (Array.isArray(r.expr) ? r.expr : []).map((e) => statementText(e, losses));
      if (typeof r.comment === 'string') parts.push(`comment ${quote(r.comment)}`);
      c.rules.push({ text: parts.join(' '), tooDeep: losses.tooDeep });
    }
  }
  // pushed one by one: a chain's rules or a table's maps spread into push() overflow the stack past ~120,000
  const out: string[] = [];
  const problems: NftJsonProblem[] = [];
  /** Lines of `out` so far: a rule's line in the text (maps are several lines each). */
  let lines = 0;
  const emit = (text: string) => {
    out.push(text);
    lines++;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  };
  for (const t of tables.values()) {
    emit(t.head);
    for (const m of t.maps) emit(m);
    for (const [name, c] of t.chains) {
      emit(`\tchain ${name} {`);
      for (const h of c.head) emit(`\t\t${h}`);
      for (const r of c.rules) {
        emit(`\t\t${r.text}`);
        if (r.tooDeep) problems.push({ line: lines,
          message: `an expression nested deeper than ${MAX_EXPRESSION_DEPTH} levels in chain ${name}: its deeper parts are shown as ${TOO_DEEP} and not ` +
          `read` });
      }
      emit('\t}');
    }
    emit('}');
  }
  if (lost.size) {
    problems.unshift({ line: 1,
      message: `nft -j shows iptables extensions by name only (${[...lost].sort().join(', ')}): their options are missing; \`nft list ruleset\` or ` +
      `iptables-save shows them` });
  }
  return { text: out.join('\n') + '\n', problems };
}
