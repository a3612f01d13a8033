// The checklist's live connection test through the API: a short-lived container in the source's network namespace
// (the host's, or a container's) runs the constant script of core/reach/liveProbe.ts (busybox telnet) with the address and port as
// arguments. No capabilities, read-only root, no new privileges, always removed. Run only after the user agreed to
// exactly this (the CLI's --live, the editor's dialog naming the image, the namespace and the command).
import type Docker from 'dockerode';
import { LIVE_HOLD_S, liveProbeScript, parseLiveProbe, type LiveResult } from '../core/reach/liveProbe';
import { helperCreatedLabel, helperLabel, helperSessionLabel } from './helperScripts';
import { runContainerOnce } from './shortLivedContainer';

export type ProbeNamespace = { kind: 'host' } | { kind: 'container'; id: string };

export function connectProbeSpec(image: string, from: ProbeNamespace, address: string, port: number, session: string): Docker.ContainerCreateOptions {
  if (from.kind === 'container' && !/^[0-9a-f]{12,64}$/.test(from.id)) throw new Error('not a container id');
  if (!/^[0-9a-fA-F:.]+$/.test(address) || !(port >= 1 && port <= 65535)) throw new Error('not an address and port');
  return {
    Image: image, Cmd: ['sh', '-c', liveProbeScript, 'sh', address, String(port)],
    Labels: { [helperLabel]: '1', [helperSessionLabel]: session, [helperCreatedLabel]: String(Date.now()) },
    HostConfig: {
      AutoRemove: true, NetworkMode: from.kind === 'host' ? 'host' : `container:${from.id}`, ReadonlyRootfs: true,
      CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'],
    },
    AttachStdout: true, AttachStderr: true, Tty: false,
  };
}

/** The command as the consent names it. */
export function connectProbeCommand(address: string, port: number): string {
  return `telnet ${address} ${port} (for at most 5 s, holding the connection ${LIVE_HOLD_S} s)`;
}

export async function runConnectProbe(docker: Docker, image: string, from: ProbeNamespace, address: string, port: number,
  session: string): Promise<LiveResult> {
  const { output } = await runContainerOnce(docker, connectProbeSpec(image, from, address, port, session), { timeoutMs: 20_000 });
  return parseLiveProbe(output);
}
