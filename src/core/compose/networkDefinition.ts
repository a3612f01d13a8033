// A top-level network definition and a service's per-network settings, read with the keys compose 2.40.3's schema
// allows: any other key is refused by `docker compose config`/`up` ("networks.n.ipam.config.0 additional properties
// 'iprange' not allowed"), so it is reported as invalid-network-config with compose's words and the key it likely
// meant. Values are interpolated; a value with an unset variable is left out (never guessed).
import type { Node } from 'yaml';
import type { FindingCode } from './findings';
import type { IpamConfigEntry, NetworkDefinition, SourceRange, ValueAt } from './model';
import type { YamlFile } from '../yaml';

export interface NetworkReadContext {
  yaml: YamlFile;
  /** The interpolated text of a scalar; undefined when it is none or a variable in it is unset. */
  valueAt(node: Node | null | undefined): ValueAt | undefined;
  bool(node: Node | null | undefined): boolean;
  report(code: FindingCode, message: string, range: SourceRange, service?: string): void;
}

/** compose 2.40.3's schema (`strings docker-compose`, definitions.network and service.networks). */
const networkKeys = ['name', 'driver', 'driver_opts', 'ipam', 'external', 'internal', 'enable_ipv4', 'enable_ipv6', 'attachable', 'labels'];
const ipamKeys = ['driver', 'config', 'options'];
const ipamConfigKeys = ['subnet', 'ip_range', 'gateway', 'aux_addresses'];
export const attachmentKeys = ['aliases', 'interface_name', 'ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address', 'driver_opts', 'priority',
  'gw_priority'];

/** The allowed key `key` was probably meant to be: the same letters without `_`/`-` and case (`iprange`), else one
 *  at most two edits away. */
export function likelyKey(key: string, allowed: readonly string[]): string | undefined {
  const squash = (k: string) => k.toLowerCase().replace(/[_-]/g, '');
  const same = allowed.find((a) => squash(a) === squash(key));
  if (same) return same;
  let best: string | undefined;
  let bestDistance = 3;
  for (const a of allowed) {
    const d = editDistance(key.toLowerCase(), a);
    if (d < bestDistance) { best = a; bestDistance = d; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** Reports each key of `map` compose does not allow there (`x-` extension keys are allowed). */
export function reportUnknownKeys(ctx: NetworkReadContext, map: Node | null | undefined, allowed: readonly string[], path: string, service?: string): void {
  for (const e of ctx.yaml.entries(map)) {
    if (e.merged || allowed.includes(e.key) || e.key.startsWith('x-')) continue;
    const meant = likelyKey(e.key, allowed);
    ctx.report('invalid-network-config',
      `${path} additional properties '${e.key}' not allowed: compose refuses the file${meant ? ` (did you mean \`${meant}\`?)` : ''}`,
      ctx.yaml.range(e.keyNode as Node), service);
  }
}

export function readNetworkDefinition(ctx: NetworkReadContext, name: string, keyNode: Node, value: Node | null): NetworkDefinition {
  const y = ctx.yaml;
  const def: NetworkDefinition = { name, range: y.range(keyNode), internal: false, external: false, enableIpv6: false, ipamSubnets: [], ipam: [] };
  if (y.asMap(value)) reportUnknownKeys(ctx, value, networkKeys, `networks.${name}`);
  const driver = ctx.valueAt(y.get(value, 'driver')?.value);
  if (driver !== undefined) def.driver = driver.value;
  def.internal = ctx.bool(y.get(value, 'internal')?.value);
  def.external = ctx.bool(y.get(value, 'external')?.value) || !!y.asMap(y.get(value, 'external')?.value);
  def.enableIpv6 = ctx.bool(y.get(value, 'enable_ipv6')?.value);
  const ipam = y.get(value, 'ipam')?.value;
  if (y.asMap(ipam)) reportUnknownKeys(ctx, ipam, ipamKeys, `networks.${name}.ipam`);
  y.items(y.get(ipam, 'config')?.value).forEach((c, i) => {
    if (!y.asMap(c)) return;
    reportUnknownKeys(ctx, c, ipamConfigKeys, `networks.${name}.ipam.config.${i}`);
    const entry: IpamConfigEntry = { range: y.range(c), auxAddresses: [] };
    const subnet = ctx.valueAt(y.get(c, 'subnet')?.value);
    if (subnet) { entry.subnet = subnet; def.ipamSubnets.push(subnet.value); }
    const gateway = ctx.valueAt(y.get(c, 'gateway')?.value);
    if (gateway) entry.gateway = gateway;
    const ipRange = ctx.valueAt(y.get(c, 'ip_range')?.value);
    if (ipRange) entry.ipRange = ipRange;
    for (const a of y.entries(y.get(c, 'aux_addresses')?.value)) {
      const address = ctx.valueAt(a.value);
      if (address) entry.auxAddresses.push({ name: a.key, ...address });
    }
    def.ipam.push(entry);
  });
  return def;
}
