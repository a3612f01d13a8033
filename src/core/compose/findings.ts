// Findings: what the rules report. A stable code (the README anchor and what quick fixes match on), a severity that
// the user can change per code, a message with numbers, the exact source range, and suggested fixes as text edits.
// The codes and their default severities come from the rule registry (rules/registry.ts).
import type { SourceRange } from './model';
import type { FindingCode } from './rules/registry';
import type { Severity, SuggestedFix } from './rules/rule';

export { defaultSeverities, findingCodes, findingSummaries } from './rules/registry';
export type { FindingCode } from './rules/registry';
export type { Severity, SeveritySetting, SuggestedFix, TextEdit } from './rules/rule';

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
