// Findings: what the rules report. A stable code (the README anchor and what quick fixes match on), a severity that
// the user can change per code, a message with numbers, the exact source range, and suggested fixes as text edits.
import type { SourceRange } from './model';

export const findingCodes = [
  'port-range-proxy-cost',
  'host-port-conflict',
  'ports-ignored-by-network-mode',
  'published-port-unreachable',
  'port-range-length-mismatch',
  'invalid-port',
  'published-on-all-interfaces',
  'default-bridge-no-dns',
  'unresolved-variable',
  'invalid-compose-file',
  'undefined-network',
  'invalid-network-config',
  'subnet-overlap',
] as const;

export type FindingCode = (typeof findingCodes)[number];

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export const defaultSeverities: Readonly<Record<FindingCode, SeveritySetting>> = {
  'port-range-proxy-cost': 'warning',
  'host-port-conflict': 'error',
  'ports-ignored-by-network-mode': 'warning',
  'published-port-unreachable': 'warning',
  'port-range-length-mismatch': 'error',
  'invalid-port': 'error',
  'published-on-all-interfaces': 'off',
  'default-bridge-no-dns': 'warning',
  'unresolved-variable': 'warning',
  'invalid-compose-file': 'error',
  'undefined-network': 'error',
  'invalid-network-config': 'error',
  'subnet-overlap': 'error',
};

/** Replace `length` characters at `offset` of `file` with `newText`. */
export interface TextEdit {
  file: string;
  offset: number;
  length: number;
  newText: string;
}

export interface SuggestedFix {
  title: string;
  isPreferred: boolean;
  edits: TextEdit[];
  /** What the fix also changes, in words (e.g. "removes ports: and networks: of web"). */
  note?: string;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  range: SourceRange;
  service?: string;
  /** Other places involved (the other side of a conflict, the network definition). */
  related: { message: string; range: SourceRange }[];
  fixes: SuggestedFix[];
}

/** Where a code is explained: its section of the README (the heading is the code). */
export const docsAnchor = (code: FindingCode): string => `README.md#${code}`;
