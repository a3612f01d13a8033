// Which host addresses and ports a published port claims, and when two claims clash, as the engines behave.
//
// Observed on Engine 20.10.24 (userland proxy on, the default), with
//   docker run -d --label dev.docker-network-doctor.test=helper-compose -p A dnd-test/busybox:latest sleep 300
// for a first container, then a second one with -p B (all removed afterwards with docker rm -f):
//   A 8080:80               -> binds 0.0.0.0:8080 and :::8080 (two docker-proxy processes, Ports lists both)
//   A 0.0.0.0:8081:80  B [::]:8081:80        -> both start: 0.0.0.0 and [::] do NOT clash
//   A 8082:80          B [::]:8082:80        -> B fails "Bind for :::8082 failed: port is already allocated"
//   A 0.0.0.0:8083:80  B 8083:80             -> B fails "Bind for 0.0.0.0:8083 failed: port is already allocated"
//   A 127.0.0.1:8084:80 B 8084:80            -> B fails "Error starting userland proxy: listen tcp4 0.0.0.0:8084: bind:
//                                               address already in use"
//   A 8085:80          B 127.0.0.1:8085:80   -> B fails "listen tcp4 127.0.0.1:8085: bind: address already in use"
//   A 127.0.0.1:8091:80 B 0.0.0.0:8091:80    -> B fails (address already in use)
//   A 127.0.0.1:8086:80 B 127.0.0.2:8086:80  -> both start
//   A 8087:80          B 8087:80/udp         -> both start (protocols are separate)
//   A [::1]:8088:80    B 127.0.0.1:8088:80   -> both start (families are separate)
//   A [::]:8089:80     B [::1]:8089:80       -> B fails "listen tcp6 [::1]:8089: bind: address already in use"
//   A [::]:8090:80     B 127.0.0.1:8090:80   -> both start
//   A 8092-8094:80-82  B 8094:80             -> B fails (ranges overlap port by port)
// So: an unspecified host IP claims 0.0.0.0 and ::; claims clash when protocol and family match, the port intervals
// overlap and the addresses are equal (the engine's port allocator: "port is already allocated") or one of them is
// the family's wildcard (a wildcard and a specific address cannot both be bound: "address already in use").
//
// Re-checked on every engine of the rig by test/engine/hostPortClash.test.ts. Engine 26.1.5 gives the same errors.
// Engine 28.5.2 starts and refuses the very same pairs, but its port allocator refuses the wildcard ones itself
// ("Bind for 127.0.0.1:8084 failed: port is already allocated"; 28.0 moved binding the host port from docker-proxy
// into dockerd, moby/moby#48132), so the message a clash gives follows the engine's version (wildcardRefusalOf).
//
// With the userland proxy off (`--userland-proxy=false`, checked on 20.10.24 and 28.5.2 by
// test/engine/hostPortClashProxyOff.test.ts) dockerd binds the host ports itself, and the pairs clash as above (20.10:
// "listen tcp4 0.0.0.0:8084: bind: address already in use"; 28.5: "port is already allocated"), with one difference:
// a container on a network without IPv6 gets no IPv6 host bindings at all (Ports lists only the IPv4 ones), so
// `8082:80` next to `[::]:8082:80` and `[::]:8089:80` next to `[::1]:8089:80` both start. On a network with
// `--ipv6` they clash as with the proxy (the same test, on such a network). So without the proxy a service's IPv6
// claims are left out when none of its networks has IPv6 (rules/host-port-conflict.ts, mayHaveIpv6).
import type { PortInterval, PortProtocol } from '../net/portInterval';
import type { AddressFamily } from '../net/addresses';
import { ipFamily, isWildcardIp } from '../net/addresses';

export interface HostPortClaim<T> {
  family: AddressFamily;
  /** Normalized: '0.0.0.0' or '::' for the wildcards. */
  address: string;
  protocol: PortProtocol;
  ports: PortInterval;
  owner: T;
}

/** Adds the claims of one binding to `out`: no host IP -> 0.0.0.0 and ::; a host IP -> that address; `ipv6` false
 *  (no userland proxy, no IPv6 network): the IPv4 ones only. (Pushed, not returned: a file can hold thousands of
 *  bindings, and a small array per binding is garbage.) */
export function pushClaims<T>(out: HostPortClaim<T>[], hostIp: string | undefined, protocol: PortProtocol, ports: PortInterval, owner: T, ipv6 = true): void {
  if (!hostIp) {
    out.push({ family: 'ipv4', address: '0.0.0.0', protocol, ports, owner });
    if (ipv6) out.push({ family: 'ipv6', address: '::', protocol, ports, owner });
    return;
  }
  const family = ipFamily(hostIp);
  if (family === 'ipv6' && !ipv6) return;
  const address = isWildcardIp(hostIp) ? (family === 'ipv4' ? '0.0.0.0' : '::') : hostIp.toLowerCase();
  out.push({ family, address, protocol, ports, owner });
}

/** Why two claims clash: the very same address, or the family's wildcard next to a specific address. */
export type ClashKind = 'same-address' | 'wildcard';

/** How two claims on the same protocol and family with overlapping ports clash, if they do. */
export function clashOf(a: HostPortClaim<unknown>, b: HostPortClaim<unknown>): ClashKind | undefined {
  if (a.protocol !== b.protocol || a.family !== b.family) return undefined;
  if (a.ports.end < b.ports.start || b.ports.end < a.ports.start) return undefined;
  if (a.address === b.address) return 'same-address';
  const wildcard = a.family === 'ipv4' ? '0.0.0.0' : '::';
  return a.address === wildcard || b.address === wildcard ? 'wildcard' : undefined;
}

/**
 * The error the second container of a wildcard clash fails with: `already-allocated` from Engine 28 (its port
 * allocator refuses it), `address-in-use` before (the bind fails), `either` when the engine is not known.
 */
export type WildcardRefusal = 'already-allocated' | 'address-in-use' | 'either';

/** wildcardRefusal for an engine version as /version reports it (`28.5.2`, `20.10.24+dfsg1`); undefined: no engine. */
export function wildcardRefusalOf(engineVersion: string | undefined): WildcardRefusal {
  const major = Number.parseInt(engineVersion ?? '', 10);
  if (!(major > 0)) return 'either';
  return major >= 28 ? 'already-allocated' : 'address-in-use';
}

/**
 * Hands every clashing pair among `claims` to `onClash`, by a sweep over port intervals per protocol: O(n log n +
 * clashes), so a 1-65535 range costs what one port costs. `skip` leaves out pairs that cannot run together. A callback,
 * not a list: 500 services on one port are 250,000 pairs, which need not all exist at once.
 * With `onTwin`, a claim identical to one already swept (same protocol, address and ports: they all clash with each
 * other) is handed to `onTwin(first, twin)` instead: the pairs inside such a group are left to the caller, and a pair
 * with the group's first claim stands for the whole group, so 500 identical claims cost 500 steps, not 125,000.
 */
export function forEachClash<T>(
  claims: HostPortClaim<T>[], onClash: (a: HostPortClaim<T>, b: HostPortClaim<T>, kind: ClashKind) => void, skip?: (a: T, b: T) => boolean,
  onTwin?: (first: HostPortClaim<T>, twin: HostPortClaim<T>) => void,
): void {
  // the claims whose ports reach the current one's start, first `activeCount` of `active` (a count, not
  // `active.length = n`, which costs more per claim than the rest of the sweep)
  const active: HostPortClaim<T>[] = [];
  let activeCount = 0;
  for (const c of byFirstPort(claims)) {
    // drop the claims that end before this one starts, in place (a new array per claim was most of the garbage)
    let kept = 0;
    for (let i = 0; i < activeCount; i++) if (active[i]!.ports.end >= c.ports.start) active[kept++] = active[i]!;
    activeCount = kept;
    let twinOf: HostPortClaim<T> | undefined;
    for (let i = 0; i < activeCount; i++) {
      const other = active[i]!;
      if (other.owner === c.owner) continue;
      if (onTwin && twinOf === undefined && isTwin(other, c)) { twinOf = other; continue; }
      const kind = clashOf(other, c);
      if (kind && !skip?.(other.owner, c.owner)) onClash(other, c, kind);
    }
    if (twinOf) onTwin!(twinOf, c);
    else active[activeCount++] = c;
  }
}

function isTwin(a: HostPortClaim<unknown>, b: HostPortClaim<unknown>): boolean {
  return a.protocol === b.protocol && a.family === b.family && a.address === b.address && a.ports.start === b.ports.start && a.ports.end === b.ports.end;
}

const indexSpan = 2 ** 32;

/**
 * The claims in order of their first port, ties in the order given (what a stable sort by first port gives): each
 * claim as one double, port * 2^32 + index, and the doubles sorted natively (a comparator called per comparison of
 * thousands of claims took longer than the sweep).
 */
function byFirstPort<T>(claims: HostPortClaim<T>[]): HostPortClaim<T>[] {
  const n = claims.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = claims[i]!.ports.start;
    // keys stay exact below 2^53: ports below 2^21 (any real one), whole numbers
    if (!(start >= 0 && start < 2 ** 21 && Number.isInteger(start)) || n >= indexSpan) {
      return [...claims].sort((x, y) => x.ports.start - y.ports.start);
    }
    keys[i] = start * indexSpan + i;
  }
  keys.sort();
  const out = new Array<HostPortClaim<T>>(n);
  for (let i = 0; i < n; i++) out[i] = claims[keys[i]! % indexSpan]!;
  return out;
}
