// How the trace judges one match of a rule against a packet, and what it knows of actions and matches it cannot
// judge (trace.ts walks the chains). Pure.
import { cidrContains, parseCidr, type Cidr } from '../net/addresses';
import type { PortInterval } from '../net/portInterval';
import type { Negatable, RuleAction } from './model';

/** `docker0`, `br-+` (iptables wildcard), comma lists from nft sets. */
export function interfaceMatches(m: Negatable<string>, name: string): boolean {
  const hit = m.value.split(',').some((v) => (v.endsWith('+') ? name.startsWith(v.slice(0, -1)) : v === name));
  return hit !== m.negated;
}

/** A match's addresses (`-d 10.0.0.1/32,10.0.0.2`), parsed once per match object: a trace judges the same rules'
 *  matches again and again (every binding of an exposure, every pair of a matrix). */
const parsedMatchAddresses = new WeakMap<Negatable<string>, Array<{ text: string; cidr: Cidr | undefined }>>();
/** Packet addresses parsed once (a trace has a handful; the map is emptied when it grows past that use). */
const parsedPacketAddresses = new Map<string, Cidr | undefined>();

function packetCidr(address: string): Cidr | undefined {
  if (parsedPacketAddresses.has(address)) return parsedPacketAddresses.get(address);
  if (parsedPacketAddresses.size >= 4096) parsedPacketAddresses.clear();
  const cidr = parseCidr(address);
  parsedPacketAddresses.set(address, cidr);
  return cidr;
}

export function addressMatches(m: Negatable<string>, address: string): boolean {
  let parts = parsedMatchAddresses.get(m);
  if (!parts) parsedMatchAddresses.set(m, parts = m.value.split(',').map((v) => ({ text: v.trim(), cidr: parseCidr(v.trim()) })));
  const a = packetCidr(address);
  const hit = parts.some((x) => (!!a && !!x.cidr && cidrContains(x.cidr, a)) || x.text === address);
  return hit !== m.negated;
}

export const portMatches = (m: Negatable<PortInterval[]>, port: number) => m.value.some((r) => port >= r.start && port <= r.end) !== m.negated;

/** Conntrack status flags, as nft and iptables name them (upper-case). */
export const conntrackStatusFlags = new Set(['EXPECTED', 'SEEN-REPLY', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED', 'SNAT', 'DNAT', 'DYING']);

/** Actions that never decide a packet's fate: a rule with one cannot change a verdict, matched or not. */
export const nonDeciding = new Set<RuleAction['kind']>(['log', 'mark', 'none']);

export function actionWords(a: RuleAction): string {
  if (a.kind === 'jump' || a.kind === 'goto') return `${a.kind} to ${a.chain ?? '?'}`;
  return a.kind === 'other' ? `run ${a.target ?? 'its target'}` : a.kind.toUpperCase();
}

/** nft payload expressions named by their protocol; a packet of another protocol never matches them. */
const payloadProtocols = new Set(['icmp', 'icmpv6', 'tcp', 'udp', 'sctp', 'udplite', 'dccp', 'igmp', 'esp', 'ah', 'comp']);

export function otherProtocolPayload(expression: string, protocol: string): boolean {
  const head = /^([a-z0-9]+) [a-z]/.exec(expression)?.[1];
  return head !== undefined && payloadProtocols.has(head) && head !== protocol;
}
