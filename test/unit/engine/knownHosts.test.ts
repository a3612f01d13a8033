import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  checkHostKey, fingerprintOfBlob, hostFieldMatches, keyTypeOfAlgorithm, keyTypeOfBlob, knownHostKeyTypes, knownHostsName, orderHostKeyAlgorithms,
} from '../../../src/core/engine/knownHosts';
import { ssh2DefaultHostKeyAlgorithms } from '../../../src/adapters/sshOptions';
import { fixturePath } from '../../paths';

// test/fixtures/ssh: keys made with ssh-keygen (OpenSSH 9.2); the first two lines of known_hosts hashed by
// `ssh-keygen -H` (which `ssh-keygen -F '[127.0.0.1]:2222'` finds again).
const dir = fixturePath('ssh');
const blobOf = (file: string) => Buffer.from(fs.readFileSync(path.join(dir, file), 'utf8').split(' ')[1]!, 'base64');
const files = [{ name: '~/.ssh/known_hosts', text: fs.readFileSync(path.join(dir, 'known_hosts'), 'utf8') }];
const host = blobOf('hostkey.pub');
const other = blobOf('otherkey.pub');
const rsa = blobOf('rsakey.pub');
const check = (name: string, port: number, blob: Buffer) => checkHostKey(files, name, port, blob);

describe('known_hosts', () => {
  it('reads the key type and the fingerprint from a key blob', () => {
    assert.equal(keyTypeOfBlob(host), 'ssh-ed25519');
    assert.equal(keyTypeOfBlob(rsa), 'ssh-rsa');
    assert.equal(keyTypeOfBlob(Buffer.alloc(2)), '');
    assert.match(fingerprintOfBlob(host), /^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('names a host as OpenSSH lists it', () => {
    assert.equal(knownHostsName('engine.example.com', 22), 'engine.example.com');
    assert.equal(knownHostsName('127.0.0.1', 2222), '[127.0.0.1]:2222');
  });

  it('finds hashed entries by their HMAC, on the right port only', () => {
    assert.deepEqual(check('127.0.0.1', 2222, host), { kind: 'known', file: '~/.ssh/known_hosts', line: 3 });
    assert.deepEqual(check('engine.example.com', 22, host), { kind: 'known', file: '~/.ssh/known_hosts', line: 2 });
    assert.deepEqual(check('127.0.0.1', 22, host), { kind: 'unknown' });
    assert.deepEqual(check('127.0.0.1', 2223, host), { kind: 'unknown' });
  });

  it('says when the listed key of that type differs (changed), and not for another key type', () => {
    assert.deepEqual(check('changed.example.com', 22, host), { kind: 'changed', file: '~/.ssh/known_hosts', line: 6 });
    assert.deepEqual(check('127.0.0.1', 2222, other), { kind: 'changed', file: '~/.ssh/known_hosts', line: 3 });
    assert.deepEqual(check('rsa-only.example.com', 22, host), { kind: 'unknown' });
    assert.equal(check('rsa-only.example.com', 22, rsa).kind, 'known');
  });

  it('follows wildcards and negations, and skips @cert-authority lines', () => {
    assert.equal(check('build.corp.example', 22, host).kind, 'known');
    assert.equal(check('bad.corp.example', 22, host).kind, 'unknown');
    assert.equal(check('www.example.com', 22, host).kind, 'unknown', 'a CA line does not vouch for a plain key');
    assert.equal(hostFieldMatches('web?.example.com', 'web1.example.com'), true);
    assert.equal(hostFieldMatches('web?.example.com', 'web12.example.com'), false);
    assert.equal(hostFieldMatches('A.Example.com', 'a.example.com'), true);
    assert.equal(hostFieldMatches('|1|broken', 'a'), false);
  });

  it('refuses a revoked key even where another line lists it', () => {
    assert.deepEqual(check('revoked.example.com', 22, host), { kind: 'revoked', file: '~/.ssh/known_hosts', line: 8 });
  });

  it('reads nothing from an empty file', () => {
    assert.deepEqual(checkHostKey([{ name: 'x', text: '' }], 'a', 22, host), { kind: 'unknown' });
    assert.deepEqual(checkHostKey([], 'a', 22, host), { kind: 'unknown' });
  });
});

describe('known_hosts as ssh reads it', () => {
  it('matches hashed entries against the lower-cased host name, as ssh does', () => {
    // line 2 is `ssh-keygen -H` of engine.example.com; ssh lower-cases ENGINE.Example.com before it looks it up
    assert.deepEqual(check('ENGINE.Example.com', 22, host), { kind: 'known', file: '~/.ssh/known_hosts', line: 2 });
    assert.equal(check('Changed.Example.com', 22, host).kind, 'changed', 'plain entries too');
  });

  it('lists the key types known_hosts holds for a host, revoked keys left out', () => {
    assert.deepEqual(knownHostKeyTypes(files, 'rsa-only.example.com', 22), ['ssh-rsa']);
    assert.deepEqual(knownHostKeyTypes(files, 'Engine.Example.com', 22), ['ssh-ed25519']);
    assert.deepEqual(knownHostKeyTypes(files, 'www.example.com', 22), [], 'a CA line lists no key of the host');
    assert.deepEqual(knownHostKeyTypes([{ name: 'x', text: '@revoked a.example ssh-rsa AAAA\na.example ssh-ed25519 AAAA\n' }], 'a.example', 22),
      ['ssh-ed25519']);
  });

  // Checked against OpenSSH 9.2 (`ssh -vvv -o HostKeyAlias=RSA-Only.TEST`, known_hosts holding only the rsa line for
  // rsa-only.test, a listener that sends a banner): "order_hostkeyalgs: prefer hostkeyalgs: rsa-sha2-512-cert…,
  // rsa-sha2-256-cert…,rsa-sha2-512,rsa-sha2-256" (ssh's defaults leave ssh-rsa out; ssh2's keep it).
  it('asks first for the algorithms of the listed key types, in the client\'s order (ssh\'s order_hostkeyalgs)', () => {
    // ssh2 1.x's default list, with ed25519 (node has eddsa)
    const defaults = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    assert.deepEqual(orderHostKeyAlgorithms(defaults, knownHostKeyTypes(files, 'rsa-only.example.com', 22)),
      ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521']);
    assert.deepEqual(orderHostKeyAlgorithms(defaults, ['ecdsa-sha2-nistp384', 'ssh-ed25519']),
      ['ssh-ed25519', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    assert.deepEqual(orderHostKeyAlgorithms(defaults, []), defaults);
    assert.equal(keyTypeOfAlgorithm('rsa-sha2-256'), 'ssh-rsa');
  });

  it('orders the ssh2 build\'s own default list (written out in sshOptions.ts, so checked against it)', () => {
    const ssh2 = require('ssh2/lib/protocol/constants') as { DEFAULT_SERVER_HOST_KEY: string[] };
    assert.deepEqual([...ssh2DefaultHostKeyAlgorithms], ssh2.DEFAULT_SERVER_HOST_KEY);
  });
});
