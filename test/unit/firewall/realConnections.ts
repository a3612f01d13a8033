// The real connections capture.sh made next to a firewall capture (`e<version>-<firewall>-1-truth.txt`), one per line:
// `outside 198.51.100.2:5432 -> HTTP/1.1 404 Not Found` → { label, address, port, reach }.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Reach } from '../../../src/core/firewall';
import { fixturePath } from '../../paths';

/** A file of test/fixtures/firewall. */
export const readFirewallFixture = (name: string) => fs.readFileSync(path.join(fixturePath('firewall'), name), 'utf8');
/** The engine host's address on the rig's LAN, as capture.sh probed it from the outside namespace. */
export const LAN = '198.51.100.2';
export const LAN6 = '2001:db8:dd::2';

export interface RealConnection { label: string; address: string; port: number; reach: Reach }

export function realConnections(text: string): RealConnection[] {
  return text.split('\n').flatMap((line) => {
    const m = /^(.+?) (\S+):(\d+) -> (.*)$/.exec(line);
    if (!m) return [];
    const answer = m[4]!;
    const reach: Reach = answer.startsWith('HTTP/') ? 'reachable' : /refused/.test(answer) ? 'refused' : 'blocked';
    return [{ label: m[1]!, address: m[2]!, port: Number(m[3]), reach }];
  });
}

/** The real connections of a capture's truth file (`e28.5-ufw-1-truth.txt`). */
export const truth = (name: string) => realConnections(readFirewallFixture(name));
