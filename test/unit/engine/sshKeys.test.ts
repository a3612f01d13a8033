import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { classifyEngineError } from '../../../src/core/engine/engineError';
import { isUnencryptedPrivateKey } from '../../../src/core/engine/sshKeys';
import { fixturePath } from '../../paths';

// The first lines of real keys made by ssh-keygen (OpenSSH 9.2): enough for the header (magic, cipher, kdf, salt),
// none of the key itself. `enc-*` were made with a passphrase.
const dir = fixturePath('ssh');
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

describe('private keys without a passphrase', () => {
  it('tells OpenSSH keys with and without a passphrase apart from their header', () => {
    assert.equal(isUnencryptedPrivateKey(read('plain-ed25519.header-only')), true);
    assert.equal(isUnencryptedPrivateKey(read('enc-ed25519.header-only')), false);
  });

  it('reads PEM headers, and takes nothing else for a key', () => {
    assert.equal(isUnencryptedPrivateKey(read('enc-rsa-pem.header-only')), false);
    assert.equal(isUnencryptedPrivateKey('-----BEGIN RSA PRIVATE KEY-----\nMIIE…\n-----END RSA PRIVATE KEY-----\n'), true);
    assert.equal(isUnencryptedPrivateKey('-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n-----END ENCRYPTED PRIVATE KEY-----\n'), false);
    assert.equal(isUnencryptedPrivateKey(read('hostkey.pub')), false);
    assert.equal(isUnencryptedPrivateKey('-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----'), false);
    assert.equal(isUnencryptedPrivateKey('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn'), false);
  });
});

describe('ssh problems', () => {
  const refusal = (verdict: object) => ({ host: 'box', port: 2222, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc', verdict });

  it('explains an unknown, a changed and a revoked host key with what to run', () => {
    const unknown = classifyEngineError(Object.assign(new Error('Host denied (verification failed)'), { sshHostKey: refusal({ kind: 'unknown' }) }),
      'ssh://me@box:2222');
    assert.equal(unknown.kind, 'ssh');
    assert.match(unknown.message, /host key of \[box\]:2222 \(ssh-ed25519 SHA256:abc\) is not in known_hosts/);
    assert.match(unknown.fix, /`ssh -p 2222 box`/);
    const changed = classifyEngineError({ message: 'Host denied', sshHostKey: refusal({ kind: 'changed', file: '/h/.ssh/known_hosts', line: 7 }) },
      'ssh://box:2222');
    assert.match(changed.message, /has changed: \/h\/.ssh\/known_hosts line 7 lists another ssh-ed25519 key.*intercepting/);
    assert.match(changed.fix, /ssh-keygen -R "\[box\]:2222"/);
    assert.match(classifyEngineError({ sshHostKey: refusal({ kind: 'revoked', file: 'f', line: 1 }) }, 'h').message, /revoked in f line 1/);
  });

  it('explains a failed login and a key that needs a passphrase', () => {
    const login = classifyEngineError(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }),
      'ssh://me@box');
    assert.equal(login.kind, 'ssh');
    assert.match(login.fix, /ssh-add/);
    assert.equal(classifyEngineError(new Error('Encrypted private OpenSSH key detected, but no passphrase given'), 'ssh://box').kind, 'ssh');
    // not ssh: the unreachable case stays what it was
    assert.equal(classifyEngineError({ code: 'ECONNREFUSED', level: 'client-socket' }, 'ssh://box').kind, 'unreachable');
  });
});
