// Where the test engine is, for tests that talk to it or to its published ports (integration and engine tiers).
// scripts/lib/engine.js starts each private engine in a network namespace of its own, joined by a veth pair to an
// "outside" namespace (another host on the engine's LAN); scripts/test.js passes their paths in the environment.
// "localhost" is the engine namespace's own loopback; "outside" connects from the peer to the engine host's LAN
// address. With an engine given by DOCKER_HOST (no namespaces known) both are this machine's own namespace.
import { spawn } from 'child_process';
import { retryWhile } from './waitFor';

export interface EngineRig {
  /** The engine's version as it reports it, e.g. `28.5.2`: every engine fact a test states names it. */
  version: string;
  /** The Debian suite the private engine came from (`bookworm`, `trixie`, `sid`), or `given` (DOCKER_HOST). */
  suite: string;
  /** dockerd's pid (private engines). */
  pid?: number;
  /** `nsenter --net=` path of the engine's network namespace; undefined: this machine's own. */
  engineNetns?: string;
  /** `nsenter --net=` path of the outside host's namespace; undefined when there is none. */
  outsideNetns?: string;
  /** The engine host's addresses as the outside host reaches them. */
  lanIpv4?: string;
  lanIpv6?: string;
}

export function engineRig(env: NodeJS.ProcessEnv = process.env): EngineRig {
  const pid = Number(env.DND_TEST_ENGINE_PID);
  return {
    version: env.DND_TEST_ENGINE_VERSION || 'unknown',
    suite: env.DND_TEST_ENGINE_SUITE || 'given',
    ...(pid > 0 ? { pid } : {}),
    ...(env.DND_TEST_ENGINE_NETNS ? { engineNetns: env.DND_TEST_ENGINE_NETNS } : {}),
    ...(env.DND_TEST_OUTSIDE_NETNS ? { outsideNetns: env.DND_TEST_OUTSIDE_NETNS } : {}),
    ...(env.DND_TEST_ENGINE_LAN_IPV4 ? { lanIpv4: env.DND_TEST_ENGINE_LAN_IPV4 } : {}),
    ...(env.DND_TEST_ENGINE_LAN_IPV6 ? { lanIpv6: env.DND_TEST_ENGINE_LAN_IPV6 } : {}),
  };
}

/** `Engine 28.5.2 (sid)`: how a test title or message names the engine it ran on. */
export function engineLabel(rig: EngineRig = engineRig()): string {
  return `Engine ${rig.version}${rig.suite !== 'given' ? ` (${rig.suite})` : ''}`;
}

export interface ConnectResult {
  ok: boolean;
  /** What the server sent (the test servers answer one line). */
  data: string;
  /** Why not, in nc's words, when not ok. */
  error?: string;
}

/**
 * Opens a TCP connection to address:port from inside a network namespace (undefined: this machine's own) with
 * busybox nc, and reads what the server sends. Argument arrays only: nothing here goes through a shell.
 */
export function connectFrom(netnsPath: string | undefined, address: string, port: number, timeoutS = 2): Promise<ConnectResult> {
  const nc = ['busybox', 'nc', '-w', String(timeoutS), address, String(port)];
  const [cmd, ...args] = netnsPath ? ['nsenter', `--net=${netnsPath}`, '--', ...nc] : nc;
  return new Promise((resolve) => {
    const p = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d.toString(); });
    p.stderr.on('data', (d) => { err += d.toString(); });
    p.on('error', (e) => resolve({ ok: false, data: out, error: e.message }));
    p.on('close', (code) => resolve(out.length > 0 ? { ok: true, data: out } : { ok: false, data: out, error: err.trim() || `nc exited with ${code}` }));
  });
}

/** connectFrom the engine host itself (its namespace's loopback or any of its addresses). */
export function connectFromEngineHost(address: string, port: number, rig: EngineRig = engineRig()): Promise<ConnectResult> {
  return connectFrom(rig.engineNetns, address, port);
}

/** connectFrom the outside host to the engine host's LAN address; fails when the rig has no outside host. */
export function connectFromOutside(port: number, rig: EngineRig = engineRig(), family: 4 | 6 = 4): Promise<ConnectResult> {
  const address = family === 4 ? rig.lanIpv4 : rig.lanIpv6;
  if (!rig.outsideNetns || !address) {
    throw new Error('this engine has no outside host (an engine given by DOCKER_HOST): run the tests on a private engine (unset DOCKER_HOST)');
  }
  return connectFrom(rig.outsideNetns, address, port);
}

/** Whether a connection's error is a refusal (the test servers restart `nc -l` after each connection). */
export const refused = (r: ConnectResult): boolean => !r.ok && /refused/i.test(r.error ?? '');

/**
 * Accepted and closed with nothing said: docker-proxy accepts the client's connection, then closes it when its own
 * connection to the container is refused (the test server between two `nc -l`). Seen on Engine 20.10.24 over IPv6.
 */
const closedEmpty = (r: ConnectResult): boolean => !r.ok && r.error === 'nc exited with 0';

/**
 * A connection, tried again for a moment while refused (or, through docker-proxy, accepted and closed empty): a test
 * server restarts `nc -l` after each connection, so a connection right after another can find nothing listening. A
 * refusal that lasts is a real one; a time-out (dropped) is an answer and is not retried.
 */
export function settled(connect: () => Promise<ConnectResult>): Promise<ConnectResult> {
  return retryWhile(connect, (r) => refused(r) || closedEmpty(r), 8, 150);
}
