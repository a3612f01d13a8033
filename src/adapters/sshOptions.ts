// The ssh2 options for an ssh:// engine, chosen the way `ssh` (which the docker CLI runs) would: keys from the agent
// (SSH_AUTH_SOCK, or Windows' OpenSSH agent pipe) and the default identity files that need no passphrase; the host
// key checked against known_hosts, and the connection refused when it is not listed or differs (the verdict is handed
// to `onHostKey` so the view can say which and how to fix it). As `ssh`, it asks the server first for a key of a type
// known_hosts holds for it. Nothing is ever written to known_hosts.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { EngineEndpoint } from '../core/engine/endpoint';
import {
  checkHostKey, fingerprintOfBlob, keyTypeOfBlob, knownHostKeyTypes, orderHostKeyAlgorithms, type KnownHostsFile, type SshHostKeyRefusal,
} from '../core/engine/knownHosts';
import { isUnencryptedPrivateKey } from '../core/engine/sshKeys';

const identityFiles = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function homeOf(env: Record<string, string | undefined>): string {
  return env.HOME || env.USERPROFILE || os.homedir();
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The user's and the system's known_hosts, as ssh reads them by default. */
export function knownHostsFiles(env: Record<string, string | undefined>): KnownHostsFile[] {
  const home = homeOf(env);
  const candidates = [path.join(home, '.ssh', 'known_hosts'), path.join(home, '.ssh', 'known_hosts2'),
    process.platform === 'win32' ? path.join(env.PROGRAMDATA ?? 'C:\\ProgramData', 'ssh', 'ssh_known_hosts') : '/etc/ssh/ssh_known_hosts'];
  return candidates.flatMap((name) => {
    const text = readIfPresent(name);
    return text === undefined ? [] : [{ name, text }];
  });
}

/** The first default identity file that opens without a passphrase (keys with one are left to the agent). */
export function defaultIdentity(env: Record<string, string | undefined>): { file: string; key: string } | undefined {
  for (const name of identityFiles) {
    const file = path.join(homeOf(env), '.ssh', name);
    const key = readIfPresent(file);
    if (key !== undefined && isUnencryptedPrivateKey(key)) return { file, key };
  }
  return undefined;
}

/**
 * ssh2 1.x's default server host key algorithms, in its order (lib/protocol/constants.js; ssh-ed25519 needs node's
 * eddsa, which every node this runs on has). Written out rather than required: the extension bundle would otherwise
 * carry ssh2's crypto modules, which live in dist/vendor/dockerode.js.
 */
export const ssh2DefaultHostKeyAlgorithms: readonly string[] = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

export function sshConnectOptions(endpoint: Extract<EngineEndpoint, { kind: 'ssh' }>, env: Record<string, string | undefined>,
  onHostKey: (refusal: SshHostKeyRefusal | undefined) => void): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const agent = env.SSH_AUTH_SOCK || (process.platform === 'win32' ? '\\\\.\\pipe\\openssh-ssh-agent' : undefined);
  if (agent) options.agent = agent;
  const identity = defaultIdentity(env);
  if (identity) options.privateKey = identity.key;
  const types = knownHostKeyTypes(knownHostsFiles(env), endpoint.hostname, endpoint.port);
  if (types.length) options.algorithms = { serverHostKey: orderHostKeyAlgorithms(ssh2DefaultHostKeyAlgorithms, types) };
  options.hostVerifier = (blob: Buffer): boolean => {
    // read again per connection: a key accepted with `ssh` meanwhile counts
    const verdict = checkHostKey(knownHostsFiles(env), endpoint.hostname, endpoint.port, blob);
    if (verdict.kind === 'known') {
      onHostKey(undefined);
      return true;
    }
    onHostKey({ verdict, host: endpoint.hostname, port: endpoint.port, keyType: keyTypeOfBlob(blob), fingerprint: fingerprintOfBlob(blob) });
    return false;
  };
  return options;
}
