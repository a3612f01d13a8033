// `nft -j list ruleset` (libnftables JSON, schema 1) into the `nft list ruleset` text nft itself would print, so one
// parser (parseNft.ts) reads both and a rule's text is the statement a user knows. Expressions this file does not
// know are written as `<name> <json>` and so land verbatim in the rule's unknown matches.
//
// Caveat, seen on this machine's nft 1.0.6: for tables made by iptables-nft, JSON shows an iptables extension only by
// name (`{"xt": {"type": "match", "name": "addrtype"}}`) where the text shows its translation
// (`fib daddr type local`). nftJsonToText reports such rules, and the host helper reads the text listing.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: Json | undefined): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

/** Whether the text looks like `nft -j` output (without parsing all of it). */
export function looksLikeNftJson(text: string): boolean {
  const start = text.search(/\S/);
  return start >= 0 && text.charCodeAt(start) === 123 /* { */ && /^\{\s*"nftables"\s*:/.test(text.slice(start, start + 64));
}

export interface NftJsonConversion {
  /** `nft list ruleset` text, one rule per line; undefined when the input is not nft JSON. */
  text?: string;
  /** Why the input could not be read, or what it loses (iptables extensions shown by name only). */
  problems: string[];
}

/** Keys whose string values nft prints in quotes (interface names, comments); everything else prints bare. */
const quotedKeys = new Set(['iifname', 'oifname', 'ibrname', 'obrname']);

function leftText(left: Json): { text: string; quoted: boolean } {
  if (!isObj(left)) return { text: str(left), quoted: false };
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
  if (Array.isArray(left.concat)) return { text: left.concat.map((p) => leftText(p).text).join(' . '), quoted: false };
  const [key] = Object.keys(left);
  return { text: `${key} ${JSON.stringify(left[key!])}`, quoted: false };
}

function valueText(v: Json, quoted: boolean): string {
  if (typeof v === 'string') return quoted || /[\s"{},]/.test(v) ? quote(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => valueText(x, quoted)).join(',');
  if (!isObj(v)) return '';
  if (isObj(v.prefix)) return `${str(v.prefix.addr)}/${str(v.prefix.len)}`;
  if (Array.isArray(v.range)) return v.range.map((x) => valueText(x, quoted)).join('-');
  if (Array.isArray(v.set)) return `{ ${v.set.map((x) => valueText(x, quoted)).join(', ')} }`;
  if (isObj(v.elem)) return valueText(v.elem.val ?? '', quoted);
  return JSON.stringify(v);
}

function verdictText(v: Json): string | undefined {
  if (!isObj(v)) return undefined;
  for (const k of ['accept', 'drop', 'return', 'continue', 'queue']) if (k in v) return k;
  for (const k of ['jump', 'goto']) if (isObj(v[k])) return `${k} ${str((v[k] as Obj).target)}`;
  return undefined;
}

function natText(kind: string, v: Json): string {
  if (!isObj(v)) return kind;
  const addr = v.addr === undefined ? '' : valueText(v.addr, false);
  const port = v.port === undefined ? '' : valueText(v.port, false);
  const fam = v.family ? ` ${str(v.family)}` : '';
  const to = addr || port ? ` to ${addr.includes(':') && port ? `[${addr}]` : addr}${port ? `:${port}` : ''}` : '';
  const flags = Array.isArray(v.flags) ? v.flags.map(str) : v.flags ? [str(v.flags)] : [];
  return `${kind}${to ? fam : ''}${to}${flags.length ? ` ${flags.join(',')}` : ''}`;
}

/** One statement of a rule's `expr` list as nft prints it. */
export function statementText(e: Json, onLoss: (what: string) => void): string {
  if (!isObj(e)) return JSON.stringify(e);
  const [kind] = Object.keys(e);
  const v = e[kind!]!;
  switch (kind) {
    case 'match': {
      if (!isObj(v)) break;
      const left = leftText(v.left ?? null);
      const op = str(v.op);
      const shown = op === '==' || op === 'in' ? '' : `${op} `;
      return `${left.text} ${shown}${valueText(v.right ?? '', left.quoted)}`;
    }
    case 'counter':
      return isObj(v) ? `counter packets ${str(v.packets)} bytes ${str(v.bytes)}` : 'counter';
    case 'accept': case 'drop': case 'return': case 'continue':
      return kind;
    case 'jump': case 'goto':
      return `${kind} ${isObj(v) ? str(v.target) : ''}`;
    case 'dnat': case 'snat': case 'masquerade': case 'redirect':
      return natText(kind, v);
    case 'reject':
      return isObj(v) && v.type ? `reject with ${str(v.type)}${v.expr !== undefined ? ` ${str(v.expr)}` : ''}` : 'reject';
    case 'log':
      return isObj(v) && v.prefix !== undefined ? `log prefix ${quote(str(v.prefix))}` : 'log';
    case 'vmap': {
      if (!isObj(v)) break;
      const key = leftText(v.key ?? null);
      const data = typeof v.data === 'string' ? v.data
        : isObj(v.data) && Array.isArray(v.data.set)
          ? `{ ${v.data.set.map((pair) => (Array.isArray(pair) ? `${valueText(pair[0]!, key.quoted)} : ${verdictText(pair[1]!) ?? JSON.stringify(pair[1])}` : '')).join(', ')} }`
          : JSON.stringify(v.data);
      return `${key.text} vmap ${data}`;
    }
    case 'xt': {
      const type = isObj(v) ? str(v.type) : '';
      const name = isObj(v) ? str(v.name) : '';
      // MASQUERADE as Docker uses it has no options to lose; a DNAT target keeps its kind but loses its destination
      if (type === 'target' && name === 'MASQUERADE') return 'masquerade';
      onLoss(`${type} ${name}`);
      if (type === 'target' && (name === 'DNAT' || name === 'SNAT')) return name.toLowerCase();
      return `xt ${type} ${name}`;
    }
    default:
      break;
  }
  return `${kind} ${JSON.stringify(v)}`;
}

const priorityNames: Record<number, string> = { [-300]: 'raw', [-150]: 'mangle', [-100]: 'dstnat', 0: 'filter', 50: 'security', 100: 'srcnat' };

/** Converts `nft -j list ruleset` output; the text parses with parseFirewall like `nft list ruleset` would. */
export function nftJsonToText(input: string): NftJsonConversion {
  let doc: Json;
  try {
    doc = JSON.parse(input) as Json;
  } catch (e) {
    return { problems: [`not valid JSON: ${(e as Error).message}`] };
  }
  const items = isObj(doc) && Array.isArray(doc.nftables) ? doc.nftables : undefined;
  if (!items) return { problems: ['JSON without an "nftables" list: not `nft -j` output'] };
  // tables in order; their chains, maps and sets in order; rules under their chain
  const tables = new Map<string, { head: string; maps: string[]; chains: Map<string, { head: string[]; rules: string[] }> }>();
  const tableKey = (o: Obj) => `${str(o.family)} ${str(o.table ?? o.name)}`;
  const losses = new Set<string>();
  const chainOf = (o: Obj) => {
    const t = tables.get(tableKey(o));
    if (!t) return undefined;
    let c = t.chains.get(str(o.chain ?? o.name));
    if (!c) t.chains.set(str(o.chain ?? o.name), (c = { head: [], rules: [] }));
    return c;
  };
  for (const item of items) {
    if (!isObj(item)) continue;
    if (isObj(item.table)) {
      tables.set(tableKey(item.table), { head: `table ${tableKey(item.table)} {`, maps: [], chains: new Map() });
    } else if (isObj(item.chain)) {
      const ch = item.chain;
      const c = chainOf(ch);
      if (c && ch.hook !== undefined) {
        const prio = typeof ch.prio === 'number' ? priorityNames[ch.prio] ?? String(ch.prio) : str(ch.prio);
        c.head.push(`type ${str(ch.type)} hook ${str(ch.hook)}${ch.dev ? ` device ${quote(str(ch.dev))}` : ''} priority ${prio}; policy ${str(ch.policy) || 'accept'};`);
      }
    } else if (isObj(item.map) || isObj(item.set)) {
      const kind = isObj(item.map) ? 'map' : 'set';
      const m = (item.map ?? item.set) as Obj;
      const t = tables.get(tableKey(m));
      if (!t) continue;
      const type = `${Array.isArray(m.type) ? m.type.map(str).join(' . ') : str(m.type)}${kind === 'map' ? ` : ${str(m.map)}` : ''}`;
      const elems = Array.isArray(m.elem) ? m.elem.map((el) => (Array.isArray(el) && kind === 'map'
        ? `${valueText(el[0]!, true)} : ${verdictText(el[1]!) ?? valueText(el[1]!, false)}`
        : valueText(el, true))) : [];
      t.maps.push([`\t${kind} ${str(m.name)} {`, `\t\ttype ${type}`, ...(elems.length ? [`\t\telements = { ${elems.join(', ')} }`] : []), '\t}'].join('\n'));
    } else if (isObj(item.rule)) {
      const r = item.rule;
      const c = chainOf(r);
      if (!c) continue;
      const parts = (Array.isArray(r.expr) ? r.expr : []).map((e) => statementText(e, (what) => losses.add(what)));
      if (typeof r.comment === 'string') parts.push(`comment ${quote(r.comment)}`);
      c.rules.push(parts.join(' '));
    }
  }
  const out: string[] = [];
  for (const t of tables.values()) {
    out.push(t.head, ...t.maps);
    for (const [name, c] of t.chains) out.push(`\tchain ${name} {`, ...c.head.map((h) => `\t\t${h}`), ...c.rules.map((r) => `\t\t${r}`), '\t}');
    out.push('}');
  }
  const problems = losses.size
    ? [`nft -j shows iptables extensions by name only (${[...losses].sort().join(', ')}): their options are missing; \`nft list ruleset\` or iptables-save shows them`]
    : [];
  return { text: out.join('\n') + '\n', problems };
}
