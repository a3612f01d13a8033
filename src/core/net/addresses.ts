// IPv4/IPv6 addresses for compose, the engine model and the firewall: syntax and family, the wildcard and loopback
// tests, CIDR arithmetic and formatting (pure, no node `net`).

export interface Cidr {
  family: AddressFamily;
  /** The address as a bigint (IPv4 fits in 32 bits). */
  address: bigint;
  prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const value = ipv4Number(text);
  return value < 0 ? undefined : BigInt(value);
}

/** `192.0.2.1` → its 32-bit value as a number (no BigInt to allocate), -1 when the text is no dotted quad. */
export function ipv4Number(text: string): number {
  // hand-rolled: this runs for every address of a 100,000-rule dump
  let value = 0;
  let part = -1;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (part < 0 || ++dots > 3) return -1;
      value = value * 256 + part;
      part = -1;
    } else if (c >= 48 && c <= 57) {
      part = part < 0 ? c - 48 : part * 10 + (c - 48);
      if (part > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || part < 0) return -1;
  return value * 256 + part;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.indexOf(':') < 0) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (!s) return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  let v = 0n;
  for (const g of [...head, ...Array<number>(fill).fill(0), ...tail]) v = (v << 16n) | BigInt(g);
  return v;
}

/** Parses `172.17.0.0/16`, `192.0.2.2`, `fd00::/64`, `[fd00::2]`; undefined when it is no address. */
export function parseCidr(text: string): Cidr | undefined {
  const t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const slash = t.indexOf('/');
  const addr = slash < 0 ? t : t.slice(0, slash);
  const v4 = parseIpv4(addr);
  const family = v4 !== undefined ? 'ipv4' : 'ipv6';
  const value = v4 ?? parseIpv6(addr);
  if (value === undefined) return undefined;
  const max = family === 'ipv4' ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) return undefined;
    prefix = Number(p);
  }
  return { family, address: value, prefix };
}

/** Whether `inner` (an address or network) lies inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const bits = BigInt((outer.family === 'ipv4' ? 32 : 128) - outer.prefix);
  return outer.address >> bits === inner.address >> bits;
}

/** Whether two networks share an address (one contains the other's first address at the shorter prefix). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const bits = BigInt((a.family === 'ipv4' ? 32 : 128) - Math.min(a.prefix, b.prefix));
  return a.address >> bits === b.address >> bits;
}

/** The network a CIDR lies in, host bits cleared (`172.16.4.0/16` → `172.16.0.0/16`). */
export function networkOfCidr(c: Cidr): Cidr {
  const bits = BigInt((c.family === 'ipv4' ? 32 : 128) - c.prefix);
  return { family: c.family, address: (c.address >> bits) << bits, prefix: c.prefix };
}

/** `172.16.0.0/16`, `fd00::/64` (the longest run of zero groups written `::`); the prefix left out when `withPrefix`
 *  is false. */
export function formatCidr(c: Cidr, withPrefix = true): string {
  const suffix = withPrefix ? `/${c.prefix}` : '';
  if (c.family === 'ipv4') {
    const v = Number(c.address);
    return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}${suffix}`;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((c.address >> BigInt(i * 16)) & 0xffffn));
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { best = i; bestLength = j - i; }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  const text = best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLength))}`;
  return text + suffix;
}

/** `addressInCidr('172.17.0.2', '172.17.0.0/16')`; false when either does not parse. */
export function addressInCidr(address: string, cidr: string): boolean {
  const a = parseCidr(address);
  const c = parseCidr(cidr);
  return !!a && !!c && cidrContains(c, a);
}

/** Same network written differently (`192.0.2.2` and `192.0.2.2/32`). */
export function sameCidr(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return !!x && !!y && x.family === y.family && x.prefix === y.prefix && cidrContains(x, y);
}

export function isLoopback(address: string): boolean {
  return addressInCidr(address, '127.0.0.0/8') || address === '::1';
}

export function isIPv4(ip: string): boolean {
  const parts = ip.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function isIPv6(ip: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(ip) || !ip.includes(':')) return false;
  let groups = ip.split(':');
  const last = groups[groups.length - 1]!;
  let needed = 8;
  if (last.includes('.')) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1).concat('0'); // the dotted tail stands for two groups; keep a placeholder for one
    needed = 7;
  }
  const doubleColon = ip.indexOf('::');
  if (doubleColon !== ip.lastIndexOf('::')) return false;
  if (doubleColon >= 0) {
    const nonEmpty = groups.filter((g) => g !== '');
    return nonEmpty.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g)) && nonEmpty.length < needed;
  }
  return groups.length === needed && groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g));
}

export type AddressFamily = 'ipv4' | 'ipv6';

export function ipFamily(ip: string): AddressFamily {
  return ip.includes(':') ? 'ipv6' : 'ipv4';
}

/** 0.0.0.0 or :: (any spelling of the IPv6 unspecified address). */
export function isWildcardIp(ip: string): boolean {
  return ip === '0.0.0.0' || (ip.includes(':') && /^[0:]+$/.test(ip));
}

/** `127.0.0.1`, `[::1]`, or `*` for no host IP. */
export function formatHostIp(ip: string | undefined): string {
  if (!ip) return '*';
  return ip.includes(':') ? `[${ip}]` : ip;
}
