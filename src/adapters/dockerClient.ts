// The only code that talks to the Docker engine: a dockerode client for one endpoint, returning raw API JSON for
// src/core/engine to normalize. Every call but the event stream has a timeout, so a hung engine never hangs the UI.
// Requests are pinned to a negotiated API version (see src/core/engine/apiVersion.ts) once connect() has run.
import type Docker from 'dockerode';
import * as fs from 'fs';
import { negotiateApiVersion } from '../core/engine/apiVersion';
import type { EngineEndpoint } from '../core/engine/endpoint';
import type { SshHostKeyRefusal } from '../core/engine/knownHosts';
import { sshConnectOptions } from './sshOptions';

/** Per-request timeout for version, list, inspect, connect and disconnect calls. */
const requestTimeoutMs = 10_000;

export interface EngineVersion {
  version: string;
  apiVersion: string;
  /** The version requests are pinned to: the lower of the engine's and the newest the model knows. */
  clientApiVersion: string;
  os: string;
}

/** A stream of raw `/events` objects; `close()` ends it. */
export interface EngineEventStream {
  close(): void;
}

export interface EventStreamHandlers {
  onEvent(raw: unknown): void;
  /** The stream ended or failed (engine stopped, socket closed); never called after close(). */
  onEnd(err?: unknown): void;
}

function tlsOptions(endpoint: Extract<EngineEndpoint, { kind: 'tcp' }>): Partial<Docker.DockerOptions> {
  if (!endpoint.tls) return {};
  const read = (file: string | undefined) => (file ? fs.readFileSync(file) : undefined);
  const files = endpoint.tlsFiles ?? {};
  const out: Record<string, unknown> = { ca: read(files.ca), cert: read(files.cert), key: read(files.key) };
  if (endpoint.tlsVerify === false) out.checkServerIdentity = () => undefined;
  return out as Partial<Docker.DockerOptions>;
}

/**
 * dockerode's options for an endpoint. For ssh://, `onSshHostKey` learns whether the host key was accepted, and why
 * not (the error ssh2 raises only says "Host denied").
 */
export function dockerOptions(endpoint: EngineEndpoint, env: Record<string, string | undefined>, timeout?: number,
  onSshHostKey: (refusal: SshHostKeyRefusal | undefined) => void = () => undefined): Docker.DockerOptions {
  const t = timeout === undefined ? {} : { timeout };
  switch (endpoint.kind) {
    case 'unix':
    case 'npipe':
      return { socketPath: endpoint.socketPath, ...t };
    case 'tcp':
      return { host: endpoint.hostname, port: endpoint.port, protocol: endpoint.tls ? 'https' : 'http', ...t, ...tlsOptions(endpoint) };
    case 'ssh':
      // no `timeout`: see DockerClient.make
      return { host: endpoint.hostname, port: endpoint.port, protocol: 'ssh', username: endpoint.username,
        sshOptions: sshConnectOptions(endpoint, env, onSshHostKey) } as Docker.DockerOptions;
  }
}

type Dial = (options: unknown, callback: unknown) => unknown;

export class DockerClient {
  private docker: Docker;
  private apiVersion: string | undefined;
  /** Why the last ssh connection's host key was refused; undefined once a key was accepted. */
  private sshRefusal: SshHostKeyRefusal | undefined;
  /** HTTP requests sent to the engine (event stream included), counted where they are dialled. */
  requestCount = 0;

  constructor(readonly endpoint: EngineEndpoint, private readonly env: Record<string, string | undefined> = process.env) {
    this.docker = this.make(requestTimeoutMs);
  }

  private make(timeout: number | undefined): Docker {
    const opts = dockerOptions(this.endpoint, this.env, timeout, (refusal) => { this.sshRefusal = refusal; });
    if (this.apiVersion) opts.version = `v${this.apiVersion}`;
    // dockerode (with ssh2 and docker-modem) is the bundle's heaviest module: loaded on the first client, not at
    // activation
    const DockerClass = require('dockerode') as typeof Docker;
    const docker = new DockerClass(opts);
    const modem = docker.modem as unknown as { dial: Dial };
    const dial = modem.dial.bind(modem);
    // dockerode's own timeout calls setTimeout on the socket, which an ssh channel lacks (it threw in the
    // extension host): over ssh the timeout is kept here instead, for every request but the event stream
    const sshTimeoutMs = this.endpoint.kind === 'ssh' ? timeout : undefined;
    modem.dial = (options, callback) => {
      this.requestCount++;
      if (typeof callback !== 'function') return dial(options, callback);
      let settled = false;
      const timer = sshTimeoutMs && !(options as { isStream?: boolean }).isStream
        ? setTimeout(() => {
          settled = true;
          (callback as (err: unknown) => void)(Object.assign(new Error(`no answer over ssh in ${sshTimeoutMs} ms`), { code: 'ETIMEDOUT' }));
        }, sshTimeoutMs)
        : undefined;
      return dial(options, (err: unknown, ...rest: unknown[]) => {
        if (timer) clearTimeout(timer);
        if (settled) return;
        settled = true;
        // a refused ssh host key fails the request with ssh2's bare "Host denied": say which key and why
        const refusal = this.sshRefusal;
        if (err && typeof err === 'object' && refusal) Object.assign(err, { sshHostKey: refusal });
        (callback as (...args: unknown[]) => void)(err, ...rest);
      });
    };
    return docker;
  }

  /** `GET /version` (unversioned), then pins later requests to the negotiated version. Throws ApiVersionError. */
  async connect(): Promise<EngineVersion> {
    const v = await this.docker.version();
    const apiVersion = String(v.ApiVersion ?? '');
    const clientApiVersion = negotiateApiVersion(apiVersion);
    if (clientApiVersion !== this.apiVersion) {
      this.apiVersion = clientApiVersion;
      this.docker = this.make(requestTimeoutMs);
    }
    return { version: String(v.Version ?? ''), apiVersion, clientApiVersion, os: String(v.Os ?? '') };
  }

  get connected(): boolean {
    return this.apiVersion !== undefined;
  }

  /** `GET /info`, raw. */
  info(): Promise<unknown> {
    return this.docker.info();
  }

  /** `GET /images/{name}/json`, raw (the firewall helper's image, before consent: its ID is what is consented to). */
  inspectImage(name: string): Promise<unknown> {
    return this.docker.getImage(name).inspect();
  }

  /** `GET /networks`, raw; with ids, only those (`filters={"id":[…]}`). */
  listNetworks(ids?: readonly string[]): Promise<unknown> {
    return this.docker.listNetworks(ids ? { filters: { id: [...ids] } } : {});
  }

  /** `GET /containers/json?all=1`, raw; with ids, only those. */
  listContainers(ids?: readonly string[]): Promise<unknown> {
    return this.docker.listContainers(ids ? { all: true, filters: { id: [...ids] } } : { all: true });
  }

  /** `GET /containers/{id}/json`, raw (on demand only: the views never need it). */
  inspectContainer(id: string): Promise<unknown> {
    return this.docker.getContainer(id).inspect();
  }

  /** `GET /networks/{id}`, raw. */
  inspectNetwork(id: string): Promise<unknown> {
    return this.docker.getNetwork(id).inspect();
  }

  connectContainer(networkId: string, containerId: string): Promise<unknown> {
    return this.docker.getNetwork(networkId).connect({ Container: containerId });
  }

  disconnectContainer(networkId: string, containerId: string): Promise<unknown> {
    return this.docker.getNetwork(networkId).disconnect({ Container: containerId });
  }

  /**
   * `GET /events?filters={"type":[…]}` as a stream of parsed objects. No timeout (the stream is idle between events);
   * resolves once the engine has answered, rejects if it cannot be opened.
   */
  async streamEvents(types: readonly string[], handlers: EventStreamHandlers): Promise<EngineEventStream> {
    const abort = new AbortController();
    let closed = false;
    const stream = await this.make(undefined).getEvents({ filters: { type: [...types] }, abortSignal: abort.signal } as Docker.GetEventsOptions);
    let buffered = '';
    let ended = false;
    const end = (err?: unknown) => {
      if (ended || closed) return;
      ended = true;
      handlers.onEnd(err);
    };
    stream.on('data', (chunk: Buffer | string) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (!line) continue;
        try {
          handlers.onEvent(JSON.parse(line));
        } catch {
          // a line that is not JSON is skipped; the next one is read normally
        }
      }
    });
    stream.on('error', (err: unknown) => end(err));
    stream.on('end', () => end());
    stream.on('close', () => end());
    return {
      close: () => {
        closed = true;
        abort.abort();
        (stream as unknown as { destroy?: () => void }).destroy?.();
      },
    };
  }
}
