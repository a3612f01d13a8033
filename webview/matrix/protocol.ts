// Messages between the reachability matrix panel (src/extension/matrix/) and its webview (webview/matrix/), checked
// on both sides: the extension host never trusts the page, and the page never trusts a message it did not expect.
// The grid travels as one string of reach codes (n² characters), and a cell's trace only when it is opened.

/** One character per ordered pair, row by row: r reachable, b blocked, f refused, u unknown, - the container itself. */
export type ReachCode = 'r' | 'b' | 'f' | 'u' | '-';

export const maxMatrixContainers = 200;

export interface MatrixViewData {
  containers: string[];
  port: number;
  protocol: 'tcp' | 'udp';
  /** containers.length² reach codes; row `i` is what container `i` can reach. */
  reach: string;
  /** Where the rules and containers come from, and when the rules were read. */
  source: string;
  /** Containers left out past the limit (the grid holds at most maxMatrixContainers). */
  omitted: number;
}

export interface MatrixCellTrace {
  from: number;
  to: number;
  /** `10.98.7.2 → 10.98.7.3:80` */
  path: string;
  via?: string;
  reach: 'reachable' | 'blocked' | 'refused' | 'unknown';
  verdict: { kind: string; text: string };
  steps: Array<{ where: string; effect: string; text: string }>;
  assumptions: string[];
}

export type ToMatrixView =
  | { type: 'data'; data: MatrixViewData }
  | { type: 'cell'; cell: MatrixCellTrace }
  | { type: 'status'; text: string; fix?: string };

export type FromMatrixView =
  | { type: 'ready' }
  | { type: 'openCell'; from: number; to: number }
  | { type: 'retrace'; port: number; protocol: 'tcp' | 'udp' };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;
const isIndex = (v: unknown, n: number): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < n;
const isPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;
const isProtocol = (v: unknown): v is 'tcp' | 'udp' => v === 'tcp' || v === 'udp';
const reaches = new Set(['reachable', 'blocked', 'refused', 'unknown']);

/** A message from the webview, or undefined when it is not one the panel takes. */
export function parseFromMatrixView(v: unknown): FromMatrixView | undefined {
  if (!isObj(v)) return undefined;
  if (v.type === 'ready') return { type: 'ready' };
  if (v.type === 'openCell' && isIndex(v.from, maxMatrixContainers) && isIndex(v.to, maxMatrixContainers)) return { type: 'openCell', from: v.from, to: v.to };
  if (v.type === 'retrace' && isPort(v.port) && isProtocol(v.protocol)) return { type: 'retrace', port: v.port, protocol: v.protocol };
  return undefined;
}

function isData(v: unknown): v is MatrixViewData {
  if (!isObj(v) || !Array.isArray(v.containers) || v.containers.length > maxMatrixContainers || !v.containers.every((c) => isStr(c, 256))) return false;
  const n = v.containers.length;
  return isPort(v.port) && isProtocol(v.protocol) && isStr(v.reach, n * n) && (v.reach as string).length === n * n
    && /^[rbfu-]*$/.test(v.reach as string) && isStr(v.source) && Number.isInteger(v.omitted) && (v.omitted as number) >= 0;
}

function isCell(v: unknown): v is MatrixCellTrace {
  return isObj(v) && isIndex(v.from, maxMatrixContainers) && isIndex(v.to, maxMatrixContainers) && isStr(v.path, 256)
    && (v.via === undefined || isStr(v.via, 256)) && reaches.has(v.reach as string)
    && isObj(v.verdict) && isStr(v.verdict.kind, 64) && isStr(v.verdict.text)
    && Array.isArray(v.steps) && v.steps.length <= 100_000 && v.steps.every((s) => isObj(s) && isStr(s.where, 512) && isStr(s.effect, 64) && isStr(s.text))
    && Array.isArray(v.assumptions) && v.assumptions.every((a) => isStr(a));
}

/** A message from the extension, or undefined when it is not a well-formed one. */
export function parseToMatrixView(v: unknown): ToMatrixView | undefined {
  if (!isObj(v)) return undefined;
  if (v.type === 'data' && isData(v.data)) return { type: 'data', data: v.data };
  if (v.type === 'cell' && isCell(v.cell)) return { type: 'cell', cell: v.cell };
  if (v.type === 'status' && isStr(v.text) && (v.fix === undefined || isStr(v.fix))) return { type: 'status', text: v.text,
    ...(v.fix !== undefined ? { fix: v.fix } : {}) };
  return undefined;
}
