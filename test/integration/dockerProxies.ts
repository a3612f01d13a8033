// Counts docker-proxy processes on this machine through /proc: the truth the cost figures are checked against.
// The test engine runs on this machine, so its docker-proxy processes are visible here.
import * as fs from 'fs';

/** docker-proxy processes forwarding to `containerIp` (all of them when omitted). */
export function countDockerProxies(containerIp?: string): number {
  let count = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // exited meanwhile
    }
    if (!argv[0]?.endsWith('docker-proxy')) continue;
    if (containerIp === undefined || argv[argv.indexOf('-container-ip') + 1] === containerIp) count++;
  }
  return count;
}
