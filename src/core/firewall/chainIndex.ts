// Which rules of a long chain can match a packet, without judging each: Docker writes a rule per published port (a
// DNAT by host port in nat DOCKER, an ACCEPT by container address in filter DOCKER), so a trace through 100,000
// rules judged every one (160 ms a trace). A chain of at least INDEX_FROM rules is indexed once (per chain object,
// so per parsed ruleset): a rule with a single IPv4 host destination is filed under that address, else one with
// single destination ports under each port, else it is always a candidate. A rule filed under a key can only match
// a packet with that key, so skipping the others changes nothing but the time; the walk judges the candidates in
// their chain order as before.
import { ipv4Number } from '../net/addresses';
import type { FirewallChain, FirewallRule } from './model';

const INDEX_FROM = 64;

interface ChainIndex {
  always: number[];
  byAddress: Map<string, number[]>;
  byPort: Map<number, number[]>;
}

const indexes = new WeakMap<FirewallChain, ChainIndex>();

function file<K>(map: Map<K, number[]>, key: K, i: number): void {
  const list = map.get(key);
  if (list) list.push(i); else map.set(key, [i]);
}

function build(chain: FirewallChain): ChainIndex {
  const index: ChainIndex = { always: [], byAddress: new Map(), byPort: new Map() };
  chain.rules.forEach((r, i) => {
    const m = r.matches;
    const d = m.destination;
    if (d && !d.negated) {
      const slash = d.value.indexOf('/');
      const address = slash < 0 ? d.value : d.value.slice(0, slash);
      if ((slash < 0 || d.value.slice(slash) === '/32') && ipv4Number(address) >= 0) { file(index.byAddress, address, i); return; }
    }
    const p = m.dport;
    if (p && !p.negated && p.value.length <= 4 && p.value.every((x) => x.start === x.end)) {
      for (const x of new Set(p.value.map((v) => v.start))) file(index.byPort, x, i);
      return;
    }
    index.always.push(i);
  });
  return index;
}

/** The rules of `chain` that can match a packet to `dst`:`dport`, in chain order (all of a short chain). */
export function candidateRules(chain: FirewallChain, dst: string, dport: number): readonly FirewallRule[] {
  if (chain.rules.length < INDEX_FROM) return chain.rules;
  let index = indexes.get(chain);
  if (!index) indexes.set(chain, index = build(chain));
  const parts = [index.always, index.byAddress.get(dst), index.byPort.get(dport)].filter((x): x is number[] => !!x && x.length > 0);
  if (parts.length === 1 && parts[0] === index.always) return index.always.map((i) => chain.rules[i]!);
  const merged = parts.length === 1 ? parts[0]! : [...new Set(parts.flat())].sort((a, b) => a - b);
  return merged.map((i) => chain.rules[i]!);
}
