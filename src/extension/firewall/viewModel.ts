// The firewall model as the webview shows it: flat arrays of tables, chains and rules with indexes between them,
// host facts in words, links as chips, and trace results with their rules' ids. Pure (no `vscode` import): tested
// with node:test, and used by the panel to build every message it posts.
import type { HostSnapshot } from '../../core/firewall/hostSnapshot';
import {
  detectDockerLayout, inferUserlandProxy, linkFirewall, traceConnection, type EngineFacts, type FirewallChain, type FirewallLinks, type FirewallRuleset,
  type RuleLink, type TraceResult,
} from '../../core/firewall';
import type { HostFacts, TraceRequestMessage, ViewChain, ViewData, ViewLink, ViewRule, ViewTable, ViewTrace } from '../../../webview/protocol';

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
        const host = l.port.hostPortEnd !== undefined ? `${l.port.hostPort}-${l.port.hostPortEnd}` : `${l.port.hostPort}`;
        const cont = l.port.containerPortEnd !== undefined ? `${l.port.containerPort}-${l.port.containerPortEnd}` : `${l.port.containerPort}`;
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
  const rules: ViewRule[] = [];
  for (const t of ruleset.tables) {
    const ti = tables.length;
    const table: ViewTable = { title: tableTitle(t), family: t.family, name: t.name, source: t.source, owner: t.owner, chains: [] };
    tables.push(table);
    const chainIndex = new Map<string, number>();
    t.chains.forEach((c, i) => chainIndex.set(c.name, chains.length + i));
    for (const c of t.chains) {
      table.chains.push(chains.length);
      chains.push(viewChain(c, ti, rules.length));
      const ci = chains.length - 1;
      for (const r of c.rules) {
        const rule: ViewRule = { id: r.id, chain: ci, index: r.index, line: r.line, text: r.text, owner: r.owner };
        // each lazy field read once (a getter call each); counters copied by a literal, cheaper than a spread
        const action = r.action;
        if (action.target) rule.target = action.target;
        else if (action.vmap) rule.target = `vmap @${action.vmap.map}`;
        const jump = action.chain !== undefined ? chainIndex.get(action.chain) : undefined;
        if (jump !== undefined) rule.jump = jump;
        const counters = r.counters;
        if (counters) rule.counters = 'approximate' in counters ? { ...counters } : { packets: counters.packets, bytes: counters.bytes };
        const comment = r.matches.comment;
        if (comment) rule.comment = comment;
        const l = facts ? viewLinks(links.byRule[r.id]) : undefined;
        if (l) rule.links = l;
        rules.push(rule);
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
  return { data: { facts: hostFacts, tables, chains, rules }, links };
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
  const result: TraceResult = traceConnection(ruleset, { protocol: request.protocol, port: request.port, from: request.from, ...(request.to ? { toAddress: request.to } : {}), ...(facts ? { facts } : {}) });
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
