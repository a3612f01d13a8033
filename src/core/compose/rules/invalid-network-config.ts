// invalid-network-config (the addresses; unknown keys are reported while reading, networkDefinition.ts): what Engine
// 28.5.2 refuses when `docker compose up` creates the network or starts the container, in its words:
// - a subnet with host bits set: `invalid subnet 172.16.4.0/16: it should be 172.16.0.0/16`, or no CIDR at all;
// - a gateway, ip_range or aux address outside its subnet: `parent subnet … doesn't contain this address`;
// - a static ipv4_address/ipv6_address outside every subnet of the network (`no configured subnet or ip-range contain
//   the IP address …`) or on a network without an ipam config (`user specified IP address is supported only when
//   connecting to networks with user configured subnets`);
// - two services with the same static address: the second fails with `Address already in use`.
// External networks are the engine's: their subnets are not in the file, so their static addresses are not judged.
import { cidrContains, formatCidr, networkOfCidr, parseCidr } from '../../net/addresses';
import type { Cidr } from '../../net/addresses';
import type { NetworkDefinition, ServiceModel, ValueAt } from '../model';
import type { ComposeRule, FindingsOut } from './rule';

const code = 'invalid-network-config' as const;
type Out = FindingsOut<typeof code>;

export const invalidNetworkConfigRule: ComposeRule<typeof code> = {
  code,
  defaultSeverity: 'error',
  summary: 'A network or ipam key compose does not know, a subnet with host bits set, a gateway, ip_range, aux '
    + 'address or static address outside its subnet, a static address on a network without a subnet, or two '
    + 'services with the same static address: compose or the engine refuses it.',
  run: ({ services, project, options }, out) => networkConfigFindings(services, project.networks, out, options.engineVersion),
  fixes: [],
};

function addressOf(text: string): Cidr | undefined {
  const c = parseCidr(text);
  return c && !text.includes('/') ? c : undefined;
}

/**
 * Host bits in a subnet and an ip_range outside its subnet: refused by Engine 26.1.5 and 28.5.2, accepted by
 * 20.10.24 (it creates the network with the subnet as written), measured with docker-compose 2.40.3 `up`
 * (test/engine/composeNetworks.test.ts). Engines 21-25 were not measured: below 26 it is a warning, not an error.
 */
const REFUSED_FROM_MAJOR = 26;

function acceptedBy(engineVersion: string | undefined): string | undefined {
  const major = engineVersion ? Number(/^(\d+)\./.exec(engineVersion)?.[1]) : NaN;
  return Number.isFinite(major) && major < REFUSED_FROM_MAJOR ? engineVersion : undefined;
}

function networkConfigFindings(services: readonly ServiceModel[], networks: ReadonlyMap<string, NetworkDefinition>, out: Out, engineVersion?: string): void {
  const subnetsOf = new Map<string, Cidr[]>();
  const older = acceptedBy(engineVersion);
  for (const def of networks.values()) subnetsOf.set(def.name, ipamFindings(def, out, older));
  staticAddressFindings(services, networks, subnetsOf, out);
}

/** The network's findings; returns its subnets that parse (the ones static addresses are checked against). */
function ipamFindings(def: NetworkDefinition, out: Out, olderEngine: string | undefined): Cidr[] {
  // what an engine that accepts it (the connected one is older than 26) is told instead of a refusal
  const onOlder = (what: string) => (olderEngine
    ? { severity: 'warning' as const,
      tail: `: the connected Engine ${olderEngine} accepts it (20.10.24 was seen to create the network as written), but Engine 26.1 and 28.5 refuse it ` +
      `(${what})` }
    : undefined);
  const subnets: Cidr[] = [];
  const related = [{ message: `network ${def.name}`, range: def.range }];
  for (const entry of def.ipam) {
    const subnetText = entry.subnet?.value;
    const subnet = subnetText !== undefined ? parseCidr(subnetText) : undefined;
    if (entry.subnet && (!subnet || !subnetText!.includes('/'))) {
      out.push({ code, range: entry.subnet.range, related,
        message: `network ${def.name}: subnet ${subnetText} is not a CIDR block (like 172.28.0.0/16): the engine refuses to create the network ("invalid ` +
          `subnet ${subnetText}: invalid CIDR block notation")` });
      continue;
    }
    if (subnet) {
      const network = networkOfCidr(subnet);
      if (network.address !== subnet.address) {
        const should = formatCidr(network);
        const older = onOlder(`"invalid subnet ${subnetText}: it should be ${should}"`);
        out.push({ code, range: entry.subnet!.range, related, ...(older ? { severity: older.severity } : {}),
          message: `network ${def.name}: subnet ${subnetText} has host bits ` +
            `set${older ? older.tail : `: the engine refuses to create the network ("invalid subnet ${subnetText}: it should be ${should}")`}; ` +
            `write ${should}, or a longer prefix if a smaller subnet was meant` });
      } else subnets.push(subnet);
    }
    if (!subnet) continue;
    const outside = (what: string, at: ValueAt, engineWords: string) => out.push({ code, range: at.range, related,
      message: `network ${def.name}: ${what} ${at.value} is outside its subnet ${subnetText}: the engine refuses to create the network ("${engineWords}")` });
    if (entry.gateway) {
      const g = addressOf(entry.gateway.value);
      if (!g || !cidrContains(subnet, g)) outside('gateway', entry.gateway,
        `invalid gateway ${entry.gateway.value}: parent subnet ${subnetText} doesn't contain this address`);
    }
    if (entry.ipRange) {
      const r = parseCidr(entry.ipRange.value);
      const words = `invalid ip-range ${entry.ipRange.value}: parent subnet ${subnetText} doesn't contain ip-range`;
      const older = r ? onOlder(`"${words}"`) : undefined;
      if (r && !cidrContains(subnet, r) && older) {
        out.push({ code, range: entry.ipRange.range, related, severity: older.severity,
          message: `network ${def.name}: ip_range ${entry.ipRange.value} is outside its subnet ${subnetText}${older.tail}; `
            + 'removing such a network fails there ("no matching subnet for range") and keeps its subnet taken until the daemon restarts' });
      } else if (!r || !cidrContains(subnet, r)) outside('ip_range', entry.ipRange, words);
    }
    for (const aux of entry.auxAddresses) {
      const a = addressOf(aux.value);
      if (!a || !cidrContains(subnet, a)) outside(`aux_addresses ${aux.name}:`, aux,
        `invalid auxiliary address ${aux.name}: parent subnet ${subnetText} doesn't contain this address`);
    }
  }
  return subnets;
}

function staticAddressFindings(services: readonly ServiceModel[], networks: ReadonlyMap<string, NetworkDefinition>, subnetsOf: Map<string, Cidr[]>,
  out: Out): void {
  /** `network\0address` → the first service that claimed it. */
  const claimed = new Map<string, { service: string; at: ValueAt }>();
  for (const svc of services) {
    if (svc.networkMode) continue; // compose refuses networks next to network_mode; nothing is attached
    for (const n of svc.networks ?? []) {
      const def = networks.get(n.name);
      if (!def || def.external) continue;
      for (const at of [n.ipv4Address, n.ipv6Address]) {
        if (!at) continue;
        const address = addressOf(at.value);
        const related = [{ message: `network ${def.name}`, range: def.range }];
        if (!address) {
          out.push({ code, service: svc.name, range: at.range, related,
            message: `${svc.name}: ${at.value} is not an IP address: the engine refuses to start the container ("invalid IPv4 address: ${at.value}")` });
          continue;
        }
        const subnets = subnetsOf.get(def.name) ?? [];
        if (!def.ipam.some((e) => e.subnet)) {
          out.push({ code, service: svc.name, range: at.range, related,
            message: `${svc.name}: a static address (${at.value}) on network ${def.name}, which has no ipam subnet: the engine refuses to start the ` +
              `container ("user specified IP address is supported only when connecting to networks with user configured subnets"); give ${def.name} an ipam ` +
              `config with a subnet that holds it` });
          continue;
        }
        if (!subnets.some((s) => cidrContains(s, address)) && subnets.length) {
          out.push({ code, service: svc.name, range: at.range, related,
            message: `${svc.name}: ${at.value} is outside every subnet of network ${def.name} (${subnets.map((s) => formatCidr(s)).join(', ')}): the engine ` +
              `refuses to start the container ("no configured subnet or ip-range contain the IP address ${at.value}")` });
          continue;
        }
        const key = `${def.name}\u0000${formatCidr(address, false)}`;
        const first = claimed.get(key);
        if (!first) { claimed.set(key, { service: svc.name, at }); continue; }
        if (first.service === svc.name) continue;
        out.push({ code, service: svc.name, range: at.range,
          related: [{ message: `${first.service} has ${first.at.value} on ${def.name}`, range: first.at.range }],
          message: `${svc.name} and ${first.service} both ask for ${at.value} on network ${def.name}: the one started second fails ("Address already in ` +
            `use")` });
      }
    }
  }
}
