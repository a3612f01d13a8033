// Who made a chain or rule: Docker (every era), ufw, firewalld, kube-proxy, flannel, CNI plugins, calico, the
// system's built-in chains, or someone else. Set on the model after parsing so views can group and filter.
import { cidrContains, ipv4Number, parseCidr, type Cidr } from '../net/addresses';
import { Rule } from './rule';
import type { FirewallChain, FirewallRule, FirewallRuleset, FirewallTable, Owner } from './model';

const firewalldChain = new RegExp('^(?:(?:INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING)_'
  + '(?:direct|ZONES|ZONES_SOURCE|IN_ZONES|OUT_ZONES|IN_ZONES_SOURCE|OUT_ZONES_SOURCE)|(?:IN|FWDI|FWDO|FWD|PRE|POST|OUT)_[\\w-]+)$');

export function tableOwner(table: Pick<FirewallTable, 'name' | 'source'>): Owner {
  if (table.source !== 'nft') return 'system';
  if (table.name === 'docker-bridges' || table.name.startsWith('docker')) return 'docker';
  if (table.name === 'firewalld') return 'firewalld';
  if (table.name === 'kube-proxy') return 'kube-proxy';
  if (table.name === 'calico' || table.name.startsWith('cali')) return 'calico';
  return 'system';
}

/** The owner a chain's name says, `system` for built-in chains of iptables tables. */
export function chainOwner(name: string, builtin: boolean, table: Pick<FirewallTable, 'name' | 'source'>): Owner {
  const t = tableOwner(table);
  if (t !== 'system') return t;
  if (/^DOCKER(?:-|$)/.test(name)) return 'docker';
  if (/^ufw6?-/.test(name)) return 'ufw';
  if (/^KUBE-/.test(name)) return 'kube-proxy';
  if (/^FLANNEL/.test(name)) return 'flannel';
  if (/^CNI-/.test(name)) return 'cni';
  if (/^cali-/.test(name)) return 'calico';
  if (firewalldChain.test(name)) return 'firewalld';
  return builtin ? 'system' : 'other';
}

const commentOwners: [RegExp, Owner][] = [
  [/kubernetes|kube-/i, 'kube-proxy'], [/flanneld?/i, 'flannel'], [/\bCNI\b|cni-/, 'cni'], [/\bufw\b/i, 'ufw'],
  [/firewalld/i, 'firewalld'], [/cali:/, 'calico'],
];

/** Bridges a Docker daemon manages, as named in Docker's own chains and rules (`docker0`, `br-<id>`, custom names). */
export function dockerBridges(ruleset: FirewallRuleset): Set<string> {
  const out = new Set<string>(['docker0']);
  for (const t of ruleset.tables) {
    for (const c of t.chains) {
      const owned = chainOwner(c.name, c.builtin, t) === 'docker';
      for (const r of c.rules) {
        const m = r.matches;
        if (m.inInterface) addBridges(out, m.inInterface.value, owned);
        if (m.outInterface) addBridges(out, m.outInterface.value, owned);
      }
      const m = /^(?:filter-forward-(?:in|out)|nat-postrouting-(?:in|out))__(.+)$/.exec(c.name);
      if (m && t.source === 'nft') out.add(m[1]!);
    }
  }
  return out;
}

/** The bridges an interface match names: all of them in Docker's chains, `br-<id>` ones elsewhere. */
function addBridges(out: Set<string>, value: string, inDockerChain: boolean): void {
  if (inDockerChain) { if (!out.has(value)) for (const name of value.split(',')) out.add(name); return; }
  if (value.startsWith('br-')) for (const name of value.split(',')) if (/^br-[0-9a-f]{12}$/.test(name)) out.add(name);
}

/** Docker 28+'s raw PREROUTING drop: `-d <container>/32 ! -i <its bridge> [-p tcp --dport P] -j DROP`. */
function isDirectAccessDrop(t: FirewallTable, c: FirewallChain, r: FirewallRule): boolean {
  const d = r.matches.destination;
  return t.name === 'raw' && c.name === 'PREROUTING' && r.action.kind === 'drop' && !!d && !d.negated
    && /^[\d.]+(\/32)?$|^[\da-f:]+(\/128)?$/i.test(d.value) && r.matches.inInterface?.negated === true;
}

/** Sets `owner` on every table and chain (from names alone). */
export function assignTableAndChainOwners(ruleset: FirewallRuleset): void {
  for (const t of ruleset.tables) {
    t.owner = tableOwner(t);
    for (const c of t.chains) c.owner = chainOwner(c.name, c.builtin, t);
  }
}

/**
 * Sets `owner` on every rule from its chain, its jump, its comment and the bridges Docker manages; table and chain
 * owners must be set. `keepKnown` leaves rules whose owner was set meanwhile (parseFirewall defers this pass).
 */
export function assignRuleOwners(ruleset: FirewallRuleset, keepKnown: boolean): void {
  const bridges = dockerBridges(ruleset);
  const named = (i: FirewallRule['matches']['inInterface']) => !!i
    && (bridges.has(i.value) || (i.value.includes(',') && i.value.split(',').some((n) => bridges.has(n))));
  const mentionsDockerBridge = (r: FirewallRule) => named(r.matches.inInterface) || named(r.matches.outInterface);
  for (const t of ruleset.tables) {
    const byName = new Map<string, FirewallChain>(t.chains.map((c) => [c.name, c]));
    for (const c of t.chains) {
      const chainOwned = c.owner !== 'system' && c.owner !== 'other';
      for (const r of c.rules) {
        if (keepKnown && r instanceof Rule && r.ownerKnown) continue;
        if (chainOwned) { r.owner = c.owner; continue; }
        const jumpTo = r.action.chain ? byName.get(r.action.chain) : undefined;
        if (jumpTo && jumpTo.owner !== 'system' && jumpTo.owner !== 'other') { r.owner = jumpTo.owner; continue; }
        const byComment = r.matches.comment ? commentOwners.find(([re]) => re.test(r.matches.comment!)) : undefined;
        if (byComment) { r.owner = byComment[1]; continue; }
        if (mentionsDockerBridge(r) || isDirectAccessDrop(t, c, r)) { r.owner = 'docker'; continue; }
        r.owner = 'other';
      }
    }
  }
  // Docker's per-container hairpin MASQUERADE (`-s 172.17.0.2/32 -d 172.17.0.2/32 --dport 80`) names no bridge:
  // it is Docker's when its address lies in a subnet Docker masquerades.
  // each subnet parsed once (not once per rule it is checked against), each written the same way once
  const subnets: Cidr[] = [];
  const seen = new Set<string>();
  for (const t of ruleset.tables) for (const c of t.chains) for (const r of c.rules) {
    if (r.owner !== 'docker' || r.action.kind !== 'masquerade') continue;
    const source = r.matches.source;
    if (!source || source.negated || seen.has(source.value)) continue;
    seen.add(source.value);
    const net = parseCidr(source.value);
    if (net) subnets.push(net);
  }
  if (!subnets.length) return;
  for (const t of ruleset.tables) for (const c of t.chains) for (const r of c.rules) {
    if (r.owner !== 'other' || r.action.kind !== 'masquerade') continue;
    const s = r.matches.source?.value;
    if (s && r.matches.destination?.value === s && inAnySubnet(s, subnets)) r.owner = 'docker';
  }
}

function inAnySubnet(address: string, subnets: Cidr[]): boolean {
  const plain = address.replace(/\/\d+$/, '');
  // an IPv4 address (nearly all of them) compared as a number: no BigInts per rule
  const v4 = ipv4Number(plain);
  if (v4 >= 0) {
    for (const n of subnets) {
      if (n.family !== 'ipv4') continue;
      const size = 2 ** (32 - n.prefix);
      if (Math.floor(v4 / size) === Math.floor(Number(n.address) / size)) return true;
    }
    return false;
  }
  const a = parseCidr(plain);
  if (!a) return false;
  for (const n of subnets) if (cidrContains(n, a)) return true;
  return false;
}
