// The flat row list the virtual list scrolls over: table headers, chain headers and rules, after collapsing,
// filtering, "only Docker" and the tree's focus. DOM-free, so it is unit-tested and cheap: 100,000 rules become two
// typed arrays, never 100,000 objects or DOM nodes.
import type { ViewData, ViewFocus, ViewLink } from './protocol';
import type { RuleTable } from './ruleTable';

export const enum RowKind { Table = 0, Chain = 1, Rule = 2, Empty = 3 }

export interface RowList {
  kinds: Uint8Array;
  /** Table, chain or rule index (for Empty rows: the chain's). */
  refs: Int32Array;
  length: number;
  /** Rules that pass the filter, only Docker and the focus (collapsed ones included). */
  matchingRules: number;
}

export interface RowOptions {
  filter: string;
  onlyDocker: boolean;
  collapsedTables: ReadonlySet<number>;
  collapsedChains: ReadonlySet<number>;
  /** When set, only these rules (and their chains and tables) are shown. */
  focusRules?: ReadonlySet<number>;
}

/** `hits`: the rules the filter finds (RuleTable.find), when there is a filter. */
export function buildRows(data: ViewData, rules: RuleTable, hits: Uint8Array | undefined, o: RowOptions): RowList {
  const max = data.tables.length + data.chains.length * 2 + rules.count;
  const kinds = new Uint8Array(max);
  const refs = new Int32Array(max);
  let n = 0;
  let matching = 0;
  const needle = o.filter.trim().toLowerCase();
  const filtering = needle.length > 0 || o.onlyDocker || !!o.focusRules;
  const ruleShown = (ri: number, chainDocker: boolean) => {
    if (o.focusRules && !o.focusRules.has(ri)) return false;
    if (o.onlyDocker && !chainDocker && rules.owner(ri) !== 'docker') return false;
    return !needle || hits?.[ri] === 1;
  };
  data.tables.forEach((table, ti) => {
    const tableStart = n;
    kinds[n] = RowKind.Table; refs[n++] = ti;
    let anyChain = false;
    for (const ci of table.chains) {
      const chain = data.chains[ci]!;
      const chainDocker = chain.owner === 'docker';
      const nameHit = !!needle && chain.name.toLowerCase().includes(needle);
      let shown = 0;
      const chainRow = n;
      if (!o.collapsedTables.has(ti)) { kinds[n] = RowKind.Chain; refs[n++] = ci; }
      const collapsed = o.collapsedTables.has(ti) || o.collapsedChains.has(ci);
      for (let ri = chain.firstRule; ri < chain.firstRule + chain.ruleCount; ri++) {
        const show = nameHit && !o.focusRules && (!o.onlyDocker || chainDocker || rules.owner(ri) === 'docker') ? true : ruleShown(ri, chainDocker);
        if (!show) continue;
        shown++;
        if (!collapsed) { kinds[n] = RowKind.Rule; refs[n++] = ri; }
      }
      const keep = !filtering || shown > 0 || (nameHit && !o.focusRules) || (o.onlyDocker && chainDocker && !needle && !o.focusRules);
      if (!keep) { n = chainRow; continue; }
      anyChain = true;
      matching += shown;
      if (!collapsed && chain.ruleCount === 0 && !o.collapsedTables.has(ti)) { kinds[n] = RowKind.Empty; refs[n++] = ci; }
    }
    if (filtering && !anyChain) n = tableStart;
  });
  return { kinds, refs, length: n, matchingRules: matching };
}

/** Rule indexes whose links match the focus (a container, one of its published ports, or a network). */
export function rulesForFocus(rules: RuleTable, focus: ViewFocus): Set<number> {
  const out = new Set<number>();
  for (const [i, links] of rules.linked()) if (links.some((l) => linkMatchesFocus(l, focus))) out.add(i);
  return out;
}

export function linkMatchesFocus(link: ViewLink, focus: ViewFocus): boolean {
  if (focus.kind === 'network') return link.kind === 'network' && (link.id === focus.id || link.name === focus.id);
  if (link.kind !== 'container' || (link.id !== focus.id && link.name !== focus.id)) return false;
  if (focus.kind === 'container') return true;
  if (link.hostPort === undefined || focus.hostPort === undefined) return false;
  if (focus.protocol && link.protocol && link.protocol !== focus.protocol) return false;
  const linkEnd = link.hostPortEnd ?? link.hostPort;
  const focusEnd = focus.hostPortEnd ?? focus.hostPort;
  return link.hostPort <= focusEnd && linkEnd >= focus.hostPort;
}

/** The rule's text without the `[0:0] -A CHAIN ` prefix its row already shows in other columns. */
export function ruleBody(text: string): string {
  return text.replace(/^\[\d+:\d+\]\s+/, '').replace(/^-A\s+\S+\s+/, '');
}

const units = ['', 'K', 'M', 'G', 'T'];
/** `1.2M` for packet and byte counters. */
export function shortCount(n: number): string {
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return i === 0 ? String(v) : `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}
