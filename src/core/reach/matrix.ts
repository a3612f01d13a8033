// Who can open a connection to whom among the engine's running containers: a trace per ordered pair, from the
// source's address to the target's (on a network they share when there is one), through the host's rules. ICC off,
// internal networks, isolation between networks and DOCKER-USER rules all decide there, as the kernel would have them.
import { traceConnection, type EngineFacts, type FirewallRuleset, type TraceVerdict } from '../firewall';
import { reachOf, type Reach } from '../firewall/exposure';

export interface MatrixCell {
  from: string;
  to: string;
  /** The addresses traced (`10.98.7.2 → 10.98.7.3:80`). */
  path: string;
  /** The network they share, when they do. */
  via?: string;
  reach: Reach;
  verdict: TraceVerdict;
}

export interface Matrix {
  containers: string[];
  port: number;
  protocol: 'tcp' | 'udp';
  cells: MatrixCell[];
}

/** Every ordered pair of the facts' containers that have an address (at most `limit` containers: n² traces). */
export function reachabilityMatrix(ruleset: FirewallRuleset, facts: EngineFacts,
  options: { port?: number; protocol?: 'tcp' | 'udp'; limit?: number } = {}): Matrix {
  const port = options.port ?? 80;
  const protocol = options.protocol ?? 'tcp';
  const containers = facts.containers.filter((c) => c.addresses.some((a) => !a.ip.includes(':'))).slice(0, options.limit ?? 200);
  const cells: MatrixCell[] = [];
  for (const a of containers) {
    for (const b of containers) {
      if (a === b) continue;
      const shared = a.addresses.find((x) => !x.ip.includes(':') && b.addresses.some((y) => y.network === x.network && !y.ip.includes(':')));
      const from = shared ?? a.addresses.find((x) => !x.ip.includes(':'))!;
      const to = shared ? b.addresses.find((y) => y.network === shared.network && !y.ip.includes(':'))! : b.addresses.find((y) => !y.ip.includes(':'))!;
      const trace = traceConnection(ruleset, { protocol, port, from: from.ip, toAddress: to.ip, facts });
      cells.push({ from: a.name, to: b.name, path: `${from.ip} → ${to.ip}:${port}`, ...(shared ? { via: shared.network } : {}), reach: reachOf(trace),
        verdict: trace.verdict });
    }
  }
  return { containers: containers.map((c) => c.name), port, protocol, cells };
}
