// Every message between the firewall panel (src/extension/firewall) and its webview (webview/main.ts). Both sides
// import this file; each side validates what it receives with the validator for that direction and drops anything
// malformed (a webview is a separate, less trusted context, and the data in it comes from the engine's host).
// Plain data only: no imports from src/core, so the browser bundle stays small and the types stay explicit.

export type ViewOwner = 'docker' | 'ufw' | 'firewalld' | 'kube-proxy' | 'flannel' | 'cni' | 'calico' | 'system' | 'other';
export type ViewProtocol = 'tcp' | 'udp' | 'sctp';

export interface ViewCounters {
  packets: number;
  bytes: number;
  approximate?: boolean;
}

/** A link from a rule to the engine: a container (and its published port) or a network. */
export interface ViewLink {
  role: string;
  kind: 'container' | 'network';
  name: string;
  id?: string;
  /** `tcp 8080→80` for a published port. */
  port?: string;
  protocol?: string;
  hostPort?: number;
  hostPortEnd?: number;
}

/** The owners a rule's `owner` column indexes, in this order. */
export const VIEW_OWNERS: readonly ViewOwner[] = ['docker', 'ufw', 'firewalld', 'kube-proxy', 'flannel', 'cni', 'calico', 'system', 'other'];

/**
 * Every rule, as columns: rule `i` is entry `i` of each. Rules are in chain order (chain `c`'s rules are
 * `c.firstRule … c.firstRule + c.ruleCount - 1`), so a rule's chain, its index (1-based place in the chain) and its id
 * (`<family>/<table>/<chain>#<index>`, the core model's) follow from where it is. A few arrays of small numbers and
 * one string cross postMessage and JSON.parse several times faster than 100,000 objects, and the webview reads only
 * the rows it draws (webview/ruleTable.ts).
 */
export interface ViewRuleColumns {
  count: number;
  /** Every rule's text, each followed by `\n` (a rule's text never holds a newline). */
  text: string;
  /** 1-based line in the dump. */
  line: number[];
  /** The distinct targets as written (`ACCEPT`, `DOCKER`, `DNAT`, `vmap @m`); `target` indexes them, -1 for none. */
  targets: string[];
  target: number[];
  /** Index into ViewData.chains of the chain a jump/goto/vmap names, -1 when none (or not in the dump). */
  jump: number[];
  /** Index into VIEW_OWNERS. */
  owner: number[];
  /** Packets and bytes, two entries a rule, -1 and -1 for a rule without; absent when no rule has counters. */
  counters?: number[];
  /** Rules whose counters are rounded (`-L` prints 12K). */
  approximate?: number[];
  /** [rule, comment] for the rules that have one. */
  comments: Array<[number, string]>;
  /** [rule, links] for the rules linked to the engine. */
  links: Array<[number, ViewLink[]]>;
}

export interface ViewChain {
  /** Index into ViewData.tables. */
  table: number;
  name: string;
  builtin: boolean;
  policy?: string;
  counters?: ViewCounters;
  references?: number;
  /** `nat prerouting priority -100` for nft base chains. */
  hook?: string;
  owner: ViewOwner;
  /** Index into ViewData.rules of its first rule; its rules are contiguous. */
  firstRule: number;
  ruleCount: number;
}

export interface ViewTable {
  /** `ipv4 nat`, `ip6 filter`, `nft ip docker-bridges`. */
  title: string;
  family: string;
  name: string;
  source: 'iptables' | 'nft';
  owner: ViewOwner;
  /** Indexes into ViewData.chains. */
  chains: number[];
}

export interface HostFacts {
  /** `unix:///var/run/docker.sock`, or the file name for a dump. */
  source: string;
  /** `engine`: fetched through the helper; `file`/`clipboard`: a saved dump. */
  origin: 'engine' | 'file' | 'clipboard';
  engine?: string;
  backend: string;
  era: string;
  eraEvidence: string[];
  userlandProxy: 'on' | 'off' | 'unknown';
  userlandProxyEvidence: string[];
  proxyProcessCheck?: string;
  dockerProxyCount?: number;
  dockerProxyPssKb?: number;
  sysctls: Array<{ key: string; value: string }>;
  /** How the helper got in (its description), or `from file`. */
  method: string;
  formats: string[];
  ruleCount: number;
  diagnostics: string[];
  /** What the helper could not do (earlier methods refused, sections that failed). */
  notes: string[];
  fetchedAt?: string;
}

export interface ViewData {
  facts: HostFacts;
  tables: ViewTable[];
  chains: ViewChain[];
  rules: ViewRuleColumns;
}

export interface TraceRequestMessage {
  protocol: ViewProtocol;
  port: number;
  /** `outside`, `localhost` or an IP address. */
  from: string;
  /** The host address connected to (default: 127.0.0.1 from localhost, a stand-in public address otherwise). */
  to?: string;
}

export interface ViewTraceStep {
  where: string;
  text: string;
  effect: string;
  ruleId?: string;
}

export interface ViewTrace {
  request: TraceRequestMessage;
  steps: ViewTraceStep[];
  verdict: { kind: string; text: string; ruleId?: string; container?: string };
  assumptions: string[];
}

/** Filter and highlight the rules of one container, port or network (from the tree's context menus). */
export interface ViewFocus {
  label: string;
  kind: 'container' | 'port' | 'network';
  /** Container or network id (or name when the id is unknown). */
  id: string;
  protocol?: string;
  hostPort?: number;
  hostPortEnd?: number;
}

export type ToWebview =
  | { type: 'loading'; text: string }
  /**
   * The rules, as JSON text: a string crosses postMessage as one copy, where structured-cloning 100,000 rule objects
   * takes about a second in chromium (measured: 1,070 ms vs 250 ms for JSON.parse; bench/firewallView.bench.ts).
   */
  | { type: 'data'; json: string }
  | { type: 'trace'; trace: ViewTrace }
  | { type: 'focus'; focus: ViewFocus | null }
  | { type: 'error'; message: string; fix?: string };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'trace'; request: TraceRequestMessage }
  | { type: 'refresh' }
  | { type: 'openDump' }
  /** The first rows are on screen: how many rows exist and ms since the data arrived (logged; read by the test seam and bench). */
  | { type: 'rendered'; rows: number; visibleRows: number; ms: number }
  | { type: 'log'; text: string };

// ---- validation ------------------------------------------------------------------------------------------------

const owners: ReadonlySet<string> = new Set(VIEW_OWNERS);
const protocols: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optStr = (v: unknown) => v === undefined || isStr(v);
const optInt = (v: unknown) => v === undefined || isInt(v);
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const isPort = (v: unknown): v is number => isInt(v) && v >= 1 && v <= 65535;
const isIndex = (v: unknown, length: number) => isInt(v) && v >= 0 && v < length;

function isCounters(v: unknown): boolean {
  return v === undefined || (isObj(v) && isNum(v.packets) && isNum(v.bytes) && (v.approximate === undefined || typeof v.approximate === 'boolean'));
}

function isLink(v: unknown): boolean {
  return isObj(v) && isStr(v.role) && (v.kind === 'container' || v.kind === 'network') && isStr(v.name) && optStr(v.id)
    && optStr(v.port) && optStr(v.protocol) && optInt(v.hostPort) && optInt(v.hostPortEnd);
}

function isFacts(v: unknown): boolean {
  return isObj(v) && isStr(v.source) && (v.origin === 'engine' || v.origin === 'file' || v.origin === 'clipboard') && optStr(v.engine)
    && isStr(v.backend) && isStr(v.era) && isStrArray(v.eraEvidence) && (v.userlandProxy === 'on' || v.userlandProxy === 'off' || v.userlandProxy === 'unknown')
    && isStrArray(v.userlandProxyEvidence) && optStr(v.proxyProcessCheck) && optInt(v.dockerProxyCount) && optInt(v.dockerProxyPssKb)
    && Array.isArray(v.sysctls) && v.sysctls.every((s) => isObj(s) && isStr(s.key) && isStr(s.value)) && isStr(v.method)
    && isStrArray(v.formats) && isInt(v.ruleCount) && isStrArray(v.diagnostics) && isStrArray(v.notes) && optStr(v.fetchedAt);
}

/** Every entry an integer in [min, max). */
function isIntColumn(v: unknown, length: number, min: number, max: number): v is number[] {
  if (!Array.isArray(v) || v.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const x = v[i] as unknown;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x >= max) return false;
  }
  return true;
}

/** [rule, value] pairs, rules in range and ascending (each rule once). */
function isSparse(v: unknown, count: number, isValue: (x: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  let last = -1;
  for (const pair of v) {
    if (!Array.isArray(pair) || pair.length !== 2 || !isInt(pair[0]) || pair[0] <= last || pair[0] >= count || !isValue(pair[1])) return false;
    last = pair[0];
  }
  return true;
}

function isRuleColumns(v: unknown, chainCount: number): v is ViewRuleColumns {
  if (!isObj(v) || !isInt(v.count) || v.count < 0 || !isStr(v.text) || !isStrArray(v.targets)) return false;
  const n = v.count;
  // one text per rule: exactly `count` newlines, the last at the end
  let lines = 0;
  for (let at = v.text.indexOf('\n'); at >= 0; at = v.text.indexOf('\n', at + 1)) lines++;
  if (lines !== n || (n > 0 && !v.text.endsWith('\n')) || (n === 0 && v.text !== '')) return false;
  if (!isIntColumn(v.line, n, 0, Number.MAX_SAFE_INTEGER) || !isIntColumn(v.target, n, -1, v.targets.length)
    || !isIntColumn(v.jump, n, -1, chainCount) || !isIntColumn(v.owner, n, 0, VIEW_OWNERS.length)) return false;
  if (v.counters !== undefined && !isIntColumn(v.counters, 2 * n, -1, Number.MAX_VALUE)) return false;
  if (v.approximate !== undefined && !(Array.isArray(v.approximate) && isIntColumn(v.approximate, v.approximate.length, 0, n))) return false;
  return isSparse(v.comments, n, isStr) && isSparse(v.links, n, (l) => Array.isArray(l) && l.every(isLink));
}

/**
 * Checks the whole structure, including that every index points inside its array and that the chains' rule ranges
 * follow each other over all rules (the view indexes without checks).
 */
export function isViewData(v: unknown): v is ViewData {
  if (!isObj(v) || !isFacts(v.facts) || !Array.isArray(v.tables) || !Array.isArray(v.chains) || !isRuleColumns(v.rules, v.chains.length)) return false;
  const { tables, chains } = v as { tables: unknown[]; chains: unknown[] };
  const ruleCount = (v.rules as ViewRuleColumns).count;
  for (const t of tables) {
    if (!isObj(t) || !isStr(t.title) || !isStr(t.family) || !isStr(t.name) || (t.source !== 'iptables' && t.source !== 'nft')
      || !owners.has(t.owner as string) || !Array.isArray(t.chains) || !t.chains.every((c) => isIndex(c, chains.length))) return false;
  }
  let next = 0;
  for (const c of chains) {
    if (!isObj(c) || !isIndex(c.table, tables.length) || !isStr(c.name) || typeof c.builtin !== 'boolean' || !optStr(c.policy)
      || !isCounters(c.counters) || !optInt(c.references) || !optStr(c.hook) || !owners.has(c.owner as string)
      || !isInt(c.firstRule) || !isInt(c.ruleCount) || c.firstRule !== next || c.ruleCount < 0) return false;
    next += c.ruleCount;
  }
  return next === ruleCount;
}

const isAddress = (v: unknown): v is string => isStr(v) && v.length > 0 && v.length <= 64;

function isTraceRequest(v: unknown): v is TraceRequestMessage {
  return isObj(v) && protocols.has(v.protocol as string) && isPort(v.port) && isAddress(v.from) && (v.to === undefined || isAddress(v.to));
}

/** A fresh copy with only the known fields. */
function traceRequest(v: TraceRequestMessage): TraceRequestMessage {
  return { protocol: v.protocol, port: v.port, from: v.from, ...(v.to !== undefined ? { to: v.to } : {}) };
}

function isTrace(v: unknown): v is ViewTrace {
  return isObj(v) && isTraceRequest(v.request)
    && Array.isArray(v.steps) && v.steps.every((s) => isObj(s) && isStr(s.where) && isStr(s.text) && isStr(s.effect) && optStr(s.ruleId))
    && isObj(v.verdict) && isStr(v.verdict.kind) && isStr(v.verdict.text) && optStr(v.verdict.ruleId) && optStr(v.verdict.container)
    && isStrArray(v.assumptions);
}

function isFocus(v: unknown): v is ViewFocus | null {
  return v === null || (isObj(v) && isStr(v.label) && (v.kind === 'container' || v.kind === 'port' || v.kind === 'network') && isStr(v.id)
    && optStr(v.protocol) && optInt(v.hostPort) && optInt(v.hostPortEnd));
}

/** Parses and checks the `data` message's JSON; undefined when it is not valid ViewData. */
export function parseViewData(json: string): ViewData | undefined {
  try {
    const v: unknown = JSON.parse(json);
    return isViewData(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The webview's check of what the extension sends (`data` is checked in full by parseViewData). */
export function parseToWebview(v: unknown): ToWebview | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'loading': return isStr(v.text) ? { type: 'loading', text: v.text } : undefined;
    case 'data': return isStr(v.json) ? { type: 'data', json: v.json } : undefined;
    case 'trace': return isTrace(v.trace) ? { type: 'trace', trace: v.trace } : undefined;
    case 'focus': return isFocus(v.focus) ? { type: 'focus', focus: v.focus } : undefined;
    case 'error': return isStr(v.message) && optStr(v.fix) ? { type: 'error', message: v.message, ...(isStr(v.fix) ? { fix: v.fix } : {}) } : undefined;
    default: return undefined;
  }
}

/** The extension's check of what the webview sends: rebuilt field by field, so nothing extra gets through. */
export function parseFromWebview(v: unknown): FromWebview | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'ready': return { type: 'ready' };
    case 'refresh': return { type: 'refresh' };
    case 'openDump': return { type: 'openDump' };
    case 'trace': return isTraceRequest(v.request) ? { type: 'trace', request: traceRequest(v.request) } : undefined;
    case 'rendered': return isInt(v.rows) && isInt(v.visibleRows) && isNum(v.ms) ? { type: 'rendered', rows: v.rows, visibleRows: v.visibleRows, ms: v.ms }
      : undefined;
    case 'log': return isStr(v.text) && v.text.length <= 2000 ? { type: 'log', text: v.text } : undefined;
    default: return undefined;
  }
}

/** What the webview keeps with vscode.setState, for the panel serializer to revive it after a restart. */
export interface PersistedViewState {
  origin: 'engine' | 'file' | 'clipboard';
  /** The dump's file path (origin `file`). */
  file?: string;
  filter?: string;
  onlyDocker?: boolean;
  trace?: TraceRequestMessage;
}

export function parsePersistedState(v: unknown): PersistedViewState | undefined {
  if (!isObj(v) || (v.origin !== 'engine' && v.origin !== 'file' && v.origin !== 'clipboard') || !optStr(v.file) || !optStr(v.filter)) return undefined;
  const out: PersistedViewState = { origin: v.origin };
  if (isStr(v.file)) out.file = v.file;
  if (isStr(v.filter)) out.filter = v.filter;
  if (typeof v.onlyDocker === 'boolean') out.onlyDocker = v.onlyDocker;
  if (isTraceRequest(v.trace)) out.trace = traceRequest(v.trace);
  return out;
}
