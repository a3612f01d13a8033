// Reads the engine host's firewall through the Docker API: a short-lived helper container in the host's PID and
// network namespaces enters the engine's mount and network namespaces (nsenter) and runs the host's own
// iptables-save / ip6tables-save / nft, so the backend (legacy or nft) always matches. It also lists docker-proxy
// processes with their memory and a few sysctls. Privileged: run only after the user's consent (src/extension), from
// the image ID that was consented (a tag can be moved meanwhile). What runs is in ./helperScripts.ts.
import type Docker from 'dockerode';
import { randomBytes, randomUUID } from 'crypto';
import type { EngineEndpoint } from '../core/engine/endpoint';
import { engineIdFromInfo, imageIdFromInspect, type HelperSubject } from '../core/firewall/helperGrant';
import { parseHostSnapshot, type HostSnapshot } from '../core/firewall/hostSnapshot';
import {
  helperCommandDigest, helperContainerSpec, helperCreatedLabel, helperLabel, helperMethods, helperSelfLimitS, helperSessionLabel, helperTimeoutMs,
  type HelperMethod,
} from './helperScripts';

import { HelperCancelledError, HelperNotRemovedError, helperDocker, isStatus, removeHelper, runContainerOnce } from './shortLivedContainer';

export { helperCommandInWords, helperLabel, helperMethods, type HelperMethod } from './helperScripts';
export { HelperCancelledError, HelperNotRemovedError, removeHelper } from './shortLivedContainer';

/**
 * What a helper run would be on this engine, for the consent: the engine's `/info` ID, the image ID the tag names
 * now, and the digest of the command. Throws HelperImageMissingError when the tag names no image there.
 */
export async function resolveHelperSubject(client: { endpoint: EngineEndpoint; info(): Promise<unknown>; inspectImage(name: string): Promise<unknown> },
  imageTag: string): Promise<HelperSubject> {
  const engineId = engineIdFromInfo(await client.info());
  let inspect: unknown;
  try {
    inspect = await client.inspectImage(imageTag);
  } catch (err) {
    if (isStatus(err, 404)) throw new HelperImageMissingError(imageTag);
    throw err;
  }
  return { engineHost: client.endpoint.host, engineId, imageTag, imageId: imageIdFromInspect(inspect), commandDigest: helperCommandDigest() };
}

/** This extension host's (one per window) or CLI process's helpers: the only ones a fetch removes while young. */
export const thisSession: string = randomUUID();

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

/** A helper as the engine lists it: its labels and its creation time (seconds, the engine's clock). */
export interface ListedHelper {
  Labels?: Record<string, string>;
  Created?: number;
}

/**
 * Whether a fetch may remove this helper: one of this session's (a run of ours that went wrong), or one older than
 * any live helper can be (it stops itself after helperSelfLimitS; a minute more for the engine to remove it). A young
 * helper of another window, user or CLI run is theirs to finish and remove.
 */
export function isSweepableHelper(helper: ListedHelper, session: string, nowMs: number): boolean {
  const labels = helper.Labels ?? {};
  if (labels[helperSessionLabel] === session) return true;
  const labelled = Number(labels[helperCreatedLabel]);
  const createdMs = Number.isFinite(labelled) && labelled > 0 ? labelled : (helper.Created ?? 0) * 1000;
  return nowMs - createdMs > (helperSelfLimitS + 60) * 1000;
}

/** Removes helper containers left behind by this session, or too old to be anyone's live run; returns how many. */
export async function removeLeftoverHelpers(docker: Docker, session = thisSession, nowMs = Date.now()): Promise<number> {
  const listed = await docker.listContainers({ all: true, filters: { label: [helperLabel] } });
  const leftovers = listed.filter((c) => isSweepableHelper(c, session, nowMs));
  await Promise.all(leftovers.map((c) => removeHelper(docker.getContainer(c.Id)).catch(() => undefined)));
  return leftovers.length;
}

/**
 * Runs one method; resolves to the output, or rejects with why the method cannot be used (see runContainerOnce: it
 * settles only once the helper container is gone).
 */
async function runHelper(docker: Docker, image: string, method: HelperMethod['id'], session: string,
  signal?: AbortSignal): Promise<{ output: string; exitCode: number; nonce: string }> {
  const nonce = randomBytes(16).toString('hex');
  const run = await runContainerOnce(docker, helperContainerSpec(image, method, { nonce, session, createdMs: Date.now() }), {
    timeoutMs: helperTimeoutMs, ...(signal ? { signal } : {}),
    onCreateError: (err) => (isStatus(err, 404) ? new HelperImageMissingError(image) : err),
  });
  return { ...run, nonce };
}

export interface FetchHostFirewallOptions {
  signal?: AbortSignal;
  env?: Record<string, string | undefined>;
  /** A client to use instead of one made from the endpoint (tests pass a fake engine). */
  docker?: Docker;
  /** Whose helpers these are (default: this process, i.e. this window); see removeLeftoverHelpers. */
  session?: string;
}


/**
 * Fetches the engine host's firewall rules, docker-proxy processes and sysctls, trying the methods in order.
 * Throws HelperImageMissingError when the image is missing, HelperCancelledError when cancelled,
 * HelperNotRemovedError when a helper could not be removed, or an Error listing why every method failed. It settles
 * only once every helper it made is gone.
 */
export async function fetchHostFirewall(endpoint: EngineEndpoint, image: string, options: FetchHostFirewallOptions = {}): Promise<HostFirewallResult> {
  const started = Date.now();
  const docker = options.docker ?? helperDocker(endpoint, options.env ?? process.env);
  const session = options.session ?? thisSession;
  await removeLeftoverHelpers(docker, session);
  const refused: HostFirewallResult['refused'] = [];
  for (const method of helperMethods) {
    if (options.signal?.aborted) throw new HelperCancelledError();
    try {
      const { output, exitCode, nonce } = await runHelper(docker, image, method.id, session, options.signal);
      const snapshot = parseHostSnapshot(output, nonce);
      const entered = method.id === 'host-namespaces-only' || snapshot.sections.length > 0;
      if (exitCode !== 0 && !entered) {
        refused.push({ method: method.id, reason: (snapshot.errors.length ? snapshot.errors.join('; ') : output.trim().split('\n').pop())
          || `exit code ${exitCode}` });
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
