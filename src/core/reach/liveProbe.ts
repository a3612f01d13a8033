// A real connection made for the checklist, from where the user asked (the host, or a container's network namespace),
// by a short-lived container that runs busybox `sh`, `timeout` and `telnet`. The script is a constant: the address
// and port reach it as positional arguments, never inside the script text. busybox telnet says when the other end
// closes ("Connection closed by foreign host"), which tells a connection docker-proxy accepted and closed at once (the
// app behind it cannot be reached) from one that stays open (a server waiting for a request) or answers. (busybox nc
// cannot: it waits for its own input whatever the other end does; measured on Engine 28.5.2.)
export const LIVE_HOLD_S = 2;

export const liveProbeScript = [
  `out=$( (sleep ${LIVE_HOLD_S}) | timeout 5 telnet "$1" "$2" 2>&1 )`,
  'rc=$?',
  'echo "dnd-live rc=$rc"',
  'printf %s "$out" | head -c 300',
].join('\n');

export type LiveOutcome = 'answered' | 'held-open' | 'closed-at-once' | 'refused' | 'timed-out' | 'unreachable' | 'failed';

export interface LiveResult {
  outcome: LiveOutcome;
  /** Whether the connection reached something that kept it or answered. */
  reached: boolean;
  /** In words, with what nc said. */
  text: string;
}

/** Reads the probe's output (`dnd-live rc=N`, then up to 300 bytes of what telnet printed or received). */
export function parseLiveProbe(output: string): LiveResult {
  const m = /dnd-live rc=(\d+)\n?([\s\S]*)$/.exec(output);
  if (!m) return { outcome: 'failed', reached: false, text: `the probe did not report (${output.trim().slice(0, 120) || 'no output'})` };
  const said = m[2]!.trim();
  const lines = said.split('\n').map((l) => l.trim()).filter(Boolean);
  const connected = lines.some((l) => /^Connected to /.test(l));
  if (!connected) {
    if (/refused/i.test(said)) return { outcome: 'refused', reached: false, text: `refused (${said})` };
    if (/unreachable|no route/i.test(said)) return { outcome: 'unreachable', reached: false, text: `no route (${said})` };
    if (/can't connect/i.test(said)) return { outcome: 'failed', reached: false, text: said };
    return { outcome: 'timed-out', reached: false, text: 'timed out: no answer to the connection within 5 s' };
  }
  const closed = lines.some((l) => /Connection closed by foreign host/i.test(l));
  const payload = lines.filter((l) => !/^Connected to |Connection closed by foreign host|^Escape character/i.test(l)).join(' ');
  if (payload) return { outcome: 'answered', reached: true, text: `connected, and it answered ${JSON.stringify(payload.slice(0, 60))}` };
  if (closed) return { outcome: 'closed-at-once', reached: false,
    text: 'connected, then closed by the other end with nothing said: what accepted it (e.g. docker-proxy) could not reach the app behind it' };
  return { outcome: 'held-open', reached: true,
    text: `connected; the other end kept the connection open (${LIVE_HOLD_S} s), as a server waiting for a request does` };
}
