// Which engine to talk to, decided the way the docker CLI decides it, as plain data. No I/O here: the caller passes
// the settings, the environment, the platform and a reader for the docker config folder (config.json and the
// contexts' meta files); the adapter turns the result into a client.
//   setting host → setting context → DOCKER_HOST (+ DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) → DOCKER_CONTEXT →
//   config.json's currentContext → the platform default (/var/run/docker.sock, Docker Desktop's
//   ~/.docker/run/docker.sock when only that exists, Windows' named pipe)
import { createHash } from 'node:crypto';
import * as path from 'node:path';

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
}

export type EngineEndpoint =
  | { kind: 'unix'; socketPath: string; host: string }
  | { kind: 'npipe'; socketPath: string; host: string }
  | { kind: 'tcp'; hostname: string; port: number; tls: boolean; host: string; tlsFiles?: TlsFiles; tlsVerify?: boolean }
  | { kind: 'ssh'; hostname: string; port: number; username?: string; host: string };

/** Reads the docker config folder and checks sockets; absent files read as undefined, never throw. */
export interface DockerConfigReader {
  readFile(absolutePath: string): string | undefined;
  exists(absolutePath: string): boolean;
  listDir(absolutePath: string): string[];
}

export interface EndpointInputs {
  /** `dockerNetworkDoctor.engine.host`; empty means "not set". */
  setting?: string;
  /** `dockerNetworkDoctor.engine.context`; empty means "follow DOCKER_CONTEXT / the docker CLI's current context". */
  contextSetting?: string;
  env: Record<string, string | undefined>;
  platform: string;
  homeDir?: string;
  reader?: DockerConfigReader;
}

export type EndpointSource = 'setting' | 'DOCKER_HOST' | 'context' | 'default';

export interface ResolvedEngine {
  endpoint: EngineEndpoint;
  source: EndpointSource;
  /** The docker context it came from (source `context`, or `default` for the built-in context). */
  contextName?: string;
  /** Short words for the view's description: the context name, else the address. */
  displayName: string;
}

export interface DockerContextInfo {
  name: string;
  host: string;
  description?: string;
}

export class EndpointError extends Error {}

const noFiles: DockerConfigReader = { readFile: () => undefined, exists: () => false, listDir: () => [] };

/** The platform's default engine address when nothing else is configured. */
export function defaultEngineHost(platform: string, homeDir?: string, reader: DockerConfigReader = noFiles): string {
  if (platform === 'win32') return 'npipe:////./pipe/docker_engine';
  const system = '/var/run/docker.sock';
  if (!reader.exists(system) && homeDir) {
    const desktop = path.posix.join(homeDir, '.docker/run/docker.sock');
    if (reader.exists(desktop)) return `unix://${desktop}`;
  }
  return `unix://${system}`;
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

export function dockerConfigDir(env: Record<string, string | undefined>, homeDir = ''): string {
  return env.DOCKER_CONFIG || path.join(homeDir, '.docker');
}

/** The docker CLI stores a context under the hex SHA-256 of its name. */
export function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface ContextMeta {
  Name?: string;
  Metadata?: { Description?: string } | null;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } | null } | null;
}

/** `currentContext` of config.json, or undefined. */
export function currentContextName(configDir: string, reader: DockerConfigReader): string | undefined {
  const config = parseJson(reader.readFile(path.join(configDir, 'config.json'))) as { currentContext?: unknown } | undefined;
  return typeof config?.currentContext === 'string' && config.currentContext ? config.currentContext : undefined;
}

/** Every context under `contexts/meta/`, sorted by name (the built-in `default` is not stored there). */
export function listDockerContexts(configDir: string, reader: DockerConfigReader): DockerContextInfo[] {
  const metaDir = path.join(configDir, 'contexts', 'meta');
  const out: DockerContextInfo[] = [];
  for (const dir of reader.listDir(metaDir)) {
    const meta = parseJson(reader.readFile(path.join(metaDir, dir, 'meta.json'))) as ContextMeta | undefined;
    const host = meta?.Endpoints?.docker?.Host;
    if (typeof meta?.Name !== 'string' || typeof host !== 'string') continue;
    const info: DockerContextInfo = { name: meta.Name, host };
    if (typeof meta.Metadata?.Description === 'string' && meta.Metadata.Description) info.description = meta.Metadata.Description;
    out.push(info);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function endpointOfContext(name: string, configDir: string, reader: DockerConfigReader): EngineEndpoint {
  const hash = contextDirName(name);
  const meta = parseJson(reader.readFile(path.join(configDir, 'contexts', 'meta', hash, 'meta.json'))) as ContextMeta | undefined;
  const docker = meta?.Endpoints?.docker;
  if (typeof docker?.Host !== 'string' || !docker.Host) {
    throw new EndpointError(`docker context "${name}" was not found (no ${path.join(configDir, 'contexts', 'meta', hash, 'meta.json')} with a docker ` +
      `endpoint)`);
  }
  const endpoint = parseEngineHost(docker.Host);
  if (endpoint.kind === 'tcp') {
    const tlsDir = path.join(configDir, 'contexts', 'tls', hash, 'docker');
    const files: TlsFiles = {};
    for (const k of ['ca', 'cert', 'key'] as const) {
      const f = path.join(tlsDir, `${k}.pem`);
      if (reader.exists(f)) files[k] = f;
    }
    if (files.ca || files.cert) {
      endpoint.tls = true;
      endpoint.tlsFiles = files;
      if (!/:\d+$/.test(new URL(docker.Host).host)) endpoint.port = 2376;
    }
    if (docker.SkipTLSVerify === true) endpoint.tlsVerify = false;
  }
  return endpoint;
}

function tlsFromEnv(endpoint: EngineEndpoint, env: Record<string, string | undefined>, configDir: string): EngineEndpoint {
  if (endpoint.kind !== 'tcp' || !endpoint.tls) return endpoint;
  const certDir = env.DOCKER_CERT_PATH || configDir;
  endpoint.tlsFiles = { ca: path.join(certDir, 'ca.pem'), cert: path.join(certDir, 'cert.pem'), key: path.join(certDir, 'key.pem') };
  endpoint.tlsVerify = Boolean(env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0');
  return endpoint;
}

/** Resolves the engine to use; throws EndpointError for an address or context that cannot be used. */
export function resolveEngine(inputs: EndpointInputs): ResolvedEngine {
  const reader = inputs.reader ?? noFiles;
  const configDir = dockerConfigDir(inputs.env, inputs.homeDir);
  const setting = inputs.setting?.trim();
  if (setting) return { endpoint: parseEngineHost(setting, inputs.env), source: 'setting', displayName: setting };
  const fromContext = (name: string): ResolvedEngine | undefined => {
    if (name === 'default') return undefined;
    return { endpoint: endpointOfContext(name, configDir, reader), source: 'context', contextName: name, displayName: name };
  };
  const chosen = inputs.contextSetting?.trim();
  if (chosen && chosen !== 'default') return fromContext(chosen)!;
  const envHost = inputs.env.DOCKER_HOST?.trim();
  if (envHost && chosen !== 'default') {
    return { endpoint: tlsFromEnv(parseEngineHost(envHost, inputs.env), inputs.env, configDir), source: 'DOCKER_HOST', displayName: envHost };
  }
  if (!chosen) {
    const named = inputs.env.DOCKER_CONTEXT?.trim() || currentContextName(configDir, reader);
    const resolved = named ? fromContext(named) : undefined;
    if (resolved) return resolved;
  }
  const host = defaultEngineHost(inputs.platform, inputs.homeDir, reader);
  return { endpoint: parseEngineHost(host), source: 'default', contextName: 'default', displayName: host };
}

/** The endpoint alone (kept for callers that need no source, e.g. the CLI). */
export function resolveEngineEndpoint(inputs: EndpointInputs): EngineEndpoint {
  return resolveEngine(inputs).endpoint;
}
