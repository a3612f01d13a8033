// The firewall model as the webview shows it: flat arrays of tables and chains, the rules as columns (protocol.ts
// ViewRuleColumns), indexes between them, host facts in words, links as chips, and trace results with their rules'
// ids. Pure (no `vscode` import): tested with node:test, and used by the panel to build every message it posts.
import type { HostSnapshot } from '../hostSnapshot';
import {
  detectDockerLayout, inferUserlandProxy, linkFirewall, traceConnection, type EngineFacts, type FirewallChain, type FirewallLinks, type FirewallRuleset,
  type RuleLink, type TraceResult,
} from '..';
import {
  VIEW_OWNERS, type HostFacts, type TraceRequestMessage, type ViewChain, type ViewData, type ViewLink, type ViewRuleColumns, type ViewTable, type ViewTrace,
} from '../../../../webview/protocol';
import { formatRange } from '../../net/portInterval';

export interface ViewSource {
  origin: HostFacts['origin'];
  /** The engine address, or the dump's file name. */
  source: string;
  engine?: string;
  /** The helper method's description, when fetched. */
  method?: string;
  snapshot?: HostSnapshot;
  notes?: string[];
  fetchedAt?: Date;
}

const familyWord: Record<string, string> = { ipv4: 'ip', ipv6: 'ip6' };

function tableTitle(t: FirewallRuleset['tables'][number]): string {
  if (t.source === 'nft') return `nft ${familyWord[t.family] ?? t.family} ${t.name}`;
  return `${t.family === 'ipv6' ? 'ip6tables' : 'iptables'} ${t.name}`;
}

function viewLinks(links: RuleLink[] | undefined): ViewLink[] | undefined {
  if (!links?.length) return undefined;
  const out: ViewLink[] = [];
  for (const l of links) {
    if (l.container) {
      const v: ViewLink = { role: l.role, kind: 'container', name: l.container.name, id: l.container.id };
      if (l.port) {
        const host = formatRange(l.port.hostPort, l.port.hostPortEnd ?? l.port.hostPort);
        const cont = formatRange(l.port.containerPort, l.port.containerPortEnd ?? l.port.containerPort);
        v.port = `${l.port.protocol} ${host}→${cont}`;
        v.protocol = l.port.protocol;
        v.hostPort = l.port.hostPort;
        if (l.port.hostPortEnd !== undefined) v.hostPortEnd = l.port.hostPortEnd;
      }
      out.push(v);
    } else if (l.network) {
      out.push({ role: l.role, kind: 'network', name: l.network.name, ...(l.network.id ? { id: l.network.id } : {}) });
    }
  }
  return out.length ? out : undefined;
}

/** Builds what the webview renders. `facts` links rules to containers and networks (absent for offline dumps). */
export function buildViewData(ruleset: FirewallRuleset, src: ViewSource, facts?: EngineFacts): { data: ViewData; links: FirewallLinks } {
  const layout = detectDockerLayout(ruleset);
  // without engine facts there is nothing to link to: only the userland-proxy inference is needed
  const links: FirewallLinks = facts ? linkFirewall(ruleset, facts) : { links: [], byRule: {}, unlinkedDnat: [], userlandProxy: inferUserlandProxy(ruleset) };
  const tables: ViewTable[] = [];
  const chains: ViewChain[] = [];
  const rules = new RuleColumns(ruleset.ruleCount);
  for (const t of ruleset.tables) {
    const ti = tables.length;
    const table: ViewTable = { title: tableTitle(t), family: t.family, name: t.name, source: t.source, owner: t.owner, chains: [] };
    tables.push(table);
    const chainIndex = new Map<string, number>();
    t.chains.forEach((c, i) => chainIndex.set(c.name, chains.length + i));
    for (const c of t.chains) {
      table.chains.push(chains.length);
      chains.push(viewChain(c, ti, rules.count));
      for (const r of c.rules) {
        const i = rules.add(r.text, r.line, r.owner);
        // each lazy field read once (a getter call each)
        const action = r.action;
        const target = action.target ?? (action.vmap ? `vmap @${action.vmap.map}` : undefined);
        if (target !== undefined) rules.setTarget(i, target, action.chain !== undefined ? chainIndex.get(action.chain) : undefined);
        const counters = r.counters;
        if (counters) rules.setCounters(i, counters.packets, counters.bytes, 'approximate' in counters && !!counters.approximate);
        const comment = r.matches.comment;
        if (comment) rules.comments.push([i, comment]);
        const l = facts ? viewLinks(links.byRule[r.id]) : undefined;
        if (l) rules.links.push([i, l]);
      }
    }
  }
  const snapshot = src.snapshot;
  const pss = snapshot?.dockerProxies.reduce((sum, p) => sum + (p.pssKb ?? 0), 0);
  const hostFacts: HostFacts = {
    source: src.source,
    origin: src.origin,
    backend: layout.backend,
    era: layout.description,
    eraEvidence: layout.evidence,
    userlandProxy: links.userlandProxy.state,
    userlandProxyEvidence: links.userlandProxy.evidence.map((e) => e.text),
    sysctls: Object.entries(snapshot?.sysctls ?? {}).map(([key, value]) => ({ key: key.replace(/\//g, '.'), value })),
    method: src.method ?? (src.origin === 'engine' ? 'helper container' : `from ${src.origin}`),
    formats: ruleset.formats,
    ruleCount: ruleset.ruleCount,
    diagnostics: ruleset.diagnostics.slice(0, 20).map((d) => `line ${d.line}: ${d.message}: ${d.text}`),
    notes: [...(src.notes ?? []), ...(snapshot?.errors ?? [])],
  };
  if (src.engine) hostFacts.engine = src.engine;
  if (links.userlandProxy.processCheck) hostFacts.proxyProcessCheck = links.userlandProxy.processCheck;
  if (snapshot) {
    hostFacts.dockerProxyCount = snapshot.dockerProxies.length;
    hostFacts.dockerProxyPssKb = pss ?? 0;
  }
  if (src.fetchedAt) hostFacts.fetchedAt = src.fetchedAt.toISOString();
  return { data: { facts: hostFacts, tables, chains, rules: rules.done() }, links };
}

const ownerNumber = new Map(VIEW_OWNERS.map((o, i) => [o as string, i]));

/** ViewRuleColumns, filled rule by rule. */
class RuleColumns {
  count = 0;
  private readonly texts: string[];
  private readonly line: number[];
  private readonly owner: number[];
  private readonly target: number[];
  private readonly jump: number[];
  private counters: number[] | undefined;
  private readonly approximate: number[] = [];
  private readonly targets: string[] = [];
  private readonly targetNumber = new Map<string, number>();
  readonly comments: Array<[number, string]> = [];
  readonly links: Array<[number, ViewLink[]]> = [];

  constructor(private readonly expected: number) {
    // sized once (ruleCount is known); `add` still grows them if a parser counted fewer
    this.texts = new Array<string>(expected);
    this.line = new Array<number>(expected).fill(0);
    this.owner = new Array<number>(expected).fill(0);
    this.target = new Array<number>(expected).fill(-1);
    this.jump = new Array<number>(expected).fill(-1);
  }

  add(text: string, line: number, owner: string): number {
    const i = this.count++;
    // a rule's text is one line; a newline in it would shift every later rule
    this.texts[i] = text.includes('\n') ? text.replace(/\r?\n/g, ' ') : text;
    this.line[i] = line;
    this.owner[i] = ownerNumber.get(owner) ?? ownerNumber.get('other')!;
    if (i >= this.expected) { this.target[i] = -1; this.jump[i] = -1; }
    return i;
  }

  setTarget(i: number, target: string, jump: number | undefined): void {
    let t = this.targetNumber.get(target);
    if (t === undefined) { t = this.targets.length; this.targets.push(target); this.targetNumber.set(target, t); }
    this.target[i] = t;
    if (jump !== undefined) this.jump[i] = jump;
  }

  setCounters(i: number, packets: number, bytes: number, approximate: boolean): void {
    const c = (this.counters ??= new Array<number>(2 * Math.max(this.expected, i + 1)).fill(-1));
    c[2 * i] = packets;
    c[2 * i + 1] = bytes;
    if (approximate) this.approximate.push(i);
  }

  done(): ViewRuleColumns {
    const n = this.count;
    for (const a of [this.texts, this.line, this.owner, this.target, this.jump]) a.length = n;
    const out: ViewRuleColumns = {
      count: n, text: n ? `${this.texts.join('\n')}\n` : '', line: this.line, targets: this.targets, target: this.target, jump: this.jump,
      owner: this.owner, comments: this.comments, links: this.links,
    };
    if (this.counters) {
      const c = this.counters;
      // rules after `expected` without counters; then cut to two a rule
      for (let k = c.length; k < 2 * n; k++) c[k] = -1;
      c.length = 2 * n;
      out.counters = c;
    }
    if (this.approximate.length) out.approximate = this.approximate;
    return out;
  }
}

function viewChain(c: FirewallChain, table: number, firstRule: number): ViewChain {
  const v: ViewChain = { table, name: c.name, builtin: c.builtin, owner: c.owner, firstRule, ruleCount: c.rules.length };
  if (c.policy) v.policy = c.policy;
  if (c.counters) v.counters = { ...c.counters };
  if (c.references !== undefined) v.references = c.references;
  if (c.hook) v.hook = `${c.hook.type} ${c.hook.hook} priority ${c.hook.priority}`;
  return v;
}

/** Runs the trace and turns it into the message the webview shows. */
export function traceForView(ruleset: FirewallRuleset, request: TraceRequestMessage, facts?: EngineFacts): ViewTrace {
  const result: TraceResult = traceConnection(ruleset,
    { protocol: request.protocol, port: request.port, from: request.from, ...(request.to ? { toAddress: request.to } : {}), ...(facts ? { facts } : {}) });
  return {
    request,
    steps: result.steps.map((s) => ({
      where: s.hook === 'routing' ? 'routing' : `${s.hook} · ${s.table} ${s.chain}`,
      text: s.text,
      effect: s.effect,
      ...(s.ruleId ? { ruleId: s.ruleId } : {}),
    })),
    verdict: {
      kind: result.verdict.kind,
      text: result.verdict.text,
      ...(result.verdict.ruleId ? { ruleId: result.verdict.ruleId } : {}),
      ...(result.verdict.container ? { container: result.verdict.container.name } : {}),
    },
    assumptions: result.assumptions,
  };
}
