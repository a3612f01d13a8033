// The compose ports grammar: short syntax `[[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL]` (ports and ranges, IPv6
// host IPs with or without brackets), long syntax fields, and `expose`. Splitting follows docker/go-connections
// `nat.ParsePortSpec`, which compose uses: split on `:` from the right, so `::1:6000:6000` is host IP `::1`.
// Ranges stay intervals.
import type { PortInterval } from '../net/portInterval';
import { isIPv4, isIPv6 } from '../net/addresses';
import type { PortProtocol } from '../net/portInterval';

export const portProtocols: readonly PortProtocol[] = ['tcp', 'udp', 'sctp'];

export interface ParsedPortSpec {
  /** Without brackets; `undefined` when not written (the engine binds 0.0.0.0 and ::). */
  hostIp?: string;
  /** `undefined`: no host port given, the engine picks an ephemeral one per container port. */
  published?: PortInterval;
  target: PortInterval;
  protocol: PortProtocol;
}

/** A problem at characters `start`..`end` of the spec string. */
export interface PortSpecProblem {
  kind: 'invalid-port' | 'port-range-length-mismatch';
  message: string;
  start: number;
  end: number;
}

export type PortSpecResult = { ok: true; spec: ParsedPortSpec } | { ok: false; problem: PortSpecProblem };

function fail(kind: PortSpecProblem['kind'], message: string, start: number, end: number): PortSpecResult {
  return { ok: false, problem: { kind, message, start, end } };
}

/** `80`, `3000-3005`: a port or an inclusive range, 1-65535. `null` with a reason otherwise. */
export function parsePortRange(text: string): PortInterval | string {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return text === '' ? 'no port given' : `"${text}" is not a port or a port range`;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  for (const p of [start, end]) if (p < 1 || p > 65535) return `port ${p} is outside 1-65535`;
  if (end < start) return `range ${start}-${end} ends before it starts`;
  return { start, end };
}

/** Parses one short-syntax entry. Offsets in a problem are character indexes into `spec`. */
export function parseShortPortSpec(spec: string): PortSpecResult {
  const common = parseCommonShortPortSpec(spec);
  return common ? { ok: true, spec: common } : parseAnyShortPortSpec(spec);
}

/** The general parser: every form, every problem with its message. parseCommonShortPortSpec must agree with it. */
export function parseAnyShortPortSpec(spec: string): PortSpecResult {
  if (spec.trim() === '') return fail('invalid-port', 'empty port entry', 0, spec.length);
  // protocol: after the last `/`
  let body = spec;
  let protocol: PortProtocol = 'tcp';
  const slash = spec.indexOf('/');
  if (slash >= 0) {
    const proto = spec.slice(slash + 1);
    body = spec.slice(0, slash);
    const lower = proto.toLowerCase();
    if (proto !== '' && !(portProtocols as readonly string[]).includes(lower)) {
      return fail('invalid-port', `unknown protocol "${proto}" (tcp, udp or sctp)`, slash + 1, spec.length);
    }
    if (proto !== '') protocol = lower as PortProtocol;
  }
  const parts = body.split(':');
  const n = parts.length;
  // [start offset, text] of each piece, from the right as go-connections splits them
  const containerText = parts[n - 1]!;
  const containerStart = body.length - containerText.length;
  let hostText: string | undefined;
  let hostStart = 0;
  let ipText: string | undefined;
  if (n === 2) {
    hostText = parts[0]!;
  } else if (n >= 3) {
    hostText = parts[n - 2]!;
    hostStart = containerStart - 1 - hostText.length;
    ipText = parts.slice(0, n - 2).join(':');
  }
  let hostIp: string | undefined;
  if (ipText !== undefined && ipText !== '') {
    let ip = ipText;
    if (ip.startsWith('[')) {
      if (!ip.endsWith(']')) return fail('invalid-port', `host IP "${ipText}" has an unclosed "["`, 0, ipText.length);
      ip = ip.slice(1, -1);
    }
    if (!isIPv4(ip) && !isIPv6(ip)) return fail('invalid-port', `"${ipText}" is not an IP address`, 0, ipText.length);
    hostIp = ip;
  }
  const target = parsePortRange(containerText);
  if (typeof target === 'string') return fail('invalid-port', `container port: ${target}`, containerStart, containerStart + containerText.length);
  let published: PortInterval | undefined;
  if (hostText !== undefined && hostText !== '') {
    const p = parsePortRange(hostText);
    if (typeof p === 'string') return fail('invalid-port', `host port: ${p}`, hostStart, hostStart + hostText.length);
    published = p;
    const hostLen = p.end - p.start + 1;
    const targetLen = target.end - target.start + 1;
    // a host range to one container port is allowed: the engine picks one free port of the range
    if (targetLen !== 1 && hostLen !== targetLen) {
      return fail('port-range-length-mismatch',
        `host range ${hostText} has ${hostLen} port${hostLen === 1 ? '' : 's'} but container range ${containerText} has ${targetLen}`,
        hostStart, containerStart + containerText.length);
    }
  }
  const result: ParsedPortSpec = { target, protocol };
  if (hostIp !== undefined) result.hostIp = hostIp;
  if (published) result.published = published;
  return { ok: true, spec: result };
}

const DOT = 46;
const DASH = 45;
const COLON = 58;
const LOWER_C = 99;
const LOWER_D = 100;
const LOWER_P = 112;
const LOWER_S = 115;
const LOWER_T = 116;
const LOWER_U = 117;

/** What readCommonShortPortSpec read: one object per reader, filled again for each entry (no object per entry). */
export class CommonPortSpec {
  hostIp: string | undefined = undefined;
  published: PortInterval | undefined = undefined;
  target: PortInterval = { start: 0, end: 0 };
  protocol: PortProtocol = 'tcp';
}

/**
 * The valid forms nearly every file uses (`80`, `8080:80`, `127.0.0.1:8080:80/udp`, ranges, a lowercase protocol)
 * read in place, without the splits, slices and regexes of the general parser: a file can hold thousands of entries.
 * Undefined for anything else (IPv6, brackets, spaces, errors), which parseAnyShortPortSpec handles and reports.
 */
export function parseCommonShortPortSpec(spec: string): ParsedPortSpec | undefined {
  const read = new CommonPortSpec();
  if (!readCommonShortPortSpec(spec, read)) return undefined;
  const result: ParsedPortSpec = { target: read.target, protocol: read.protocol };
  if (read.hostIp !== undefined) result.hostIp = read.hostIp;
  if (read.published !== undefined) result.published = read.published;
  return result;
}

/** parseCommonShortPortSpec into `out` (its fields are only meaningful when this returns true). */
export function readCommonShortPortSpec(spec: string, out: CommonPortSpec): boolean {
  let bodyEnd = spec.length;
  let protocol: PortProtocol = 'tcp';
  const slash = spec.indexOf('/');
  if (slash >= 0) {
    const p = lowercaseProtocolAt(spec, slash + 1);
    if (!p) return false;
    protocol = p;
    bodyEnd = slash;
  }
  const lastColon = lastColonBefore(spec, bodyEnd);
  const target = intervalAt(spec, lastColon + 1, bodyEnd);
  if (!target) return false;
  let hostIp: string | undefined;
  let published: PortInterval | undefined;
  if (lastColon >= 0) {
    const ipEnd = lastColonBefore(spec, lastColon);
    if (ipEnd > 0) {
      if (!isIPv4At(spec, 0, ipEnd)) return false;
      hostIp = spec.slice(0, ipEnd);
    }
    if (ipEnd + 1 < lastColon) {
      published = intervalAt(spec, ipEnd + 1, lastColon);
      if (!published) return false;
      const targetLen = target.end - target.start;
      if (targetLen !== 0 && published.end - published.start !== targetLen) return false;
    }
  }
  out.hostIp = hostIp;
  out.published = published;
  out.target = target;
  out.protocol = protocol;
  return true;
}

/** `tcp`, `udp` or `sctp` from `at` to the end, compared by character (`startsWith(x, at)` is slow in V8). */
function lowercaseProtocolAt(s: string, at: number): PortProtocol | undefined {
  const rest = s.length - at;
  const c = s.charCodeAt(at);
  if (rest === 3 && s.charCodeAt(at + 2) === LOWER_P) {
    if (c === LOWER_T && s.charCodeAt(at + 1) === LOWER_C) return 'tcp';
    if (c === LOWER_U && s.charCodeAt(at + 1) === LOWER_D) return 'udp';
  }
  if (rest === 4 && c === LOWER_S && s.charCodeAt(at + 1) === LOWER_C && s.charCodeAt(at + 2) === LOWER_T && s.charCodeAt(at + 3) === LOWER_P) return 'sctp';
  return undefined;
}

/** The last `:` before `end`, or -1 (a loop: String#lastIndexOf is a runtime call in V8, slow for a few characters). */
function lastColonBefore(s: string, end: number): number {
  for (let i = end - 1; i >= 0; i--) if (s.charCodeAt(i) === COLON) return i;
  return -1;
}

/** Digits from `i` (at most five) to the first non-digit: the number and where it stopped, in `digitsEnd`. */
let digitsEnd = 0;
function digitsAt(s: string, i: number, to: number): number {
  const from = i;
  let n = 0;
  for (; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  digitsEnd = i === from || i - from > 5 ? -1 : i;
  return n;
}

/** `80` or `3000-3005` exactly filling `from`..`to`, valid (1-65535, not reversed); undefined otherwise. */
function intervalAt(s: string, from: number, to: number): PortInterval | undefined {
  const start = digitsAt(s, from, to);
  if (digitsEnd < 0) return undefined;
  let end = start;
  if (digitsEnd < to) {
    if (s.charCodeAt(digitsEnd) !== DASH) return undefined;
    end = digitsAt(s, digitsEnd + 1, to);
    if (digitsEnd !== to) return undefined;
  }
  return start >= 1 && end <= 65535 && start <= end ? { start, end } : undefined;
}

/** A dotted IPv4 address exactly filling `from`..`to` (what isIPv4 accepts). */
function isIPv4At(s: string, from: number, to: number): boolean {
  let i = from;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (s.charCodeAt(i) !== DOT) return false;
      i++;
    }
    const start = i;
    let n = 0;
    for (; i < to && i - start < 3; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === start || n > 255) return false;
  }
  return i === to;
}

/** `expose` entries: `3000`, `3000-3005`, `3000/udp`. */
export function parseExposeSpec(spec: string): { ok: true; ports: PortInterval; protocol: PortProtocol } | { ok: false; problem: PortSpecProblem } {
  const slash = spec.indexOf('/');
  const portText = slash >= 0 ? spec.slice(0, slash) : spec;
  let protocol: PortProtocol = 'tcp';
  if (slash >= 0) {
    const proto = spec.slice(slash + 1).toLowerCase();
    if (!(portProtocols as readonly string[]).includes(proto)) {
      return { ok: false,
        problem: { kind: 'invalid-port', message: `unknown protocol "${spec.slice(slash + 1)}" (tcp, udp or sctp)`, start: slash + 1, end: spec.length } };
    }
    protocol = proto as PortProtocol;
  }
  const ports = parsePortRange(portText);
  if (typeof ports === 'string') return { ok: false, problem: { kind: 'invalid-port', message: `expose: ${ports}`, start: 0, end: portText.length } };
  return { ok: true, ports, protocol };
}
