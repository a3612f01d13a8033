// Counts docker-proxy processes on this machine through /proc: the truth the cost figures are checked against.
// The test engine runs on this machine, so its docker-proxy processes are visible here. Other engines may run beside
// it (the rig's engines of other versions, a probe's), with containers on the same addresses (every default bridge is
// 172.17.0.0/16): when the test engine's dockerd pid is known, only its children count.
import * as fs from 'fs';
import { engineRig } from '../support/engineRig';

/** The parent pid of `pid`, from /proc/<pid>/stat (the field after the parenthesised command name). */
function parentPid(pid: string): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // exited meanwhile
  }
}

/** docker-proxy processes of the test engine forwarding to `containerIp` (all of its own when omitted). */
export function countDockerProxies(containerIp?: string, enginePid: number | undefined = engineRig().pid): number {
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
    if (enginePid !== undefined && parentPid(pid) !== enginePid) continue;
    if (containerIp === undefined || argv[argv.indexOf('-container-ip') + 1] === containerIp) count++;
  }
  return count;
}
