// The one place that turns `GET /containers/json?all=1` JSON into ContainerModel, for API 1.41 .. 1.52 alike: it
// reads endpoints only from `NetworkSettings.Networks` (1.52 removed the top-level `NetworkSettings.IPAddress`),
// takes `DNSNames` (1.44+) and `Aliases` when a list call has them, and compacts `Ports` into ranges.
import type { ApiContainer, ApiEndpointSettings, ApiPort } from './apiTypes';
import { compactExposedPorts, PublishedPortCollector } from './compactPorts';
import type { ContainerModel, EndpointModel } from './model';
import type { PortProtocol } from '../net/portInterval';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

function protocolOf(v: unknown): PortProtocol | undefined {
  if (v === 'tcp' || v === 'udp' || v === 'sctp') return v;
  const p = typeof v === 'string' ? v.toLowerCase() : 'tcp';
  return p === 'tcp' || p === 'udp' || p === 'sctp' ? p : undefined;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : [];
}

/** Adds names not yet in `out`; Docker adds the short container id as an alias, which says nothing a person needs. */
function addAliases(out: string[], names: unknown, containerId: string): void {
  if (!Array.isArray(names)) return;
  for (const a of names) {
    if (typeof a !== 'string' || a === '' || out.includes(a)) continue;
    if (a.length >= 12 && containerId.startsWith(a)) continue;
    out.push(a);
  }
}

function normalizeEndpoint(networkName: string, raw: ApiEndpointSettings, containerId: string): EndpointModel {
  const aliases: string[] = [];
  addAliases(aliases, raw.Aliases, containerId);
  addAliases(aliases, raw.DNSNames, containerId);
  const e: EndpointModel = { networkId: text(raw.NetworkID) ?? '', networkName, aliases };
  const ipv4 = text(raw.IPAddress);
  if (ipv4) {
    e.ipv4 = ipv4;
    const len = positive(raw.IPPrefixLen);
    if (len !== undefined) e.ipv4PrefixLength = len;
  }
  const ipv6 = text(raw.GlobalIPv6Address);
  if (ipv6) {
    e.ipv6 = ipv6;
    const len = positive(raw.GlobalIPv6PrefixLen);
    if (len !== undefined) e.ipv6PrefixLength = len;
  }
  const gateway = text(raw.Gateway);
  if (gateway) e.gateway = gateway;
  const ipv6Gateway = text(raw.IPv6Gateway);
  if (ipv6Gateway) e.ipv6Gateway = ipv6Gateway;
  const mac = text(raw.MacAddress);
  if (mac) e.mac = mac;
  return e;
}

function endpointsOf(c: ApiContainer, id: string): EndpointModel[] {
  const networks = c.NetworkSettings?.Networks;
  if (!isObject(networks)) return [];
  const out: EndpointModel[] = [];
  for (const name of Object.keys(networks)) {
    const raw = networks[name];
    out.push(normalizeEndpoint(name, isObject(raw) ? (raw as ApiEndpointSettings) : {}, id));
  }
  return out.length > 1 ? out.sort((a, b) => a.networkName.localeCompare(b.networkName)) : out;
}

function portsOf(ports: unknown): Pick<ContainerModel, 'bindings' | 'exposed'> {
  if (!Array.isArray(ports) || !ports.length) return { bindings: [], exposed: [] };
  const published = new PublishedPortCollector();
  let exposedOnly: Array<{ protocol: PortProtocol; containerPort: number }> | undefined;
  for (const raw of ports as unknown[]) {
    if (typeof raw !== 'object' || raw === null) continue;
    const p = raw as ApiPort;
    const protocol = protocolOf(p.Type);
    if (!protocol || !isPort(p.PrivatePort)) continue;
    if (isPort(p.PublicPort)) {
      // Very old engines left IP out for "all addresses".
      published.add(typeof p.IP === 'string' && p.IP !== '' ? p.IP : '0.0.0.0', protocol, p.PublicPort, p.PrivatePort);
    } else if (p.PublicPort === undefined || p.PublicPort === null || p.PublicPort === 0) {
      (exposedOnly ??= []).push({ protocol, containerPort: p.PrivatePort });
    }
  }
  const bindings = published.bindings();
  if (!exposedOnly) return { bindings, exposed: [] };
  // A port both published and exposed-only (some engines list both) counts as published.
  const isPublished = (protocol: PortProtocol, port: number) =>
    bindings.some((b) => b.protocol === protocol && port >= b.containerStart && port <= b.containerEnd);
  return { bindings, exposed: compactExposedPorts(exposedOnly.filter((e) => !isPublished(e.protocol, e.containerPort))) };
}

export function normalizeContainer(raw: unknown): ContainerModel | undefined {
  if (!isObject(raw)) return undefined;
  const c = raw as ApiContainer;
  const id = text(c.Id);
  if (!id) return undefined;
  const firstName = stringList(c.Names)[0];
  const labels: Record<string, string> = {};
  if (isObject(c.Labels)) for (const [k, v] of Object.entries(c.Labels)) if (typeof v === 'string') labels[k] = v;
  const { bindings, exposed } = portsOf(c.Ports);
  return {
    id,
    name: firstName ? firstName.replace(/^\//, '') : id.slice(0, 12),
    image: text(c.Image) ?? '',
    state: text(c.State)?.toLowerCase() ?? 'unknown',
    status: text(c.Status) ?? '',
    networkMode: text(c.HostConfig?.NetworkMode) ?? 'default',
    endpoints: endpointsOf(c, id),
    bindings,
    exposed,
    labels,
  };
}

/** Normalizes a `GET /containers/json` body, sorted by name; a body that is not an array yields no containers. */
export function normalizeContainers(body: unknown): ContainerModel[] {
  if (!Array.isArray(body)) return [];
  return body
    .map(normalizeContainer)
    .filter((c): c is ContainerModel => c !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}
