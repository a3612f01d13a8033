// What the reachability matrix view shows, from the core's matrix: the grid as reach codes, and one cell's trace when
// it is opened. Pure (no vscode): unit-tested on real captures.
import type { EngineFacts, FirewallRuleset } from '../../core/firewall';
import { reachOf, type Reach } from '../../core/firewall/exposure';
import { matrixCellTrace, matrixContainers } from '../../core/reach/matrix';
import { maxMatrixContainers, type MatrixCellTrace, type MatrixViewData, type ReachCode } from '../../../webview/matrix/protocol';

const codeOf: Record<Reach, ReachCode> = { reachable: 'r', blocked: 'b', refused: 'f', unknown: 'u' };

export interface MatrixRequest {
  ruleset: FirewallRuleset;
  facts: EngineFacts;
  port: number;
  protocol: 'tcp' | 'udp';
  source: string;
}

/**
 * The grid: every ordered pair of the (at most maxMatrixContainers) containers, a trace each (the cells of
 * core/reach/matrix.ts's reachabilityMatrix, row by row). `betweenRows` runs after each row: the panel yields to the
 * event loop there (200 containers are 39,800 traces) and stops when it returns false (a newer request came).
 */
export async function matrixViewData(req: MatrixRequest, betweenRows: () => Promise<boolean> = async () => true): Promise<MatrixViewData | undefined> {
  const containers = matrixContainers(req.facts, maxMatrixContainers);
  const n = containers.length;
  const codes: ReachCode[] = new Array<ReachCode>(n * n).fill('-');
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i !== j) codes[i * n + j] = codeOf[reachOf(matrixCellTrace(req.ruleset, req.facts, containers[i]!, containers[j]!, req.port, req.protocol).trace)];
    }
    if (!(await betweenRows())) return undefined;
  }
  const all = matrixContainers(req.facts, Infinity).length;
  return { containers: containers.map((c) => c.name), port: req.port, protocol: req.protocol, reach: codes.join(''), source: req.source, omitted: all - n };
}

/** One cell's trace, for the view's detail pane; undefined for a cell that is not in the grid. */
export function matrixCell(req: MatrixRequest, from: number, to: number): MatrixCellTrace | undefined {
  const containers = matrixContainers(req.facts, maxMatrixContainers);
  const a = containers[from];
  const b = containers[to];
  if (!a || !b || a === b) return undefined;
  const { path, trace } = matrixCellTrace(req.ruleset, req.facts, a, b, req.port, req.protocol);
  return {
    from, to, path: `${path.from} → ${path.to}:${req.port}/${req.protocol}`, ...(path.via ? { via: path.via } : {}),
    reach: reachOf(trace), verdict: { kind: trace.verdict.kind, text: trace.verdict.text },
    steps: trace.steps.map((s) => ({ where: `${s.hook} ${s.table}/${s.chain}`, effect: s.effect, text: s.text })),
    assumptions: trace.assumptions,
  };
}
