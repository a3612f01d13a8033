// Which engine to talk to, decided the way the docker CLI decides it, as plain data (no I/O here: the caller passes
// the setting, the environment and the platform). The adapter turns the result into a dockerode client.

export type EngineEndpoint =
  | { kind: 'unix'; socketPath: string; host: string }
  | { kind: 'npipe'; socketPath: string; host: string }
  | { kind: 'tcp'; hostname: string; port: number; tls: boolean; host: string }
  | { kind: 'ssh'; hostname: string; port: number; username?: string; host: string };

export interface EndpointInputs {
  /** `dockerNetworkDoctor.engine.host`; empty means "not set". */
  setting?: string;
  env: Record<string, string | undefined>;
  platform: string;
}

export class EndpointError extends Error {}

/** The platform's default engine address when nothing else is configured. */
export function defaultEngineHost(platform: string): string {
  return platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock';
}

/** Parses a docker host URL (`unix://`, `tcp://`, `ssh://`, `npipe://`) into an endpoint; throws EndpointError. */
export function parseEngineHost(host: string, env: Record<string, string | undefined> = {}): EngineEndpoint {
  const trimmed = host.trim();
  const scheme = /^([a-z]+):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'unix') {
    const socketPath = trimmed.slice('unix://'.length);
    if (!socketPath) throw new EndpointError(`"${host}" names no socket path`);
    return { kind: 'unix', socketPath, host: trimmed };
  }
  if (scheme === 'npipe') {
    const pipe = trimmed.slice('npipe://'.length).replace(/\//g, '\\');
    return { kind: 'npipe', socketPath: pipe || '\\\\.\\pipe\\docker_engine', host: trimmed };
  }
  if (scheme === 'tcp' || scheme === 'http' || scheme === 'https' || scheme === 'ssh') {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new EndpointError(`"${host}" is not a valid engine address`);
    }
    if (!url.hostname) throw new EndpointError(`"${host}" names no host`);
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (scheme === 'ssh') {
      const ssh: EngineEndpoint = { kind: 'ssh', hostname, port: url.port ? Number(url.port) : 22, host: trimmed };
      if (url.username) ssh.username = decodeURIComponent(url.username);
      return ssh;
    }
    const tls = scheme === 'https' || Boolean(env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0');
    return { kind: 'tcp', hostname, port: url.port ? Number(url.port) : tls ? 2376 : 2375, tls, host: trimmed };
  }
  throw new EndpointError(`"${host}" has an unsupported scheme; use unix://, tcp://, ssh:// or npipe://`);
}

/** Setting, then DOCKER_HOST, then the platform default. (Docker contexts: see the sidebar issue.) */
export function resolveEngineEndpoint(inputs: EndpointInputs): EngineEndpoint {
  const host = inputs.setting?.trim() || inputs.env.DOCKER_HOST?.trim() || defaultEngineHost(inputs.platform);
  return parseEngineHost(host, inputs.env);
}
