// Words for model objects, shared by the tree, hovers and the CLI.
import type { NetworkModel } from './model';

/** `bridge · 172.18.0.0/16 via 172.18.0.1 · internal`: driver, subnets and gateways, then the flags that change behaviour. */
export function networkDescription(n: NetworkModel): string {
  const parts = [n.driver || 'unknown driver', ...n.subnets.map((s) => (s.gateway ? `${s.cidr} via ${s.gateway}` : s.cidr))];
  if (n.internal) parts.push('internal');
  if (!n.icc) parts.push('icc off');
  if (!n.masquerade) parts.push('no masquerade');
  if (n.attachable && n.scope === 'swarm') parts.push('attachable');
  return parts.join(' · ');
}

export function networkTooltip(n: NetworkModel): string {
  const lines = [`${n.name} (${n.driver}, ${n.scope})`, `ID ${n.id.slice(0, 12)}`];
  for (const s of n.subnets) lines.push(`${s.family === 'ipv4' ? 'IPv4' : 'IPv6'} ${s.cidr}${s.gateway ? ` via ${s.gateway}` : ''}`);
  if (n.bridgeName) lines.push(`bridge device ${n.bridgeName}`);
  if (n.internal) lines.push('internal: no route out, published ports unreachable');
  if (!n.icc) lines.push('icc=false: containers on this network cannot talk to each other');
  if (n.name === 'bridge' && n.driver === 'bridge') lines.push('default bridge: no embedded DNS, containers resolve each other only by IP');
  return lines.join('\n');
}
