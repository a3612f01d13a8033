// unresolved-variable: a `${VAR}` in a value the rules read (ports, expose, network_mode) that neither `.env` nor the
// environment sets; an error for `${VAR:?msg}`, which compose refuses. Reported while the file is read
// (loadComposeFile.ts), so no run function.
import type { ComposeRule } from './rule';

export const unresolvedVariableRule: ComposeRule<'unresolved-variable'> = {
  code: 'unresolved-variable',
  defaultSeverity: 'warning',
  summary: 'A variable used in a port, expose or network_mode value is set nowhere and has no default; the value is not guessed.',
  fixes: [],
};
