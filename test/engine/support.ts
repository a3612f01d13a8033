// Shared by the engine-tier tests: a dockerode client on the engine under test, what a test makes (labelled with this
// run's id and removed afterwards), containers started with `docker run -p` style port specs, commands in the
// engine's network namespace, and how a test states an engine fact (naming the engine it ran on).
import { spawnSync } from 'child_process';
import Docker from 'dockerode';
import type { TestContext } from 'node:test';
import { engineLabel, engineRig } from '../support/engineRig';
import { TEST_IMAGE, TEST_LABEL } from '../support/testObjects';

export { TEST_IMAGE, TEST_LABEL } from '../support/testObjects';
export const RUN_ID = process.env.DND_TEST_RUN || 'manual';
export const testLabels = (): Record<string, string> => ({ [TEST_LABEL]: RUN_ID });

export const rig = engineRig();
/** `Engine 28.5.2 (sid)`: in every test title and fact line. */
export const ENGINE = engineLabel(rig);

/** A dockerode client on the engine under test (DOCKER_HOST, set by scripts/test.js). */
export function engineDocker(host = process.env.DOCKER_HOST): Docker {
  if (!host?.startsWith('unix://')) throw new Error(`the engine tests need DOCKER_HOST=unix://… (got ${host ?? 'nothing'})`);
  return new Docker({ socketPath: host.slice('unix://'.length) });
}

/** The engine's `major.minor` (`28.5`), the key of the facts a test has recorded per engine. */
export function engineMinor(version = rig.version): string {
  return version.split('.').slice(0, 2).join('.');
}

/** States a fact as the engine showed it: in the test's report (printed by the spec reporter, kept in the TAP file). */
export function fact(t: TestContext, text: string, engine = ENGINE): void {
  t.diagnostic(`${engine}: ${text}`);
}

/** What the engine said when it refused a call (dockerode puts the engine's message in `json.message`). */
export function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  return e.json?.message ?? e.message ?? String(err);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** The containers and networks a test made; `removeAll()` removes them, ignoring what is already gone. */
export class Made {
  private readonly containers: Docker.Container[] = [];
  private readonly networks: Docker.Network[] = [];

  container(c: Docker.Container): Docker.Container { this.containers.push(c); return c; }
  network(n: Docker.Network): Docker.Network { this.networks.push(n); return n; }

  async removeContainers(): Promise<void> {
    await Promise.all(this.containers.splice(0).map((c) => c.remove({ force: true }).catch(() => undefined)));
  }

  async removeAll(): Promise<void> {
    await this.removeContainers();
    for (const n of this.networks.splice(0)) await n.remove().catch(() => undefined);
  }
}

/**
 * `docker run -p` specs (`[IP:]HOST[-END]:CONTAINER[-END][/PROTO]`, an IPv6 IP in brackets) as the Engine API's
 * ExposedPorts and PortBindings, one binding per port of a range, as the docker CLI sends them. Written apart from
 * the product's compose grammar (src/core/compose/portSpec.ts), so a mistake there cannot hide here.
 */
export function portBindingsOf(
  specs: readonly string[],
): { ExposedPorts: Record<string, object>; PortBindings: Record<string, { HostIp: string; HostPort: string }[]> } {
  const ExposedPorts: Record<string, object> = {};
  const PortBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const spec of specs) {
    const m = /^(?:(\[[0-9a-fA-F:.]+\]|\d+\.\d+\.\d+\.\d+):)?(\d+)(?:-(\d+))?:(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(spec);
    if (!m) throw new Error(`not a port spec this helper knows: ${spec}`);
    const ip = m[1] ? m[1].replace(/^\[|\]$/g, '') : '';
    const host = Number(m[2]);
    const hostEnd = m[3] ? Number(m[3]) : host;
    const target = Number(m[4]);
    const proto = m[6] ?? 'tcp';
    for (let i = 0; i <= hostEnd - host; i++) {
      const key = `${target + i}/${proto}`;
      ExposedPorts[key] = {};
      (PortBindings[key] ??= []).push({ HostIp: ip, HostPort: String(host + i) });
    }
  }
  return { ExposedPorts, PortBindings };
}

export interface Started {
  container: Docker.Container;
  /** Undefined when it started; else what the engine said. */
  error?: string;
}

/**
 * Creates and starts a container from the test image (default command: a server on port 80 that answers
 * `dnd-hello` to every connection). A refused start is returned, not thrown; a refused create throws.
 */
export async function startContainer(docker: Docker, made: Made, opts: {
  name?: string; cmd?: string[]; ports?: readonly string[]; networkMode?: string | undefined; links?: string[];
  /** Runs between create and start (e.g. connecting more networks, as compose does). */
  beforeStart?: (c: Docker.Container) => Promise<void>;
}): Promise<Started> {
  const ports = portBindingsOf(opts.ports ?? []);
  const container = made.container(await docker.createContainer({
    name: opts.name ?? uniqueName('dnd-engine'), Image: TEST_IMAGE, Labels: testLabels(),
    Cmd: opts.cmd ?? ['nc', '-ll', '-p', '80', '-e', 'echo', 'dnd-hello'],
    ExposedPorts: ports.ExposedPorts,
    HostConfig: { PortBindings: ports.PortBindings, ...(opts.networkMode ? { NetworkMode: opts.networkMode } : {}),
      ...(opts.links ? { Links: opts.links } : {}) },
  }));
  await opts.beforeStart?.(container);
  try {
    await container.start();
    return { container };
  } catch (e) {
    return { container, error: engineMessage(e) };
  }
}

/** Runs a command in a new container to its end; its exit code and output (stdout and stderr, as a terminal shows). */
export async function runToEnd(docker: Docker, made: Made, cmd: string[], opts: { networkMode?: string; links?: string[] } = {},
  timeoutMs = 30_000): Promise<{ exitCode: number; output: string }> {
  const container = made.container(await docker.createContainer({
    name: uniqueName('dnd-engine-run'), Image: TEST_IMAGE, Labels: testLabels(), Cmd: cmd, Tty: true,
    HostConfig: { ...(opts.networkMode ? { NetworkMode: opts.networkMode } : {}), ...(opts.links ? { Links: opts.links } : {}) },
  }));
  await container.start();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_,
    reject) => { timer = setTimeout(() => reject(new Error(`${cmd.join(' ')} did not end within ${timeoutMs} ms`)), timeoutMs); });
  try {
    const { StatusCode } = await Promise.race([container.wait() as Promise<{ StatusCode: number }>, timeout]);
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return { exitCode: StatusCode, output: Buffer.isBuffer(logs) ? logs.toString('utf8') : String(logs) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a command in the engine's network namespace (this machine's own for an engine given by DOCKER_HOST).
 * Argument arrays only: nothing goes through a shell.
 */
export function inEngineNetns(argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const [cmd, ...args] = rig.engineNetns ? ['nsenter', `--net=${rig.engineNetns}`, '--', ...argv] : argv;
  const r = spawnSync(cmd!, args, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export { waitFor } from '../support/waitFor';
