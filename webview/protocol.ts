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

export interface ViewRule {
  /** `ipv4/nat/DOCKER#3`, the core model's id (trace steps refer to it). */
  id: string;
  /** Index into ViewData.chains. */
  chain: number;
  index: number;
  line: number;
  text: string;
  /** The target as written (`ACCEPT`, `DOCKER`, `DNAT`). */
  target?: string;
  /** Index into ViewData.chains of the chain a jump/goto/vmap names, when it is in the dump. */
  jump?: number;
  owner: ViewOwner;
  counters?: ViewCounters;
  comment?: string;
  links?: ViewLink[];
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
  rules: ViewRule[];
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
  /** The first rows are on screen (for tests and the benchmark): how many rows exist and ms since data arrived. */
  | { type: 'rendered'; rows: number; visibleRows: number; ms: number }
  | { type: 'log'; text: string };

// ---- validation ------------------------------------------------------------------------------------------------

const owners: ReadonlySet<string> = new Set(['docker', 'ufw', 'firewalld', 'kube-proxy', 'flannel', 'cni', 'calico', 'system', 'other']);
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

/** Checks the whole structure, including that every index points inside its array (the view indexes without checks). */
export function isViewData(v: unknown): v is ViewData {
  if (!isObj(v) || !isFacts(v.facts) || !Array.isArray(v.tables) || !Array.isArray(v.chains) || !Array.isArray(v.rules)) return false;
  const { tables, chains, rules } = v as { tables: unknown[]; chains: unknown[]; rules: unknown[] };
  for (const t of tables) {
    if (!isObj(t) || !isStr(t.title) || !isStr(t.family) || !isStr(t.name) || (t.source !== 'iptables' && t.source !== 'nft')
      || !owners.has(t.owner as string) || !Array.isArray(t.chains) || !t.chains.every((c) => isIndex(c, chains.length))) return false;
  }
  for (const c of chains) {
    if (!isObj(c) || !isIndex(c.table, tables.length) || !isStr(c.name) || typeof c.builtin !== 'boolean' || !optStr(c.policy)
      || !isCounters(c.counters) || !optInt(c.references) || !optStr(c.hook) || !owners.has(c.owner as string)
      || !isInt(c.firstRule) || !isInt(c.ruleCount) || c.firstRule < 0 || c.ruleCount < 0 || c.firstRule + c.ruleCount > rules.length) return false;
  }
  for (const r of rules) {
    if (!isObj(r) || !isStr(r.id) || !isIndex(r.chain, chains.length) || !isInt(r.index) || !isInt(r.line) || !isStr(r.text)
      || !optStr(r.target) || !(r.jump === undefined || isIndex(r.jump, chains.length)) || !owners.has(r.owner as string)
      || !isCounters(r.counters) || !optStr(r.comment) || !(r.links === undefined || (Array.isArray(r.links) && r.links.every(isLink)))) return false;
  }
  return true;
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
    case 'rendered': return isInt(v.rows) && isInt(v.visibleRows) && isNum(v.ms) ? { type: 'rendered', rows: v.rows, visibleRows: v.visibleRows, ms: v.ms } : undefined;
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
