// Where a plain scalar may start and where it stops, on one line of the fast YAML subset (fastYaml.ts and its flow
// collections); anything outside the subset gives up.
import { giveUp } from './fastYamlGiveUp';
import { COLON, COMMA, CR, DASH, HASH, LBRACE, LBRACKET, LF, RBRACE, RBRACKET, SPACE, TAB, isFlowIndicator, isIndicator, isRefused } from './yamlChars';

export function canStartPlainAt(s: string, p: number, flow: boolean): boolean {
  const n = s.length;
  if (p >= n) return false;
  const c = s.charCodeAt(p);
  if (c === DASH) {
    const d = p + 1 < n ? s.charCodeAt(p + 1) : LF;
    return !(d === SPACE || d === LF || d === CR || d === TAB || (flow && isFlowIndicator(d)));
  }
  return !isIndicator(c) && !isRefused(c) && c !== SPACE;
}

/**
 * Scans a plain scalar on one line from `p`; returns where it stopped: the line's end, a ` #` comment, a `:`
 * indicator, or in flow a `,`, `]` or `}` (its text ends there, less trailing spaces).
 */
export function plainStop(s: string, p: number, flow: boolean): number {
  const n = s.length;
  let q = p;
  for (; q < n; q++) {
    const c = s.charCodeAt(q);
    if (c === SPACE) continue;
    if (c === LF || c === CR) break;
    if (c === HASH && s.charCodeAt(q - 1) === SPACE) break;
    if (c === COLON) {
      const d = q + 1 < n ? s.charCodeAt(q + 1) : LF;
      if (d === SPACE || d === LF || d === CR) break;
      if (d === TAB) giveUp();
      if (flow && isFlowIndicator(d)) break;
    }
    if (flow) {
      if (c === COMMA || c === RBRACKET || c === RBRACE) break;
      if (c === LBRACKET || c === LBRACE) giveUp();
    }
    if (isRefused(c)) giveUp();
  }
  if (flow && q >= n) giveUp();
  return q;
}
