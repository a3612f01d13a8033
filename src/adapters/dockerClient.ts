// The only code that talks to the Docker engine: a dockerode client for one endpoint, returning raw API JSON for
// src/core/engine to normalize. Every call has a timeout, so a hung engine can never hang the UI.
import Docker from 'dockerode';
import * as fs from 'fs';
import * as path from 'path';
import type { EngineEndpoint } from '../core/engine/endpoint';

/** Per-request timeout for list and inspect calls. */
const requestTimeoutMs = 10_000;

export interface EngineVersion {
  version: string;
  apiVersion: string;
  os: string;
}

function tlsFiles(env: Record<string, string | undefined>): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const dir = env.DOCKER_CERT_PATH;
  if (!dir) return {};
  const read = (name: string) => fs.readFileSync(path.join(dir, name));
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}

export function dockerOptions(endpoint: EngineEndpoint, env: Record<string, string | undefined>): Docker.DockerOptions {
  switch (endpoint.kind) {
    case 'unix':
    case 'npipe':
      return { socketPath: endpoint.socketPath, timeout: requestTimeoutMs };
    case 'tcp':
      return { host: endpoint.hostname, port: endpoint.port, protocol: endpoint.tls ? 'https' : 'http', timeout: requestTimeoutMs,
        ...(endpoint.tls ? tlsFiles(env) : {}) };
    case 'ssh':
      return { host: endpoint.hostname, port: endpoint.port, protocol: 'ssh', username: endpoint.username, timeout: requestTimeoutMs,
        sshOptions: { agent: env.SSH_AUTH_SOCK } } as Docker.DockerOptions;
  }
}

export class DockerClient {
  readonly docker: Docker;

  constructor(readonly endpoint: EngineEndpoint, env: Record<string, string | undefined> = process.env) {
    this.docker = new Docker(dockerOptions(endpoint, env));
  }

  /** `GET /networks`, raw. */
  listNetworks(): Promise<unknown> {
    return this.docker.listNetworks();
  }

  /** `GET /containers/json?all=1`, raw. */
  listContainers(): Promise<unknown> {
    return this.docker.listContainers({ all: true });
  }

  async version(): Promise<EngineVersion> {
    const v = await this.docker.version();
    return { version: String(v.Version ?? ''), apiVersion: String(v.ApiVersion ?? ''), os: String(v.Os ?? '') };
  }
}
