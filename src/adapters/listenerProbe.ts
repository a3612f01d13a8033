// What listens inside a container, read through the API: a short-lived, unprivileged container that joins the
// target's network namespace (`--network container:<id>`) and prints its socket tables with `cat` (no shell, no
// capabilities, read-only root, no new privileges). It sees only that namespace's sockets; it is always removed.
import type Docker from 'dockerode';
import { parseProcNetListeners, type Listener } from '../core/engine/procNet';
import { helperCreatedLabel, helperLabel, helperSessionLabel } from './helperScripts';
import { isStatus, runContainerOnce } from './shortLivedContainer';

const probeTimeoutMs = 20_000;

export class ProbeImageMissingError extends Error {
  constructor(readonly image: string) {
    super(`The probe image "${image}" is not on the engine: pull it (docker pull ${image}) or name another image that has cat.`);
  }
}

/** The container spec of the probe (exported for the tests: nothing in it comes from user text but the id). */
export function listenerProbeSpec(image: string, containerId: string, session: string): Docker.ContainerCreateOptions {
  if (!/^[0-9a-f]{12,64}$/.test(containerId)) throw new Error(`not a container id: ${JSON.stringify(containerId.slice(0, 80))}`);
  return {
    Image: image,
    Cmd: ['cat', '/proc/net/tcp', '/proc/net/tcp6', '/proc/net/udp', '/proc/net/udp6'],
    Labels: { [helperLabel]: '1', [helperSessionLabel]: session, [helperCreatedLabel]: String(Date.now()) },
    HostConfig: {
      AutoRemove: true, NetworkMode: `container:${containerId}`, ReadonlyRootfs: true, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'],
    },
    AttachStdout: true, AttachStderr: true, Tty: false,
  };
}

/** The sockets listening in the container's network namespace (it must be running). */
export async function readListeners(docker: Docker, containerId: string, image: string, session: string, signal?: AbortSignal): Promise<Listener[]> {
  const { output } = await runContainerOnce(docker, listenerProbeSpec(image, containerId, session), {
    timeoutMs: probeTimeoutMs, ...(signal ? { signal } : {}),
    onCreateError: (err) => (isStatus(err, 404) && /image/i.test(String((err as Error).message)) ? new ProbeImageMissingError(image) : err),
  });
  // a kernel without IPv6 has no tcp6/udp6: cat says so and exits 1 after printing the others
  return parseProcNetListeners(output);
}
