// The one place that turns `GET /networks` JSON into NetworkModel. Tolerates missing and null fields of any API
// version; skips entries that are not objects or have no id and name (they cannot be shown or acted on).
import type { ApiNetwork } from './apiTypes';
import type { NetworkModel, Subnet } from './model';

const BRIDGE_NAME = 'com.docker.network.bridge.name';
const ENABLE_ICC = 'com.docker.network.bridge.enable_icc';
const ENABLE_MASQUERADE = 'com.docker.network.bridge.enable_ip_masquerade';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Docker writes boolean options as strings ("true", "false", "1", "0"); absent means the default. */
function optionFlag(options: Record<string, string>, key: string, fallback: boolean): boolean {
  const v = options[key];
  if (v === undefined) return fallback;
  return !/^(false|0|no|off)$/i.test(v.trim());
}

function subnetsOf(net: ApiNetwork): Subnet[] {
  const configs = Array.isArray(net.IPAM?.Config) ? net.IPAM.Config : [];
  const out: Subnet[] = [];
  for (const c of configs) {
    if (!isObject(c) || typeof c.Subnet !== 'string' || !c.Subnet) continue;
    const subnet: Subnet = { cidr: c.Subnet, family: c.Subnet.includes(':') ? 'ipv6' : 'ipv4' };
    if (typeof c.Gateway === 'string' && c.Gateway) subnet.gateway = c.Gateway;
    out.push(subnet);
  }
  return out;
}

export function normalizeNetwork(raw: unknown): NetworkModel | undefined {
  if (!isObject(raw)) return undefined;
  const net = raw as ApiNetwork;
  if (typeof net.Id !== 'string' || typeof net.Name !== 'string') return undefined;
  const options = stringRecord(net.Options);
  const driver = typeof net.Driver === 'string' ? net.Driver : '';
  const model: NetworkModel = {
    id: net.Id,
    name: net.Name,
    driver,
    scope: typeof net.Scope === 'string' ? net.Scope : 'local',
    subnets: subnetsOf(net),
    internal: net.Internal === true,
    attachable: net.Attachable === true,
    ipv6: net.EnableIPv6 === true,
    icc: optionFlag(options, ENABLE_ICC, true),
    masquerade: optionFlag(options, ENABLE_MASQUERADE, true),
    labels: stringRecord(net.Labels),
  };
  if (driver === 'bridge') model.bridgeName = options[BRIDGE_NAME] || `br-${net.Id.slice(0, 12)}`;
  return model;
}

/** Normalizes a `GET /networks` body, sorted by name; a body that is not an array yields no networks. */
export function normalizeNetworks(body: unknown): NetworkModel[] {
  if (!Array.isArray(body)) return [];
  return body
    .map(normalizeNetwork)
    .filter((n): n is NetworkModel => n !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}
