// What the firewall helper container runs: the scripts, the container specs of each method, and a digest of all of
// it for the consent (src/extension/firewall/consent.ts): a change to any of it asks the user again.
//
// Ways in, tried in order (each was seen to work somewhere; the result says which one did):
//   1. privileged, `nsenter -t 1 -m -n`: real hosts and Docker Desktop's VM. Only when PID 1 shares the engine's
//      network namespace; else (an engine in a namespace of its own) into that engine's dockerd, as method 2.
//   2. SYS_ADMIN + SYS_PTRACE + NET_ADMIN, seccomp and AppArmor unconfined, `nsenter -t <dockerd> -m -n`: hosts that
//      refuse privileged containers or entering PID 1 (e.g. where runc cannot apply all capabilities).
//   3. host network and PID namespaces without nsenter: docker-proxy processes and sysctls only (no host binaries).
// The container's command is constant scripts with constant arguments: no name or user data is ever put into it.
//
// Framing: every marker carries a random per-run nonce (`### dnd-<nonce>:begin …`). It travels in the environment
// (DND_NONCE), not the command line: any user may read /proc/<pid>/cmdline of the helper, only root its environ, so a
// process whose command line holds a newline and a marker cannot forge one. The docker-proxy command lines are also
// printed on one line each (newlines turned into spaces).
import { createHash } from 'crypto';
import type Docker from 'dockerode';

export const helperLabel = 'dev.docker-network-doctor.helper';
/** The window (extension host) or CLI process that made the helper: only its own are swept (removeLeftoverHelpers). */
export const helperSessionLabel = 'dev.docker-network-doctor.helper.session';
/** When the helper was made (ms since the epoch, the maker's clock). */
export const helperCreatedLabel = 'dev.docker-network-doctor.helper.created';

const hostPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const helperTimeoutMs = 30_000;
/** The helper kills its own command after this long, even when nothing is left to remove it (the extension died). */
export const helperSelfLimitS = helperTimeoutMs / 1000 + 30;

/**
 * Runs inside the engine host's namespaces (or the container, for method 3) and prints the sections. docker-proxy
 * processes are counted only in the engine's network namespace (where they listen): with host PID namespaces the
 * helper sees every process of the machine, including other engines' proxies (each engine in a network namespace of
 * its own, as in the test rig). A process whose namespace cannot be read is counted; one that ended meanwhile is not.
 */
const collectScript = String.raw`
PATH=${hostPath}
m="### dnd-$DND_NONCE"
section() { name=$1; shift; echo "$m:begin $name"; "$@" 2>&1; rc=$?; echo "$m:end rc=$rc"; }
section iptables-save iptables-save -c
section ip6tables-save ip6tables-save -c
section nft nft list ruleset
echo "$m:begin docker-proxy"
net=$(readlink /proc/self/ns/net 2>/dev/null)
for p in /proc/[0-9]*; do
  [ "$(cat "$p/comm" 2>/dev/null)" = docker-proxy ] || continue
  pnet=$(readlink "$p/ns/net" 2>/dev/null)
  [ -z "$pnet" ] || [ -z "$net" ] || [ "$pnet" = "$net" ] || continue
  cmd=$(tr '\0\n\r' '   ' 2>/dev/null < "$p/cmdline"); [ -n "$cmd" ] || continue
  pss=$(sed -n 's/^Pss: *\([0-9]*\) kB/\1/p' "$p/smaps_rollup" 2>/dev/null | head -n 1)
  echo "\${p#/proc/} \${pss:-?} $cmd"
done
echo "$m:end rc=0"
echo "$m:begin sysctl"
for k in net/ipv4/ip_forward net/ipv4/ip_local_port_range net/ipv4/tcp_tw_reuse net/bridge/bridge-nf-call-iptables net/bridge/bridge-nf-call-ip6tables; do
  [ -r "/proc/sys/$k" ] && echo "$k=$(cat "/proc/sys/$k")"
done
for b in /sys/class/net/*/bridge; do
  n=\${b%/bridge}; n=\${n##*/}
  [ -r "/proc/sys/net/ipv4/conf/$n/route_localnet" ] && echo "net/ipv4/conf/$n/route_localnet=$(cat "/proc/sys/net/ipv4/conf/$n/route_localnet")"
done
echo "$m:end rc=0"
`.replace(/\\\$/g, '$');

/**
 * Runs in the helper container (busybox) and enters the target's namespaces. $1: `pid1` or `dockerd`; $2: the
 * collect script. The container runs with --net host, so it shares the network namespace of the engine that made it.
 * PID 1 is entered only when it shares that namespace too: an engine in a network namespace of its own (a test rig,
 * some sandboxes and appliances) would otherwise show the machine's rules, not the engine's. Otherwise, and for
 * `dockerd`, the target is the dockerd whose network namespace the container shares, so a machine with several
 * engines still reads the right one. A process name is no proof (any user can name a process `dockerd`, and the
 * helper would then run a shell as root in that user's mount namespace): the target's executable must be a file named
 * dockerd owned by root and writable by no one else, and the process must run as root (every uid in its status).
 * Each process refused says why (`### dnd-N:error`); `### dnd-N:target` says which process was entered and why.
 * The helper also bounds itself (busybox `timeout`, where the image has a usable one), so it ends even if the
 * extension that started it is gone.
 */
const enterScript = String.raw`
m="### dnd-$DND_NONCE"
self=$(readlink /proc/self/ns/net); target=
is_engine_dockerd() {
  exe=$(readlink "/proc/$1/exe" 2>/dev/null) || { why_not="its executable cannot be read"; return 1; }
  case "\${exe##*/}" in dockerd|"dockerd (deleted)") ;; *) why_not="its executable is $exe, not dockerd"; return 1;; esac
  set -- "$1" $(stat -L -c '%u %a' "/proc/$1/exe" 2>/dev/null)
  [ "$2" = 0 ] || { why_not="its executable $exe is owned by uid \${2:-?}, not root"; return 1; }
  [ $(( 0$3 & 022 )) -eq 0 ] || { why_not="its executable $exe is writable by group or others (mode $3)"; return 1; }
  uids=$(sed -n 's/^Uid:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
  [ -n "$uids" ] || { why_not="its owner cannot be read"; return 1; }
  for u in $uids; do [ "$u" = 0 ] || { why_not="it runs as uid $u, not root"; return 1; }; done
  return 0
}
if [ "$1" = pid1 ]; then
  pid1net=$(readlink /proc/1/ns/net 2>/dev/null)
  if [ "$pid1net" = "$self" ]; then target=1; why="pid 1 shares the engine's network namespace"
  elif [ -n "$pid1net" ]; then why="pid 1 is in another network namespace ($pid1net) than the engine ($self)"
  else why="pid 1's network namespace cannot be read"; fi
fi
if [ -z "$target" ]; then
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = dockerd ] || continue
    [ "$(readlink "$p/ns/net" 2>/dev/null)" = "$self" ] || continue
    if is_engine_dockerd "\${p#/proc/}"; then target=\${p#/proc/}; break; fi
    echo "$m:error refused to enter the process named dockerd with pid \${p#/proc/}: $why_not"
  done
  [ -n "$target" ] || { echo "$m:error no dockerd process of root's shares this container's network namespace\${why:+ ($why)}"; exit 3; }
fi
echo "$m:target $target $(cat /proc/$target/comm 2>/dev/null)\${why:+: $why}"
if timeout 1 true 2>/dev/null; then exec timeout -s KILL ${helperSelfLimitS} nsenter -t "$target" -m -n -- sh -c "$2"; fi
exec nsenter -t "$target" -m -n -- sh -c "$2"
`.replace(/\\\$/g, '$');

/** Runs the collect script in the container itself (method 3), bounded like enterScript. */
const boundedScript = `if timeout 1 true 2>/dev/null; then exec timeout -s KILL ${helperSelfLimitS} sh -c "$1"; fi; exec sh -c "$1"`;

export interface HelperMethod {
  id: 'privileged-pid1' | 'capabilities-dockerd' | 'host-namespaces-only';
  /** What it runs, in words, for the consent dialog and the view's header. */
  description: string;
}

export const helperMethods: readonly HelperMethod[] = [
  { id: 'privileged-pid1',
    description: 'privileged container, host PID and network namespaces, nsenter -t 1 -m -n (into the engine\'s dockerd instead when PID 1 is in another ' +
    'network namespace)' },
  { id: 'capabilities-dockerd',
    description: 'capabilities SYS_ADMIN, SYS_PTRACE, NET_ADMIN, seccomp and AppArmor unconfined, host PID and network namespaces, nsenter into the mount ' +
    'and network namespaces of the engine\'s dockerd (a root-owned dockerd executable run by root)' },
  { id: 'host-namespaces-only', description: 'host PID and network namespaces only (no firewall rules: docker-proxy processes and sysctls)' },
];

/** What differs between two runs of the same helper: never part of the consent digest. */
export interface HelperRun {
  /** Random per run; frames the output (see the file's head). */
  nonce: string;
  session: string;
  createdMs: number;
}

export function helperContainerSpec(image: string, method: HelperMethod['id'], run: HelperRun): Docker.ContainerCreateOptions {
  const base: Docker.HostConfig = { AutoRemove: true, NetworkMode: 'host', PidMode: 'host', ReadonlyRootfs: true };
  const hostConfig: Docker.HostConfig = method === 'privileged-pid1' ? { ...base, Privileged: true }
    : method === 'capabilities-dockerd'
      ? { ...base, CapAdd: ['SYS_ADMIN', 'SYS_PTRACE', 'NET_ADMIN'], SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'] }
      : base;
  const cmd = method === 'host-namespaces-only' ? ['sh', '-c', boundedScript, 'sh', collectScript]
    : ['sh', '-c', enterScript, 'sh', method === 'privileged-pid1' ? 'pid1' : 'dockerd', collectScript];
  return {
    Image: image, Cmd: cmd, Env: [`PATH=${hostPath}`, `DND_NONCE=${run.nonce}`],
    Labels: { [helperLabel]: '1', [helperSessionLabel]: run.session, [helperCreatedLabel]: String(run.createdMs) },
    HostConfig: hostConfig, AttachStdout: true, AttachStderr: true, Tty: false,
  };
}

let digest: string | undefined;

/**
 * SHA-256 of every method's container spec (scripts, arguments, capabilities, namespaces), without the image and the
 * per-run values: what the consent covers besides the engine and the image.
 */
export function helperCommandDigest(): string {
  digest ??= createHash('sha256').update(JSON.stringify(helperMethods.map((m) =>
    [m.id, helperContainerSpec('', m.id, { nonce: '', session: '', createdMs: 0 })]))).digest('hex');
  return digest;
}

/** The consent dialog's words for what runs (the engine and the image are named beside it). */
export function helperCommandInWords(): string {
  return 'a short-lived container with access to the host\'s process and network namespaces reads (never changes) the '
    + 'firewall rules with the host\'s own iptables-save, ip6tables-save and nft list ruleset, the docker-proxy processes '
    + `and their memory, and a few sysctls. It tries, in order: ${helperMethods.map((m, i) => `(${i + 1}) ${m.description}`).join('; ')}. `
    + `It is removed when done (auto-remove, plus removal on error, on cancel or after ${helperTimeoutMs / 1000} s; it also `
    + `stops itself after ${helperSelfLimitS} s).`;
}
