// Reads the engine host's firewall through the Docker API: a short-lived helper container in the host's PID and
// network namespaces enters the engine's mount and network namespaces (nsenter) and runs the host's own
// iptables-save / ip6tables-save / nft, so the backend (legacy or nft) always matches. It also lists docker-proxy
// processes with their memory and a few sysctls. Privileged: run only after the user's consent (src/extension).
//
// Ways in, tried in order (each was seen to work somewhere; the result says which one did):
//   1. privileged, `nsenter -t 1 -m -n`: real hosts and Docker Desktop's VM. Only when PID 1 shares the engine's
//      network namespace; else (an engine in a namespace of its own) into that engine's dockerd, as method 2.
//   2. SYS_ADMIN + SYS_PTRACE + NET_ADMIN, seccomp and AppArmor unconfined, `nsenter -t <dockerd> -m -n`: hosts that
//      refuse privileged containers or entering PID 1 (this project's sandbox: runc cannot apply all caps).
//   3. host network and PID namespaces without nsenter: docker-proxy processes and sysctls only (no host binaries).
// The container's command is a constant script with constant arguments: no name or user data is ever put into it.
import type Docker from 'dockerode';
import { PassThrough } from 'stream';
import type { EngineEndpoint } from '../core/engine/endpoint';
import { parseHostSnapshot, type HostSnapshot } from '../core/firewall/hostSnapshot';
import { dockerOptions } from './dockerClient';

export const helperLabel = 'dev.docker-network-doctor.helper';
const hostPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const helperTimeoutMs = 30_000;
/** The helper kills its own command after this long, even when nothing is left to remove it (the extension died). */
const helperSelfLimitS = helperTimeoutMs / 1000 + 30;
/** How long removing a helper may take before the operation fails saying which container is left. */
const helperRemovalTimeoutMs = 15_000;

/**
 * Runs inside the engine host's namespaces (or the container, for method 3) and prints the sections. docker-proxy
 * processes are counted only in the engine's network namespace (where they listen): with host PID namespaces the
 * helper sees every process of the machine, including other engines' proxies (each engine in a network namespace of
 * its own, as in the test rig). A process whose namespace cannot be read is counted; one that ended meanwhile is not.
 */
const collectScript = String.raw`
PATH=${hostPath}
section() { name=$1; shift; echo "### dnd:begin $name"; "$@" 2>&1; rc=$?; echo "### dnd:end rc=$rc"; }
section iptables-save iptables-save -c
section ip6tables-save ip6tables-save -c
section nft nft list ruleset
echo "### dnd:begin docker-proxy"
net=$(readlink /proc/self/ns/net 2>/dev/null)
for p in /proc/[0-9]*; do
  [ "$(cat "$p/comm" 2>/dev/null)" = docker-proxy ] || continue
  pnet=$(readlink "$p/ns/net" 2>/dev/null)
  [ -z "$pnet" ] || [ -z "$net" ] || [ "$pnet" = "$net" ] || continue
  cmd=$(tr '\0' ' ' 2>/dev/null < "$p/cmdline"); [ -n "$cmd" ] || continue
  pss=$(sed -n 's/^Pss: *\([0-9]*\) kB/\1/p' "$p/smaps_rollup" 2>/dev/null | head -n 1)
  echo "\${p#/proc/} \${pss:-?} $cmd"
done
echo "### dnd:end rc=0"
echo "### dnd:begin sysctl"
for k in net/ipv4/ip_forward net/ipv4/ip_local_port_range net/ipv4/tcp_tw_reuse net/bridge/bridge-nf-call-iptables net/bridge/bridge-nf-call-ip6tables; do
  [ -r "/proc/sys/$k" ] && echo "$k=$(cat "/proc/sys/$k")"
done
for b in /sys/class/net/*/bridge; do
  n=\${b%/bridge}; n=\${n##*/}
  [ -r "/proc/sys/net/ipv4/conf/$n/route_localnet" ] && echo "net/ipv4/conf/$n/route_localnet=$(cat "/proc/sys/net/ipv4/conf/$n/route_localnet")"
done
echo "### dnd:end rc=0"
`.replace(/\\\$/g, '$');

/**
 * Runs in the helper container (busybox) and enters the target's namespaces. $1: `pid1` or `dockerd`; $2: the
 * collect script. The container runs with --net host, so it shares the network namespace of the engine that made it.
 * PID 1 is entered only when it shares that namespace too: an engine in a network namespace of its own (a test rig,
 * some sandboxes and appliances) would otherwise show the machine's rules, not the engine's. Otherwise, and for
 * `dockerd`, the target is the dockerd whose network namespace the container shares, so a machine with several
 * engines still reads the right one. `### dnd:target` says which process was entered and why.
 * The helper also bounds itself (busybox `timeout`, where the image has a usable one), so it ends even if the
 * extension that started it is gone.
 */
const enterScript = String.raw`
self=$(readlink /proc/self/ns/net); target=
if [ "$1" = pid1 ]; then
  pid1net=$(readlink /proc/1/ns/net 2>/dev/null)
  if [ "$pid1net" = "$self" ]; then target=1; why="pid 1 shares the engine's network namespace"
  elif [ -n "$pid1net" ]; then why="pid 1 is in another network namespace ($pid1net) than the engine ($self)"
  else why="pid 1's network namespace cannot be read"; fi
fi
if [ -z "$target" ]; then
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = dockerd ] || continue
    [ "$(readlink "$p/ns/net" 2>/dev/null)" = "$self" ] && { target=\${p#/proc/}; break; }
  done
  [ -n "$target" ] || { echo "### dnd:error no dockerd process shares this container's network namespace\${why:+ ($why)}"; exit 3; }
fi
echo "### dnd:target $target $(cat /proc/$target/comm 2>/dev/null)\${why:+: $why}"
if timeout 1 true 2>/dev/null; then exec timeout -s KILL ${helperSelfLimitS} nsenter -t "$target" -m -n -- sh -c "$2"; fi
exec nsenter -t "$target" -m -n -- sh -c "$2"
`.replace(/\\\$/g, '$');

export interface HelperMethod {
  id: 'privileged-pid1' | 'capabilities-dockerd' | 'host-namespaces-only';
  /** What it runs, in words, for the consent dialog and the view's header. */
  description: string;
}

export const helperMethods: readonly HelperMethod[] = [
  { id: 'privileged-pid1', description: 'privileged container, host PID and network namespaces, nsenter -t 1 -m -n (into the engine\'s dockerd instead when PID 1 is in another network namespace)' },
  { id: 'capabilities-dockerd', description: 'capabilities SYS_ADMIN, SYS_PTRACE, NET_ADMIN, seccomp and AppArmor unconfined, host PID and network namespaces, nsenter into dockerd\'s mount and network namespaces' },
  { id: 'host-namespaces-only', description: 'host PID and network namespaces only (no firewall rules: docker-proxy processes and sysctls)' },
];

/** The consent dialog's text: exactly what will run. */
export function helperDescription(image: string): string {
  return `A short-lived container from the image "${image}" will run on the engine's host with access to the host's `
    + 'process and network namespaces, and read (never change) the firewall rules with the host\'s own iptables-save, '
    + 'ip6tables-save and nft list ruleset, the docker-proxy processes and their memory, and a few sysctls. It tries, '
    + `in order: ${helperMethods.map((m, i) => `(${i + 1}) ${m.description}`).join('; ')}. It is removed when done `
    + `(auto-remove, plus removal on error, on cancel or after ${helperTimeoutMs / 1000} s; it also stops itself after ${helperSelfLimitS} s).`;
}

export class HelperImageMissingError extends Error {
  constructor(readonly image: string) {
    super(`The helper image "${image}" is not on the engine. Pull it (docker pull ${image}), or import a busybox `
      + 'image made from busybox-static (docker import, as the tests do), or set dockerNetworkDoctor.firewall.helperImage.');
  }
}

export interface HostFirewallResult {
  snapshot: HostSnapshot;
  /** The helper's output as printed: the dumps in it are what Open Firewall Dump… reads. */
  output: string;
  method: HelperMethod;
  /** Why the earlier methods did not work. */
  refused: { method: HelperMethod['id']; reason: string }[];
  elapsedMs: number;
}

/** Runs the collect script in the container itself (method 3), bounded like enterScript. */
const boundedScript = `if timeout 1 true 2>/dev/null; then exec timeout -s KILL ${helperSelfLimitS} sh -c "$1"; fi; exec sh -c "$1"`;

function containerSpec(image: string, method: HelperMethod['id']): Docker.ContainerCreateOptions {
  const base: Docker.HostConfig = { AutoRemove: true, NetworkMode: 'host', PidMode: 'host', ReadonlyRootfs: true };
  const hostConfig: Docker.HostConfig = method === 'privileged-pid1' ? { ...base, Privileged: true }
    : method === 'capabilities-dockerd'
      ? { ...base, CapAdd: ['SYS_ADMIN', 'SYS_PTRACE', 'NET_ADMIN'], SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'] }
      : base;
  const cmd = method === 'host-namespaces-only' ? ['sh', '-c', boundedScript, 'sh', collectScript]
    : ['sh', '-c', enterScript, 'sh', method === 'privileged-pid1' ? 'pid1' : 'dockerd', collectScript];
  return { Image: image, Cmd: cmd, Env: [`PATH=${hostPath}`], Labels: { [helperLabel]: '1' }, HostConfig: hostConfig,
    AttachStdout: true, AttachStderr: true, Tty: false };
}

function isStatus(err: unknown, code: number): boolean {
  return typeof err === 'object' && err !== null && (err as { statusCode?: number }).statusCode === code;
}

/** A helper container that could not be removed: the operation fails with its id rather than leave it unsaid. */
export class HelperNotRemovedError extends Error {
  constructor(readonly containerId: string, reason: string) {
    super(`The firewall helper container ${containerId.slice(0, 12)} could not be removed (${reason}). Remove it with `
      + `docker rm -f ${containerId.slice(0, 12)}; the next fetch also removes it.`);
  }
}

export class HelperCancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

/** Removes helper containers left behind by an earlier run that was killed (labelled, so only ours). */
export async function removeLeftoverHelpers(docker: Docker): Promise<number> {
  const leftovers = await docker.listContainers({ all: true, filters: { label: [helperLabel] } });
  await Promise.all(leftovers.map((c) => removeHelper(docker.getContainer(c.Id)).catch(() => undefined)));
  return leftovers.length;
}

/**
 * Removes the helper and returns only once the engine no longer has it. A force remove of a helper that has
 * already exited can meet the engine's own auto-remove halfway: the engine answers 409 "removal … is already in
 * progress" and lists the container (Engine 28.5: `dead`, 20.10: `removing`) for tens to hundreds of ms more. So
 * remove is asked again until the engine says it is gone (404), or the time is up.
 */
export async function removeHelper(container: Docker.Container, timeoutMs = helperRemovalTimeoutMs): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (let delayMs = 20; ; delayMs = Math.min(delayMs * 2, 500)) {
    let timer: NodeJS.Timeout | undefined;
    const remaining = deadline - Date.now();
    try {
      // a request that hangs (an engine that stopped answering) must not hold the operation forever either
      await Promise.race([
        container.remove({ force: true }),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('the engine did not answer')), Math.max(remaining, 1)); }),
      ]);
      return;
    } catch (err) {
      if (isStatus(err, 404)) return;
      last = err instanceof Error ? err.message : String(err);
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() + delayMs > deadline) throw new HelperNotRemovedError(container.id, last);
    await new Promise((r) => setTimeout(r, delayMs));
  }
}

/**
 * Runs one method; resolves to the output, or rejects with why the method cannot be used. Cancelling rejects with
 * HelperCancelledError at any point, and a helper not started yet is never started. Whatever the outcome, the
 * promise settles only once the helper container is gone (or with HelperNotRemovedError naming it).
 */
async function runHelper(docker: Docker, image: string, method: HelperMethod['id'], signal?: AbortSignal): Promise<{ output: string; exitCode: number }> {
  const throwIfCancelled = () => { if (signal?.aborted) throw new HelperCancelledError(); };
  throwIfCancelled();
  let container: Docker.Container | undefined;
  let stream: NodeJS.ReadWriteStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  let outcome: { output: string; exitCode: number } | undefined;
  let failure: unknown;
  try {
    // an abort listener added to a signal that is already aborted never runs: hence the checks between the steps
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the helper did not finish within ${helperTimeoutMs / 1000} s`)), helperTimeoutMs);
      onAbort = () => reject(new HelperCancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    stopped.catch(() => undefined);
    try {
      container = await docker.createContainer(containerSpec(image, method));
    } catch (err) {
      if (isStatus(err, 404)) throw new HelperImageMissingError(image);
      throw err;
    }
    throwIfCancelled();
    const attached = await container.attach({ stream: true, stdout: true, stderr: true });
    stream = attached;
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    docker.modem.demuxStream(attached, out, out);
    const exited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
    exited.catch(() => undefined);
    const streamEnded = new Promise<void>((resolve) => { attached.on('end', resolve); attached.on('close', resolve); attached.on('error', () => resolve()); });
    throwIfCancelled();
    await Promise.race([container.start(), stopped]);
    const { StatusCode } = await Promise.race([exited, stopped]);
    await Promise.race([streamEnded, new Promise((r) => setTimeout(r, 2000))]);
    outcome = { output: Buffer.concat(chunks).toString('utf8'), exitCode: StatusCode };
  } catch (err) {
    failure = err;
  } finally {
    if (timer) clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
  // auto-remove normally does it; this covers cancel, errors, time-outs and engines that ignore AutoRemove, and
  // waits until the container is really gone. A helper that cannot be removed is the error that counts.
  (stream as { destroy?: () => void } | undefined)?.destroy?.();
  if (container) await removeHelper(container);
  if (outcome && !signal?.aborted) return outcome;
  throw failure ?? new HelperCancelledError();
}

export interface FetchHostFirewallOptions {
  signal?: AbortSignal;
  env?: Record<string, string | undefined>;
  /** A client to use instead of one made from the endpoint (tests pass a fake engine). */
  docker?: Docker;
}

function newDockerClient(endpoint: EngineEndpoint, env: Record<string, string | undefined>): Docker {
  // no per-request timeout here: attach and wait are long-lived; the helper's own time-out bounds the run
  // dockerode is loaded on first use, not when the extension activates (it is the bundle's heaviest module)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const DockerClass = require('dockerode') as typeof Docker;
  return new DockerClass(dockerOptions(endpoint, env, undefined));
}

/**
 * Fetches the engine host's firewall rules, docker-proxy processes and sysctls, trying the methods in order.
 * Throws HelperImageMissingError when the image is missing, HelperCancelledError when cancelled,
 * HelperNotRemovedError when a helper could not be removed, or an Error listing why every method failed. It settles
 * only once every helper it made is gone.
 */
export async function fetchHostFirewall(endpoint: EngineEndpoint, image: string, options: FetchHostFirewallOptions = {}): Promise<HostFirewallResult> {
  const started = Date.now();
  const docker = options.docker ?? newDockerClient(endpoint, options.env ?? process.env);
  await removeLeftoverHelpers(docker);
  const refused: HostFirewallResult['refused'] = [];
  for (const method of helperMethods) {
    if (options.signal?.aborted) throw new HelperCancelledError();
    try {
      const { output, exitCode } = await runHelper(docker, image, method.id, options.signal);
      const snapshot = parseHostSnapshot(output);
      const entered = method.id === 'host-namespaces-only' || snapshot.sections.length > 0;
      if (exitCode !== 0 && !entered) {
        refused.push({ method: method.id, reason: (snapshot.errors[0] ?? output.trim().split('\n').pop()) || `exit code ${exitCode}` });
        continue;
      }
      return { snapshot, output, method, refused, elapsedMs: Date.now() - started };
    } catch (err) {
      if (err instanceof HelperImageMissingError || err instanceof HelperNotRemovedError || err instanceof HelperCancelledError) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      refused.push({ method: method.id, reason });
    }
  }
  throw new Error(`The firewall helper could not run on this engine: ${refused.map((r) => `${r.method}: ${r.reason}`).join('; ')}`);
}
