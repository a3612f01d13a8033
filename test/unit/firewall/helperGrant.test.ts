import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { helperCommandDigest, helperCommandInWords, helperContainerSpec } from '../../../src/adapters/helperScripts';
import { consentDetail, engineIdFromInfo, grantLabel, imageIdFromInspect, isGranted, readGrants, withGrant,
  type HelperSubject } from '../../../src/core/firewall/helperGrant';
import { fixturePath } from '../../paths';

const busybox = `sha256:${'1'.repeat(64)}`;
const retagged = `sha256:${'2'.repeat(64)}`;
const subject: HelperSubject = {
  engineHost: 'unix:///var/run/docker.sock', engineId: '4MAZ:67L4:ZQP3:X63W:LPG3:K3HS:XSQI:HOWL:MBXK:24GB:7M4L:LAXZ',
  imageTag: 'busybox:latest', imageId: busybox, commandDigest: helperCommandDigest(),
};
const granted = withGrant({}, subject, new Date('2026-01-01T00:00:00Z'));

describe('firewall helper consent', () => {
  it('covers the same engine, image and command', () => {
    assert.equal(isGranted(granted, subject), true);
    assert.equal(isGranted(granted, { ...subject, engineHost: 'unix:///run/docker.sock' }), true, 'another address of the same engine');
  });

  it('asks again when the tag now names another image (a re-tagged busybox:latest)', () => {
    assert.equal(isGranted(granted, { ...subject, imageId: retagged }), false);
  });

  it('asks again for another engine at the same address, and for another command', () => {
    assert.equal(isGranted(granted, { ...subject, engineId: 'another-engine' }), false);
    assert.equal(isGranted(granted, { ...subject, commandDigest: '0'.repeat(64) }), false);
  });

  it('drops grants an older version kept by address and tag', () => {
    const old = { 'unix:///var/run/docker.sock': { image: 'busybox:latest', at: '2025-01-01T00:00:00Z' } };
    assert.deepEqual(readGrants(old), {});
    assert.deepEqual(readGrants({ ...old, ...granted }), granted);
    assert.deepEqual(readGrants({ other: granted[subject.engineId] }), {}, 'a grant filed under another engine ID');
    assert.deepEqual(readGrants(undefined), {});
  });

  it('names the engine (address and ID), the image (tag and ID) and the command in the dialog', () => {
    const detail = consentDetail(subject, helperCommandInWords());
    for (const part of [subject.engineHost, subject.engineId, subject.imageTag, subject.imageId, subject.commandDigest.slice(0, 16), 'nsenter',
      'iptables-save']) {
      assert.ok(detail.includes(part), `the dialog names ${part}:\n${detail}`);
    }
    assert.match(consentDetail({ ...subject, imageId: retagged }, 'x', granted[subject.engineId]),
      /Asked again because the image changed \(it was busybox:latest, sha256:1{64}\)/);
    assert.equal(grantLabel(granted[subject.engineId]!), `unix:///var/run/docker.sock (ID ${subject.engineId})`);
  });

  it('reads the engine ID from /info and the image ID from image inspect', () => {
    const info = JSON.parse(fs.readFileSync(fixturePath('engine/info-20.10.24-api1.41.json'), 'utf8')) as unknown;
    assert.equal(engineIdFromInfo(info), subject.engineId);
    assert.throws(() => engineIdFromInfo({ ID: '' }), /no ID/);
    assert.equal(imageIdFromInspect({ Id: busybox }), busybox);
    assert.throws(() => imageIdFromInspect({ Id: 'busybox:latest' }), /no sha256 ID/);
  });

  it('digests the command without the per-run values, and the scripts are in it', () => {
    assert.match(helperCommandDigest(), /^[0-9a-f]{64}$/);
    const a = helperContainerSpec('x', 'capabilities-dockerd', { nonce: 'a'.repeat(32), session: 's1', createdMs: 1 });
    const b = helperContainerSpec('x', 'capabilities-dockerd', { nonce: 'b'.repeat(32), session: 's2', createdMs: 2 });
    assert.deepEqual(a.Cmd, b.Cmd, 'the command does not change per run');
    assert.ok((a.Cmd as string[]).some((part) => part.includes('nsenter -t "$target" -m -n')), 'the enter script is in the command');
  });
});
