// What listens inside a container: the kernel's socket tables of its network namespace (`/proc/net/tcp`, `tcp6`,
// `udp`, `udp6`), as `cat` prints them one after another from a helper container that shares the namespace
// (`--network container:<id>`: /proc/net is per namespace, so any image with `cat` reads them, distroless targets
// included). Addresses are hex in the kernel's byte order (little-endian per 32-bit word on x86 and arm64).
export interface Listener {
  protocol: 'tcp' | 'udp';
  family: 'ipv4' | 'ipv6';
  /** `0.0.0.0`, `127.0.0.1`, `::`, `::1`, … */
  address: string;
  port: number;
}

const TCP_LISTEN = '0A';
/** A UDP socket not connected to a peer (TCP_CLOSE): one that receives from anyone. */
const UDP_UNCONNECTED = '07';

function ipv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.');
}

function ipv6(hex: string): string {
  // four 32-bit words, each in host (little-endian) order
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!).toString(16));
  // the longest run of zero groups (two or more) becomes `::`
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len) best = { start: i, len: j - i };
    i = j;
  }
  if (best.len < 2) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.len).join(':')}`;
}

/** The listening sockets in `cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6` output (any order). */
export function parseProcNetListeners(text: string): Listener[] {
  const out: Listener[] = [];
  let protocol: 'tcp' | 'udp' = 'tcp';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('sl')) {
      // each table starts with its header; only the UDP tables have `drops`
      protocol = /\bdrops\b/.test(line) ? 'udp' : 'tcp';
      continue;
    }
    const m = /^\d+:\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+\S+\s+([0-9A-Fa-f]{2})\s/.exec(line);
    if (!m) continue;
    const state = m[3]!.toUpperCase();
    if (state !== (protocol === 'tcp' ? TCP_LISTEN : UDP_UNCONNECTED)) continue;
    const family = m[1]!.length === 8 ? 'ipv4' : 'ipv6';
    const listener: Listener = { protocol, family, address: family === 'ipv4' ? ipv4(m[1]!) : ipv6(m[1]!), port: parseInt(m[2]!, 16) };
    if (!out.some((l) => l.protocol === listener.protocol && l.address === listener.address && l.port === listener.port)) out.push(listener);
  }
  return out;
}

/** How a listener answers connections from outside the container: on every address, or only on loopback. */
export function listenerScope(l: Listener): 'all' | 'loopback' | 'one-address' {
  if (l.address === '0.0.0.0' || l.address === '::') return 'all';
  if (l.address.startsWith('127.') || l.address === '::1') return 'loopback';
  return 'one-address';
}
