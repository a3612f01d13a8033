// Reads the engine host's firewall through the Docker API: a short-lived helper container in the host's PID and
// network namespaces enters the engine's mount and network namespaces (nsenter) and runs the host's own
// iptables-save / ip6tables-save / nft, so the backend (legacy or nft) always matches. It also lists docker-proxy
// processes with their memory and a few sysctls. Privileged: run only after the user's consent (src/extension).
//
// Ways in, tried in order (each was seen to work somewhere; the result says which one did):
//   1. privileged, `nsenter -t 1 -m -n`: real hosts and Docker Desktop's VM.
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

/** Runs inside the engine host's namespaces (or the container, for method 3) and prints the sections. */
const collectScript = String.raw`
PATH=${hostPath}
section() { name=$1; shift; echo "### dnd:begin $name"; "$@" 2>&1; rc=$?; echo "### dnd:end rc=$rc"; }
section iptables-save iptables-save -c
section ip6tables-save ip6tables-save -c
section nft nft list ruleset
echo "### dnd:begin docker-proxy"
for p in /proc/[0-9]*; do
  [ "$(cat "$p/comm" 2>/dev/null)" = docker-proxy ] || continue
  pss=$(sed -n 's/^Pss: *\([0-9]*\) kB/\1/p' "$p/smaps_rollup" 2>/dev/null | head -n 1)
  echo "\${p#/proc/} \${pss:-?} $(tr '\0' ' ' < "$p/cmdline" 2>/dev/null)"
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
 * collect script. The dockerd is the one whose network namespace the container shares (it runs with --net host),
 * so a machine with several engines still reads the right one.
 */
const enterScript = String.raw`
if [ "$1" = pid1 ]; then target=1; else
  self=$(readlink /proc/self/ns/net); target=
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = dockerd ] || continue
    [ "$(readlink "$p/ns/net" 2>/dev/null)" = "$self" ] && { target=\${p#/proc/}; break; }
  done
  [ -n "$target" ] || { echo "### dnd:error no dockerd process shares this container's network namespace"; exit 3; }
fi
exec nsenter -t "$target" -m -n -- sh -c "$2"
`.replace(/\\\$/g, '$');

export interface HelperMethod {
  id: 'privileged-pid1' | 'capabilities-dockerd' | 'host-namespaces-only';
  /** What it runs, in words, for the consent dialog and the view's header. */
  description: string;
}

export const helperMethods: readonly HelperMethod[] = [
  { id: 'privileged-pid1', description: 'privileged container, host PID and network namespaces, nsenter -t 1 -m -n' },
  { id: 'capabilities-dockerd', description: 'capabilities SYS_ADMIN, SYS_PTRACE, NET_ADMIN, seccomp and AppArmor unconfined, host PID and network namespaces, nsenter into dockerd\'s mount and network namespaces' },
  { id: 'host-namespaces-only', description: 'host PID and network namespaces only (no firewall rules: docker-proxy processes and sysctls)' },
];

/** The consent dialog's text: exactly what will run. */
export function helperDescription(image: string): string {
  return `A short-lived container from the image "${image}" will run on the engine's host with access to the host's `
    + 'process and network namespaces, and read (never change) the firewall rules with the host\'s own iptables-save, '
    + 'ip6tables-save and nft list ruleset, the docker-proxy processes and their memory, and a few sysctls. It tries, '
    + `in order: ${helperMethods.map((m, i) => `(${i + 1}) ${m.description}`).join('; ')}. It is removed when done `
    + `(auto-remove, plus removal on error or after ${helperTimeoutMs / 1000} s).`;
}

export class HelperImageMissingError extends Error {
  constructor(readonly image: string) {
    super(`The helper image "${image}" is not on the engine. Pull it (docker pull ${image}), or import a busybox `
      + 'image made from busybox-static (docker import, as the tests do), or set dockerNetworkDoctor.firewall.helperImage.');
  }
}

export interface HostFirewallResult {
  snapshot: HostSnapshot;
  /** The helper's output as printed (what "Save dump" writes). */
  output: string;
  method: HelperMethod;
  /** Why the earlier methods did not work. */
  refused: { method: HelperMethod['id']; reason: string }[];
  elapsedMs: number;
}

function containerSpec(image: string, method: HelperMethod['id']): Docker.ContainerCreateOptions {
  const base: Docker.HostConfig = { AutoRemove: true, NetworkMode: 'host', PidMode: 'host', ReadonlyRootfs: true };
  const hostConfig: Docker.HostConfig = method === 'privileged-pid1' ? { ...base, Privileged: true }
    : method === 'capabilities-dockerd'
      ? { ...base, CapAdd: ['SYS_ADMIN', 'SYS_PTRACE', 'NET_ADMIN'], SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'] }
      : base;
  const cmd = method === 'host-namespaces-only' ? ['sh', '-c', collectScript]
    : ['sh', '-c', enterScript, 'sh', method === 'privileged-pid1' ? 'pid1' : 'dockerd', collectScript];
  return { Image: image, Cmd: cmd, Env: [`PATH=${hostPath}`], Labels: { [helperLabel]: '1' }, HostConfig: hostConfig,
    AttachStdout: true, AttachStderr: true, Tty: false };
}

function isStatus(err: unknown, code: number): boolean {
  return typeof err === 'object' && err !== null && (err as { statusCode?: number }).statusCode === code;
}

/** Removes helper containers left behind by an earlier run that was killed (labelled, so only ours). */
export async function removeLeftoverHelpers(docker: Docker): Promise<number> {
  const leftovers = await docker.listContainers({ all: true, filters: { label: [helperLabel] } });
  await Promise.all(leftovers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  return leftovers.length;
}

/** Runs one method; resolves to the output, or rejects with why the method cannot be used. */
async function runHelper(docker: Docker, image: string, method: HelperMethod['id'], signal?: AbortSignal): Promise<{ output: string; exitCode: number }> {
  let container: Docker.Container | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    try {
      container = await docker.createContainer(containerSpec(image, method));
    } catch (err) {
      if (isStatus(err, 404)) throw new HelperImageMissingError(image);
      throw err;
    }
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    docker.modem.demuxStream(stream, out, out);
    const exited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
    const streamEnded = new Promise<void>((resolve) => { stream.on('end', resolve); stream.on('close', resolve); stream.on('error', () => resolve()); });
    await container.start();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the helper did not finish within ${helperTimeoutMs / 1000} s`)), helperTimeoutMs);
      signal?.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
    });
    const { StatusCode } = await Promise.race([exited, timeout]);
    await Promise.race([streamEnded, new Promise((r) => setTimeout(r, 2000))]);
    return { output: Buffer.concat(chunks).toString('utf8'), exitCode: StatusCode };
  } finally {
    if (timer) clearTimeout(timer);
    // auto-remove normally did it already; this covers errors, time-outs and engines that ignore AutoRemove
    if (container) await container.remove({ force: true }).catch(() => undefined);
  }
}

/**
 * Fetches the engine host's firewall rules, docker-proxy processes and sysctls, trying the methods in order.
 * Throws HelperImageMissingError when the image is missing, or an Error listing why every method failed.
 */
export async function fetchHostFirewall(endpoint: EngineEndpoint, image: string, options: { signal?: AbortSignal; env?: Record<string, string | undefined> } = {}): Promise<HostFirewallResult> {
  const started = Date.now();
  // no per-request timeout here: attach and wait are long-lived; the helper's own time-out bounds the run
  // dockerode is loaded on first use, not when the extension activates (it is the bundle's heaviest module)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const DockerClass = require('dockerode') as typeof Docker;
  const docker = new DockerClass(dockerOptions(endpoint, options.env ?? process.env, undefined));
  await removeLeftoverHelpers(docker);
  const refused: HostFirewallResult['refused'] = [];
  for (const method of helperMethods) {
    if (options.signal?.aborted) throw new Error('cancelled');
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
      if (err instanceof HelperImageMissingError) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      if (reason === 'cancelled') throw err;
      refused.push({ method: method.id, reason });
    }
  }
  throw new Error(`The firewall helper could not run on this engine: ${refused.map((r) => `${r.method}: ${r.reason}`).join('; ')}`);
}
