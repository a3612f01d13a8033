// The firewall model every format parses into (iptables-save, iptables -S, iptables -L -n -v, nft list ruleset,
// nft -j list ruleset).
// Built only by src/core/firewall/parse*.ts; views and the tracer read it, never the text.

export type FirewallFormat = 'iptables-save' | 'iptables-S' | 'iptables-L' | 'nft' | 'nft-json';
/** `ipv4`/`ipv6` for iptables/ip6tables and nft `ip`/`ip6`; nft's other families keep their own name. */
export type FirewallFamily = 'ipv4' | 'ipv6' | 'inet' | 'arp' | 'bridge' | 'netdev';
export type Owner = 'docker' | 'ufw' | 'firewalld' | 'kube-proxy' | 'flannel' | 'cni' | 'calico' | 'system' | 'other';

export interface Counters {
  packets: number;
  bytes: number;
  /** True when `iptables -L` printed a rounded figure with a K/M/G/T suffix. */
  approximate?: boolean;
}

/** A match value with its negation (`! -i docker0`, `iifname != "docker0"`). */
export interface Negatable<T> {
  value: T;
  negated: boolean;
}

/** An inclusive port interval: `80` is {from: 80, to: 80}; ranges stay intervals. */
export interface PortRange {
  from: number;
  to: number;
}

export interface SetMatch {
  name: string;
  /** ipset direction flags (`src`, `dst`, `dst,dst`); empty for nft `@set` lookups. */
  flags: string[];
  negated: boolean;
}

/** The matches a rule makes, as structured fields where known. Anything else is kept verbatim in `unknown`. */
export interface RuleMatches {
  protocol?: Negatable<string>;
  inInterface?: Negatable<string>;
  outInterface?: Negatable<string>;
  /** Address or CIDR as written (`172.17.0.0/16`, `192.0.2.2/32`, `fd00::/64`). */
  source?: Negatable<string>;
  destination?: Negatable<string>;
  /** One or more intervals (`--dport 80`, `--dports 80,443`, `--dport 40001:40010`, `dport { 80, 8080-8090 }`). */
  dport?: Negatable<PortRange[]>;
  sport?: Negatable<PortRange[]>;
  /** Upper-case conntrack states (`RELATED`, `ESTABLISHED`, `NEW`, …). */
  ctstate?: Negatable<string[]>;
  /** Upper-case conntrack status flags (`DNAT`, `SNAT`, …): nft `ct status dnat`, `-m conntrack --ctstatus DNAT`. */
  ctStatus?: Negatable<string[]>;
  /** `-m conntrack --ctorigdst` / `--ctorigdstport`: the address and port the connection was first made to (before
   *  DNAT): how a DOCKER-USER rule names a published host port. */
  ctOrigDst?: Negatable<string>;
  ctOrigDport?: Negatable<PortRange[]>;
  /** `--ctdir ORIGINAL|REPLY` (upper-case). */
  ctDir?: string;
  /** `-m addrtype --dst-type LOCAL` / nft `fib daddr type local`. */
  dstType?: Negatable<string>;
  srcType?: Negatable<string>;
  sets?: SetMatch[];
  comment?: string;
  /** Match modules named with `-m` (`tcp`, `conntrack`, `addrtype`, …), in order. */
  modules?: string[];
  /** Matches this model has no field for, verbatim (`-m mark --mark 0x4000/0x4000`, `statistic mode random …`). */
  unknown?: string[];
}

export type ActionKind =
  | 'accept' | 'drop' | 'reject' | 'return' | 'jump' | 'goto' | 'dnat' | 'snat' | 'masquerade' | 'redirect'
  | 'vmap' | 'log' | 'mark' | 'none' | 'other';

export interface RuleAction {
  kind: ActionKind;
  /** The target as written (`ACCEPT`, `DOCKER`, `DNAT`, `dnat`); absent for a rule without one (counting only). */
  target?: string;
  /** The chain for jump/goto. */
  chain?: string;
  /** Target options without the leading dashes (`to-destination` → `172.17.0.2:80`). */
  options?: Record<string, string>;
  /** DNAT/SNAT/REDIRECT address part (`172.17.0.2`), when one is given. */
  toAddress?: string;
  /** DNAT/SNAT/REDIRECT/MASQUERADE port part as an interval. */
  toPorts?: PortRange;
  /** nft `iifname vmap @map`: the map and the key it looks up. */
  vmap?: { key: 'iifname' | 'oifname'; map: string };
}

export interface FirewallRule {
  /** Stable reference: `<family>/<table>/<chain>#<index>`, e.g. `ipv4/nat/DOCKER#3`. */
  id: string;
  /** 1-based position in its chain. */
  index: number;
  /** 1-based line in the text it was parsed from. */
  line: number;
  /** The rule's text as found (line trimmed of prompts and trailing spaces; `-L` rows as printed). */
  text: string;
  matches: RuleMatches;
  action: RuleAction;
  counters?: Counters;
  owner: Owner;
}

export interface NftHook {
  type: string;
  hook: string;
  /** Numeric priority (`filter` → 0, `dstnat` → -100, `srcnat` → 100, `raw` → -300 …). */
  priority: number;
}

export interface FirewallChain {
  name: string;
  /** Built-in (iptables) or base (nft, has a hook) chain. */
  builtin: boolean;
  /** Upper-case policy (`ACCEPT`, `DROP`) for built-in chains. */
  policy?: string;
  counters?: Counters;
  /** `Chain X (2 references)` in `iptables -L`. */
  references?: number;
  hook?: NftHook;
  owner: Owner;
  line: number;
  rules: FirewallRule[];
}

/** An nft map or set (`map filter-forward-in-jumps { type ifname : verdict; elements = { … } }`). */
export interface NftMap {
  name: string;
  kind: 'map' | 'set';
  type: string;
  /** Map key → value text (`"docker0"` → `jump filter-forward-in__docker0`); for sets, element → ''. */
  elements: Record<string, string>;
  line: number;
}

export interface FirewallTable {
  family: FirewallFamily;
  name: string;
  /** Where the table came from: an iptables tool (any iptables format) or nft. */
  source: 'iptables' | 'nft';
  chains: FirewallChain[];
  maps: NftMap[];
  owner: Owner;
  line: number;
}

export interface ParseDiagnostic {
  line: number;
  message: string;
  /** The offending line, verbatim. */
  text: string;
}

export type IptablesBackend = 'iptables-nft' | 'iptables-legacy' | 'nftables' | 'unknown';

export interface FirewallRuleset {
  /** The formats found, each once, in order of first appearance (a helper's output may hold iptables-save and nft text). */
  formats: FirewallFormat[];
  tables: FirewallTable[];
  diagnostics: ParseDiagnostic[];
  /** What the text says about the backend (`iptables-save v1.8.9 (nf_tables)`, nft warnings). */
  backendHints: IptablesBackend[];
  ruleCount: number;
  /**
   * What was repaired in pasted text before it parsed (`removed the indent every line shared (4 spaces)`, `joined
   * lines wrapped in the middle of a rule onto lines 25, 27`); absent when nothing was.
   */
  pasteRepairs?: string[];
}
