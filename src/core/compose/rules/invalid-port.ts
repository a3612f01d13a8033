// invalid-port: a `ports` or `expose` entry compose cannot read (not a port, a range or a long-syntax map). Reported
// while the entries are read (portSpec.ts, loadComposeFile.ts), so no run function.
import type { ComposeRule } from './rule';

export const invalidPortRule: ComposeRule<'invalid-port'> = {
  code: 'invalid-port',
  defaultSeverity: 'error',
  summary: 'An entry compose cannot read: a port outside 1-65535, a reversed range, an unknown protocol or key, a host IP that is not an address.',
  fixes: [],
};
