// subnet-overlap: a subnet of the project's networks that overlaps another of them, or a network already on the
// connected engine. Engine 28.5.2 refuses to create the second with "invalid pool request: Pool overlaps with other
// one on this address space" (test/engine/composeNetworks.test.ts). The engine's default address pools are not
// checked: `/info` does not report them (Engine 28.5.2), and a subnet inside them that no network holds yet is
// accepted (the pools skip it). Host routes (a LAN or VPN the subnet would hide) are not read either: that needs the
// firewall helper's privileges, which are asked for the firewall view only.
import { cidrsOverlap, formatCidr, networkOfCidr, parseCidr } from '../../net/addresses';
import type { Cidr } from '../../net/addresses';
import type { EngineNetwork } from '../engineNetworks';
import type { NetworkDefinition, ValueAt } from '../model';
import type { ComposeRule, FindingsOut } from './rule';

export const subnetOverlapRule: ComposeRule<'subnet-overlap'> = {
  code: 'subnet-overlap',
  defaultSeverity: 'error',
  summary: 'Two networks of the project, or a project network and one already on the engine, have overlapping '
    + 'subnets: the engine refuses the second ("Pool overlaps with other one on this address space").',
  run: ({ project, options }, out) => subnetOverlaps(project.networks, options.engineNetworks, options.projectName, out),
  fixes: [],
};

interface ProjectSubnet {
  network: NetworkDefinition;
  at: ValueAt;
  cidr: Cidr;
}

function subnetOverlaps(
  networks: ReadonlyMap<string, NetworkDefinition>, engineNetworks: readonly EngineNetwork[] | undefined, projectName: string | undefined,
  out: FindingsOut<'subnet-overlap'>,
): void {
  const subnets: ProjectSubnet[] = [];
  for (const def of networks.values()) {
    if (def.external) continue;
    for (const e of def.ipam) {
      const cidr = e.subnet && e.subnet.value.includes('/') ? parseCidr(e.subnet.value) : undefined;
      // one with host bits set is refused before any overlap (invalid-network-config says so)
      if (cidr && networkOfCidr(cidr).address === cidr.address) subnets.push({ network: def, at: e.subnet!, cidr });
    }
  }
  // pairs within the project: few networks per project, so pairwise is fine
  for (let i = 0; i < subnets.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = subnets[i]!;
      const b = subnets[j]!;
      if (a.network === b.network && a.at.range.start === b.at.range.start) continue;
      if (!cidrsOverlap(a.cidr, b.cidr)) continue;
      const same = a.network === b.network ? ` (both in ${a.network.name})` : '';
      out.push({
        code: 'subnet-overlap', range: a.at.range,
        related: [{ message: `${b.network.name}: ${b.at.value}`, range: b.at.range }],
        message: `network ${a.network.name}: subnet ${a.at.value} overlaps ${b.at.value} of network ${b.network.name}${same}: the engine refuses to create ` +
          `the second ("Pool overlaps with other one on this address space")`,
      });
    }
  }
  for (const s of subnets) {
    for (const n of engineNetworks ?? []) {
      // this project's own network, made by an earlier `up`: compose reuses it
      if (projectName !== undefined && n.composeProject === projectName && n.composeNetwork === s.network.name) continue;
      const hit = n.subnets.find((c) => { const x = parseCidr(c); return !!x && cidrsOverlap(x, s.cidr); });
      if (!hit) continue;
      out.push({
        code: 'subnet-overlap', range: s.at.range,
        message: `network ${s.network.name}: subnet ${formatCidr(s.cidr)} overlaps network ${n.name} (${hit}) on the connected engine: the engine refuses to ` +
          `create it ("Pool overlaps with other one on this address space"); pick a free subnet or remove ${n.name}`,
      });
    }
  }
}
