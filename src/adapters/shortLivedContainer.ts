// A short-lived container run through the API for what the product reads on the engine's host (the firewall helper)
// or in a container's network namespace (the listener probe): created, attached, started, waited for, and removed
// whatever happens, with a time limit and cancellation. Argument arrays only: nothing here builds a shell string.
import type Docker from 'dockerode';
import { PassThrough } from 'stream';
import type { EngineEndpoint } from '../core/engine/endpoint';
import { dockerOptions } from './dockerClient';

/** How long removing a helper may take before the operation fails saying which container is left. */
const helperRemovalTimeoutMs = 15_000;

/** A dockerode client for helpers: no per-request timeout (attach and wait are long-lived; the run's own limit
 *  bounds it); dockerode is loaded on first use, not when the extension activates (it is the heaviest module). */
export function helperDocker(endpoint: EngineEndpoint, env: Record<string, string | undefined>): Docker {
  const DockerClass = require('dockerode') as typeof Docker;
  return new DockerClass(dockerOptions(endpoint, env, undefined));
}

export function isStatus(err: unknown, code: number): boolean {
  return typeof err === 'object' && err !== null && (err as { statusCode?: number }).statusCode === code;
}

/** A helper container that could not be removed: the operation fails with its id rather than leave it unsaid. */
export class HelperNotRemovedError extends Error {
  constructor(readonly containerId: string, reason: string) {
    super(`The helper container ${containerId.slice(0, 12)} could not be removed (${reason}). Remove it with `
      + `docker rm -f ${containerId.slice(0, 12)}; the next fetch also removes it.`);
  }
}

export class HelperCancelledError extends Error {
  constructor() {
    super('cancelled');
  }
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

export interface RunOnceOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Turns a create error into the caller's own (e.g. a missing image into what to do about it). */
  onCreateError?: (err: unknown) => unknown;
}

/**
 * Runs `spec` once; resolves to its output (stdout and stderr) and exit code. Cancelling rejects with
 * HelperCancelledError at any point, and a container not started yet is never started. Whatever the outcome, the
 * promise settles only once the container is gone (or with HelperNotRemovedError naming it).
 */
export async function runContainerOnce(docker: Docker, spec: Docker.ContainerCreateOptions,
  options: RunOnceOptions): Promise<{ output: string; exitCode: number }> {
  const { signal, timeoutMs } = options;
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
      timer = setTimeout(() => reject(new Error(`the helper did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
      onAbort = () => reject(new HelperCancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    stopped.catch(() => undefined);
    try {
      container = await docker.createContainer(spec);
    } catch (err) {
      throw options.onCreateError ? options.onCreateError(err) : err;
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
