// Port entries as the loader makes them: the long syntax (`target:`, `published:`, `host_ip:`… read from a map) and
// the literal per shape that short entries are made with.
import type { Node } from 'yaml';
import type { FindingCode } from './findings';
import type { DefaultUsed, Interpolated } from './interpolate';
import type { PortEntry, SourceRange, UnresolvedPortEntry } from './model';
import { parsePortRange, portProtocols } from './portSpec';
import type { ScalarText, YamlFile } from '../yaml';
import type { PortInterval } from '../net/portInterval';
import { isIPv4, isIPv6 } from '../net/addresses';
import type { PortProtocol } from '../net/portInterval';

export const longSyntaxKeys = new Set(['target', 'published', 'host_ip', 'protocol', 'app_protocol', 'mode', 'name']);

/** What reading a long-syntax entry borrows from the file's reader. */
export interface LongPortContext {
  yaml: YamlFile;
  /** A scalar's interpolated text, its unresolved variables reported. */
  str(node: Node | null | undefined, service: string): { s: ScalarText; i: Interpolated } | undefined;
  report(code: FindingCode, message: string, range: SourceRange, service: string): void;
}

/** A long-syntax entry: the entry, the unresolved entry when variables are unset, undefined when it was reported. */
export function readLongPort(c: LongPortContext, item: Node, range: SourceRange, text: string, service: string): PortEntry | UnresolvedPortEntry | undefined {
  const y = c.yaml;
  const fields = new Map<string, { s: ScalarText; i: Interpolated; node: Node }>();
  const unresolved: string[] = [];
  const defaultsUsed: DefaultUsed[] = [];
  for (const e of y.entries(item)) {
    if (!longSyntaxKeys.has(e.key)) {
      if (!e.key.startsWith('x-')) c.report('invalid-port', `unknown key "${e.key}" in a port entry (${[...longSyntaxKeys].join(', ')})`,
        y.range(e.keyNode as Node), service);
      continue;
    }
    const v = c.str(e.value, service);
    if (!v) { c.report('invalid-port', `\`${e.key}\` must be a value`, y.range(e.value, e.keyNode as Node), service); continue; }
    unresolved.push(...v.i.unresolved, ...v.i.required.map((r) => r.name));
    defaultsUsed.push(...v.i.defaultsUsed);
    fields.set(e.key, { ...v, node: e.value! });
  }
  if (unresolved.length) return { range, text, variables: unresolved };
  const at = (key: string): SourceRange => {
    const f = fields.get(key);
    return f ? { file: range.file, start: f.s.start, end: f.s.end } : range;
  };
  const targetField = fields.get('target');
  if (!targetField) { c.report('invalid-port', 'a long-syntax port needs `target` (the container port)', range, service); return undefined; }
  const target = parsePortRange(targetField.i.value.trim());
  if (typeof target === 'string') { c.report('invalid-port', `target: ${target}`, at('target'), service); return undefined; }
  const entry: PortEntry = { range, syntax: 'long', text, target, protocol: 'tcp', publishedIsPool: false, defaultsUsed };
  const published = fields.get('published');
  if (published && published.i.value.trim() !== '') {
    const p = parsePortRange(published.i.value.trim());
    if (typeof p === 'string') { c.report('invalid-port', `published: ${p}`, at('published'), service); return undefined; }
    const hostLen = p.end - p.start + 1;
    const targetLen = target.end - target.start + 1;
    if (targetLen !== 1 && hostLen !== targetLen) {
      c.report('port-range-length-mismatch', `published range has ${hostLen} port${hostLen === 1 ? '' : 's'} but target range has ${targetLen}`,
        at('published'), service);
      return undefined;
    }
    entry.published = p;
  }
  const hostIp = fields.get('host_ip')?.i.value.trim();
  if (hostIp) {
    const ip = hostIp.startsWith('[') && hostIp.endsWith(']') ? hostIp.slice(1, -1) : hostIp;
    if (!isIPv4(ip) && !isIPv6(ip)) { c.report('invalid-port', `host_ip: "${hostIp}" is not an IP address`, at('host_ip'), service); return undefined; }
    entry.hostIp = ip;
  }
  const protocol = fields.get('protocol')?.i.value.trim().toLowerCase();
  if (protocol) {
    if (!(portProtocols as readonly string[]).includes(protocol)) { c.report('invalid-port', `unknown protocol "${protocol}" (tcp, udp or sctp)`,
      at('protocol'), service); return undefined; }
    entry.protocol = protocol as PortProtocol;
  }
  const mode = fields.get('mode')?.i.value;
  if (mode !== undefined) {
    if (mode !== 'host'
      && mode !== 'ingress') { c.report('invalid-port', `mode "${mode}" is neither host nor ingress`, at('mode'), service); return undefined; }
    entry.mode = mode;
  }
  const appProtocol = fields.get('app_protocol')?.i.value;
  if (appProtocol !== undefined) entry.appProtocol = appProtocol;
  const name = fields.get('name')?.i.value;
  if (name !== undefined) entry.name = name;
  entry.publishedIsPool = isPool(entry);
  return entry;
}


function isPool(p: { published?: { start: number; end: number }; target: { start: number; end: number } }): boolean {
  return !!p.published && p.target.start === p.target.end && p.published.end > p.published.start;
}

/** A short-syntax entry, each combination of fields in one literal of its own (a field added afterwards costs a
 *  second allocation for the object's property store; the fields keep the order they always had). */
export function shortPortEntry(
  range: SourceRange, text: string, hostIp: string | undefined, published: PortInterval | undefined, target: PortInterval,
  protocol: PortProtocol, defaultsUsed: DefaultUsed[],
): PortEntry {
  const publishedIsPool = published !== undefined && target.start === target.end && published.end > published.start;
  if (hostIp === undefined) {
    return published === undefined
      ? { range, syntax: 'short', text, target, protocol, publishedIsPool, defaultsUsed }
      : { range, syntax: 'short', text, target, protocol, publishedIsPool, defaultsUsed, published };
  }
  return published === undefined
    ? { range, syntax: 'short', text, target, protocol, publishedIsPool, defaultsUsed, hostIp }
    : { range, syntax: 'short', text, target, protocol, publishedIsPool, defaultsUsed, hostIp, published };
}
