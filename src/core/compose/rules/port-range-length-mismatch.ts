// port-range-length-mismatch: a port entry whose host range and container range differ in length (`8000-8009:80-81`;
// a host range to one container port is allowed). Reported while the port entries are read (portSpec.ts,
// portEntries.ts), so no run function.
import type { ComposeRule } from './rule';

export const portRangeLengthMismatchRule: ComposeRule<'port-range-length-mismatch'> = {
  code: 'port-range-length-mismatch',
  defaultSeverity: 'error',
  summary: 'A published range and its container range differ in length; compose refuses the entry.',
  fixes: [],
};
