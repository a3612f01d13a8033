// `--to-destination 172.17.0.2:80` and nft's `dnat to 172.17.0.2:80`: an address and a port interval, read by hand
// because it runs for every DNAT rule of a dump.
import type { PortInterval } from '../net/portInterval';

/** `172.17.0.2:80`, `172.17.0.2:80-90`, `[fd00::2]:80`, `10.0.0.1`, `:8080` → address and port interval. */
export function parseAddressPort(text: string): { address?: string; ports?: PortInterval } {
  let address: string | undefined;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    address = text.slice(1, end);
    if (text[end + 1] === ':') portText = text.slice(end + 2);
  } else {
    // one colon splits address and port; more make an IPv6 address without a port
    const colon = text.indexOf(':');
    if (colon >= 0 && text.indexOf(':', colon + 1) < 0) {
      address = text.slice(0, colon) || undefined;
      portText = text.slice(colon + 1);
    } else {
      address = text || undefined;
    }
  }
  const out: { address?: string; ports?: PortInterval } = {};
  if (address) out.address = address;
  if (portText) {
    const ports = portInterval(portText);
    if (ports) out.ports = ports;
  }
  return out;
}

/**
 * `80`, `80-90`, `80:90` → an interval, undefined for anything else (like `/^(\d+)(?:[-:](\d+))?$/`). Read by hand:
 * this runs for every DNAT rule of a 100,000-rule dump.
 */
function portInterval(text: string): PortInterval | undefined {
  const n = text.length;
  let i = 0;
  while (i < n && isAsciiDigit(text.charCodeAt(i))) i++;
  const fromEnd = i;
  if (fromEnd === 0) return undefined;
  if (i === n) {
    const from = decimal(text, 0, n);
    return { start: from, end: from };
  }
  const sep = text.charCodeAt(i);
  if (sep !== 45 /* - */ && sep !== 58 /* : */) return undefined;
  for (i++; i < n; i++) if (!isAsciiDigit(text.charCodeAt(i))) return undefined;
  if (fromEnd + 1 === n) return undefined;
  return { start: decimal(text, 0, fromEnd), end: decimal(text, fromEnd + 1, n) };
}

function isAsciiDigit(ch: number): boolean {
  return ch >= 48 && ch <= 57;
}

/** The ASCII digits `text[from, to)` as Number would read them (exact by hand up to 15 digits). */
function decimal(text: string, from: number, to: number): number {
  if (to - from > 15) return Number(text.slice(from, to));
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (text.charCodeAt(i) - 48);
  return v;
}
