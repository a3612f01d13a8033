// Turns a failed engine call into a problem a person can act on. Pure: takes the error's code, status and message.

import { knownHostsName, type SshHostKeyRefusal } from './knownHosts';

export type EngineProblemKind = 'unreachable' | 'permission' | 'tls' | 'ssh' | 'api-version' | 'timeout' | 'config' | 'restricted' | 'other';

export interface EngineProblem {
  kind: EngineProblemKind;
  /** One sentence: what went wrong. */
  message: string;
  /** What to do about it. */
  fix: string;
}

export interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  /** Set by node's fs errors: the file that could not be read. */
  path?: unknown;
  /** Set by ApiVersionError. */
  engineApiVersion?: unknown;
  /** Set by ssh2: where the connection failed (`client-authentication`, `handshake`, …). */
  level?: unknown;
  /** Set by the docker client when it refused an ssh host key. */
  sshHostKey?: SshHostKeyRefusal;
}

/** A refused ssh host key, as ssh itself would explain it. */
function hostKeyProblem(r: SshHostKeyRefusal, host: string): EngineProblem {
  const key = `${r.keyType} ${r.fingerprint}`;
  const listed = knownHostsName(r.host, r.port);
  const target = r.port === 22 ? r.host : `-p ${r.port} ${r.host}`;
  switch (r.verdict.kind) {
    case 'unknown':
      return { kind: 'ssh', message: `The SSH host key of ${listed} (${key}) is not in known_hosts, so ${host} is not trusted yet.`,
        fix: `Check the fingerprint, then accept it once with \`ssh ${target}\` (the docker CLI needs that too) and retry.` };
    case 'changed':
      return { kind: 'ssh',
        message: `The SSH host key of ${listed} has changed: ${r.verdict.file} line ${r.verdict.line} lists another ${r.keyType} key, and it now ` +
        `offers ${key}. Someone may be intercepting the connection.`,
        fix: `Only if the server's key really changed: \`ssh-keygen -R "${listed}"\`, then \`ssh ${target}\` to accept the new key, and retry.` };
    case 'revoked':
      return { kind: 'ssh', message: `The SSH host key of ${listed} (${key}) is revoked in ${r.verdict.file} line ${r.verdict.line}.`,
        fix: 'Ask the server\'s administrator for its current host key.' };
  }
}

/**
 * `pointAt` names where the user chooses another engine, in the words of the caller: the extension's setting, or the
 * CLI's environment variables (the CLI has no settings).
 */
export function classifyEngineError(err: unknown, host: string, pointAt = 'dockerNetworkDoctor.engine.host'): EngineProblem {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const file = typeof e.path === 'string' ? e.path : '';
  if (e.sshHostKey && typeof e.sshHostKey === 'object') return hostKeyProblem(e.sshHostKey, host);
  if (e.level === 'client-authentication' || /Encrypted private .*key detected|Cannot parse privateKey/i.test(message)) {
    return { kind: 'ssh', message: `SSH login to ${host} failed: ${message}.`,
      fix: 'Load your key into ssh-agent (`ssh-add`) so SSH_AUTH_SOCK offers it, or keep ~/.ssh/id_ed25519, id_ecdsa or id_rsa without a passphrase; check ' +
        'the user in the ssh:// address.' };
  }
  if (typeof e.engineApiVersion === 'string') {
    return { kind: 'api-version', message: `The engine at ${host} speaks API ${e.engineApiVersion}, older than 1.41.`,
      fix: `Update Docker Engine to 20.10 (API 1.41) or newer, or point ${pointAt} at a newer engine.` };
  }
  if (/\.pem$/i.test(file) || /^(ERR_TLS_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY))/.test(code)) {
    return { kind: 'tls', message: `TLS with ${host} failed: ${file ? `cannot read ${file} (${code})` : message}`,
      fix: 'Check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) and DOCKER_TLS_VERIFY, or the docker context\'s TLS files.' };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return { kind: 'permission', message: `Permission denied on ${host}.`,
      fix: `Add your user to the docker group (sudo usermod -aG docker $USER, then log in again), or point ${pointAt} at an engine you may use.` };
  }
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND' || code === 'ECONNRESET' || code === 'EPIPE') {
    return { kind: 'unreachable', message: `No Docker engine answers at ${host} (${code}).`,
      fix: `Start Docker (Docker Desktop, or sudo systemctl start docker), or point ${pointAt} at a running engine.` };
  }
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) {
    return { kind: 'timeout', message: `The Docker engine at ${host} did not answer in time.`,
      fix: 'Check that the engine is running and the address is reachable, then retry.' };
  }
  if (/certificate|self[- ]signed|tls|ssl|EPROTO/i.test(`${code} ${message}`)) {
    return { kind: 'tls', message: `TLS handshake with ${host} failed: ${message}`,
      fix: 'Check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) and DOCKER_TLS_VERIFY, or the context\'s TLS files.' };
  }
  if (status === 400 && /client version .* too (old|new)|minimum supported API version/i.test(message)) {
    return { kind: 'api-version', message: `The engine at ${host} does not support this API version: ${message}`,
      fix: 'Update Docker Engine to 20.10 (API 1.41) or newer.' };
  }
  return { kind: 'other', message: `The Docker engine at ${host} failed: ${message}`, fix: 'Retry; if it persists, check the engine\'s logs.' };
}
