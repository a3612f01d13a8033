// Who can open a connection to whom among the engine's running containers: a trace per ordered pair, from the
// source's address to the target's (on a network they share when there is one), through the host's rules. ICC off,
// internal networks, isolation between networks and DOCKER-USER rules all decide there, as the kernel would have them.
import { traceConnection, type EngineFacts, type FirewallRuleset, type TraceResult, type TraceVerdict } from '../firewall';
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

type FactsContainer = EngineFacts['containers'][number];

/** The containers a matrix holds: those with an IPv4 address, at most `limit` (n² traces). */
export function matrixContainers(facts: EngineFacts, limit = 200): FactsContainer[] {
  return facts.containers.filter((c) => c.addresses.some((a) => !a.ip.includes(':'))).slice(0, limit);
}

/** The addresses a connection from `a` to `b` goes between: on a network they share when there is one. */
export function pairPath(a: FactsContainer, b: FactsContainer): { from: string; to: string; via?: string } {
  const shared = a.addresses.find((x) => !x.ip.includes(':') && b.addresses.some((y) => y.network === x.network && !y.ip.includes(':')));
  const from = shared ?? a.addresses.find((x) => !x.ip.includes(':'))!;
  const to = shared ? b.addresses.find((y) => y.network === shared.network && !y.ip.includes(':'))!
    : b.addresses.find((y) => !y.ip.includes(':'))!;
  return { from: from.ip, to: to.ip, ...(shared ? { via: shared.network } : {}) };
}

/** The trace of one cell (what the matrix view opens when a cell is clicked). */
export function matrixCellTrace(ruleset: FirewallRuleset, facts: EngineFacts, a: FactsContainer, b: FactsContainer, port: number, protocol: 'tcp' | 'udp'):
  { path: ReturnType<typeof pairPath>; trace: TraceResult } {
  const path = pairPath(a, b);
  return { path, trace: traceConnection(ruleset, { protocol, port, from: path.from, toAddress: path.to, facts }) };
}

/** Every ordered pair of the facts' containers that have an address (at most `limit` containers: n² traces). */
export function reachabilityMatrix(ruleset: FirewallRuleset, facts: EngineFacts, options: { port?: number; protocol?: 'tcp' | 'udp'; limit?: number } = {}):
  Matrix {
  const port = options.port ?? 80;
  const protocol = options.protocol ?? 'tcp';
  const containers = matrixContainers(facts, options.limit);
  const cells: MatrixCell[] = [];
  for (const a of containers) {
    for (const b of containers) {
      if (a === b) continue;
      const { path, trace } = matrixCellTrace(ruleset, facts, a, b, port, protocol);
      cells.push({ from: a.name, to: b.name, path: `${path.from} → ${path.to}:${port}`, ...(path.via ? { via: path.via } : {}), reach: reachOf(trace),
        verdict: trace.verdict });
    }
  }
  return { containers: containers.map((c) => c.name), port, protocol, cells };
}
