// Checks an ssh:// engine's host key against OpenSSH known_hosts text, as `ssh` does before the docker CLI talks
// over it: a key that is not listed, or that differs from the listed one, stops the connection (no trust on first
// use behind the user's back). Understands plain and hashed (`|1|salt|hash`, ssh-keygen -H) host fields, comma
// lists, `[host]:port`, `*`/`?` wildcards, `!` negation, and the `@revoked` marker (`@cert-authority` lines are
// skipped: host certificates are not supported here). Host names are lower-cased first, as `ssh` does (a hashed entry
// is the HMAC of the lower-cased name). The host key algorithms are ordered as `ssh` orders them: those of the key
// types known_hosts holds for the host first, so the server offers the key that is listed.
import { createHash, createHmac } from 'node:crypto';

export type HostKeyVerdict =
  | { kind: 'known'; file: string; line: number }
  | { kind: 'unknown' }
  | { kind: 'changed'; file: string; line: number }
  | { kind: 'revoked'; file: string; line: number };

/** Why an ssh:// engine's host key was refused, with what `ssh` would show of the key. */
export interface SshHostKeyRefusal {
  verdict: Exclude<HostKeyVerdict, { kind: 'known' }>;
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
}

export interface KnownHostsFile {
  /** Where it was read from, for messages. */
  name: string;
  text: string;
}

/** The name a host is listed under: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key type in an SSH public key blob (its first string, e.g. `ssh-ed25519`). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return '';
  const len = blob.readUInt32BE(0);
  return len > 0 && len < 64 && blob.length >= 4 + len ? blob.toString('latin1', 4, 4 + len) : '';
}

/** `ssh-keygen -l` style fingerprint: `SHA256:` and the unpadded base64 of the blob's SHA-256. */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function wildcardMatch(pattern: string, name: string): boolean {
  let re = '^';
  for (const ch of pattern) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${re}$`, 'i').test(name);
}

/** Whether a known_hosts host field lists `name` (OpenSSH: any positive match and no negated one). */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (wildcardMatch(pattern.slice(1), name)) return false;
    } else if (wildcardMatch(pattern, name)) matched = true;
  }
  return matched;
}

interface HostLine {
  file: string;
  line: number;
  marker: string;
  keyType: string;
  key: string;
}

/** The lines (plain keys and `@revoked`; not `@cert-authority`) that list `host:port`, in file order. */
function linesFor(files: KnownHostsFile[], host: string, port: number): HostLine[] {
  // `ssh` lower-cases the host name before it looks it up (hashed entries hold the lower-cased name's HMAC)
  const name = knownHostsName(host.toLowerCase(), port);
  const out: HostLine[] = [];
  for (const file of files) {
    const lines = file.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (!line || line.startsWith('#')) continue;
      const fields = line.split(/\s+/);
      let marker = '';
      if (fields[0]!.startsWith('@')) marker = fields.shift()!;
      if (marker === '@cert-authority' || fields.length < 3) continue;
      const [hosts, keyType, key] = fields as [string, string, string];
      if (hostFieldMatches(hosts, name)) out.push({ file: file.name, line: i + 1, marker, keyType, key });
    }
  }
  return out;
}

/** Checks the key `blob` offered by `host:port` against the files, in order. */
export function checkHostKey(files: KnownHostsFile[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const type = keyTypeOfBlob(blob);
  const key = blob.toString('base64');
  let known: HostKeyVerdict | undefined;
  let changed: HostKeyVerdict | undefined;
  for (const l of linesFor(files, host, port)) {
    const at = { file: l.file, line: l.line };
    if (l.marker === '@revoked') {
      if (l.key === key) return { kind: 'revoked', ...at };
      continue;
    }
    if (l.keyType === type && l.key === key) known ??= { kind: 'known', ...at };
    else if (l.keyType === type) changed ??= { kind: 'changed', ...at };
  }
  return known ?? changed ?? { kind: 'unknown' };
}

/** The key types known_hosts lists (not revoked) for `host:port`, in file order, each once. */
export function knownHostKeyTypes(files: KnownHostsFile[], host: string, port: number): string[] {
  const types = linesFor(files, host, port).filter((l) => l.marker === '').map((l) => l.keyType);
  return [...new Set(types)];
}

/** The key type a host key algorithm signs with (`rsa-sha2-512` → `ssh-rsa`). */
export function keyTypeOfAlgorithm(algorithm: string): string {
  return algorithm === 'rsa-sha2-256' || algorithm === 'rsa-sha2-512' ? 'ssh-rsa' : algorithm;
}

/**
 * The host key algorithms to offer, as `ssh` orders them (sshconnect2.c, order_hostkeyalgs): those whose key type
 * known_hosts holds for the host first, then the others, each group in the client's default order. Without this a
 * server with an ed25519 and an rsa key, listed in known_hosts by its rsa key only, offers ed25519 and is refused.
 */
export function orderHostKeyAlgorithms(defaults: readonly string[], knownTypes: readonly string[]): string[] {
  const known = new Set(knownTypes);
  const first = defaults.filter((a) => known.has(keyTypeOfAlgorithm(a)));
  return [...first, ...defaults.filter((a) => !known.has(keyTypeOfAlgorithm(a)))];
}
