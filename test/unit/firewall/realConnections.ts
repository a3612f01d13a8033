// The real connections capture.sh made next to a firewall capture (`e<version>-<firewall>-1-truth.txt`), one per line:
// `outside 198.51.100.2:5432 -> HTTP/1.1 404 Not Found` → { label, address, port, reach }.
import type { Reach } from '../../../src/core/firewall';

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
