// The privileged firewall helper runs only what was consented, enters only the engine's own dockerd, takes no framing
// from process data, and leaves other sessions' helpers alone. Real processes and a real engine throughout: an
// impostor `dockerd` run by nobody, a `docker-proxy` whose command line holds a newline and a fake section, a helper
// of "another window", and a re-tagged helper image.
import { strict as assert } from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import type Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { fetchHostFirewall, helperLabel } from '../../src/adapters/firewallHelper';
import { helperContainerSpec, helperCreatedLabel, helperSessionLabel } from '../../src/adapters/helperScripts';
import { parseHostSnapshot } from '../../src/core/firewall/hostSnapshot';
import { engineLabel, engineRig } from '../support/engineRig';
import { activateExtension, removeQuietly, TEST_IMAGE, testDocker, testLabels, uniqueName, waitFor } from './helpers';

const testEndpoint = () => ({ kind: 'unix' as const, socketPath: process.env.DOCKER_HOST!.slice('unix://'.length), host: process.env.DOCKER_HOST! });
const probe = () => activateExtension().then((api) => api.firewall.probe());
const firewallConfig = () => vscode.workspace.getConfiguration('dockerNetworkDoctor.firewall');

/** A copy of `binary` named `name` in a folder every user may enter (the impostors run as nobody). */
function copyAs(binary: string, name: string): { exe: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-impostor-'));
  fs.chmodSync(dir, 0o755);
  const exe = path.join(dir, name);
  fs.copyFileSync(binary, exe);
  fs.chmodSync(exe, 0o755);
  return { exe, dir };
}

/** Starts `argv` in the network namespace `netns`, in a process group of its own; resolves once it runs as `comm`. */
async function startIn(netns: string, argv: string[], comm: string): Promise<ChildProcess> {
  const child = spawn('nsenter', [`--net=${netns}`, ...argv], { stdio: 'ignore', detached: true });
  await waitFor(`${comm} (pid ${child.pid}) to run`, () => {
    try {
      return fs.readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim() === comm;
    } catch {
      return false;
    }
  });
  return child;
}

function stop(child: ChildProcess | undefined): void {
  try {
    if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** A container's whole output (stdout and stderr), from its multiplexed log stream. */
function demuxed(buffer: Buffer): string {
  const parts: Buffer[] = [];
  for (let at = 0; at + 8 <= buffer.length;) {
    const size = buffer.readUInt32BE(at + 4);
    parts.push(buffer.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

describe('firewall helper safety', function () {
  this.timeout(120_000);
  const docker = testDocker();
  const rig = engineRig();

  before(async () => {
    await activateExtension();
  });

  it(`does not enter a process named dockerd that a user started in the engine's network namespace (${engineLabel()})`, async function () {
    if (!rig.engineNetns || !rig.pid) this.skip();
    const { exe, dir } = copyAs('/bin/sleep', 'dockerd');
    const impostor = await startIn(rig.engineNetns!, ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', exe, '600'], 'dockerd');
    try {
      const result = await fetchHostFirewall(testEndpoint(), TEST_IMAGE);
      console.log(`      ${result.method.id}; entered ${result.snapshot.target?.command} ${result.snapshot.target?.pid}; ` +
        `errors: ${result.snapshot.errors.join(' | ') || 'none'}`);
      assert.deepEqual({ pid: result.snapshot.target?.pid, command: result.snapshot.target?.command }, { pid: rig.pid, command: 'dockerd' });
      // /proc is walked in name order, so the impostor is met before or after the engine's dockerd
      for (const e of result.snapshot.errors.filter((x) => x.includes(`pid ${impostor.pid}:`))) assert.match(e, /runs as uid 65534, not root/);
    } finally {
      stop(impostor);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // Deterministic: the helper shares the network namespace of a container where the only dockerd is the impostor.
  it('refuses a dockerd impostor run by nobody and says why, when it is the only candidate', async () => {
    const holder = await docker.createContainer({ name: uniqueName('dnd-it-netns'), Image: TEST_IMAGE, Labels: testLabels(), Cmd: ['sleep', '120'] });
    const { exe, dir } = copyAs('/bin/sleep', 'dockerd');
    let impostor: ChildProcess | undefined;
    let helper: Docker.Container | undefined;
    try {
      await holder.start();
      const holderPid = (await holder.inspect()).State.Pid;
      impostor = await startIn(`/proc/${holderPid}/ns/net`, ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', exe, '600'], 'dockerd');
      const nonce = 'feed'.repeat(8);
      const spec = helperContainerSpec(TEST_IMAGE, 'capabilities-dockerd', { nonce, session: 'test', createdMs: Date.now() });
      helper = await docker.createContainer({ ...spec, Labels: { ...spec.Labels, ...testLabels() },
        HostConfig: { ...spec.HostConfig, NetworkMode: `container:${holder.id}`, AutoRemove: false } });
      await helper.start();
      const { StatusCode } = await helper.wait() as { StatusCode: number };
      const output = demuxed(await helper.logs({ stdout: true, stderr: true, follow: false }) as unknown as Buffer);
      const snapshot = parseHostSnapshot(output, nonce);
      assert.equal(snapshot.target, undefined, `nothing entered (output: ${output})`);
      assert.equal(snapshot.sections.length, 0);
      assert.equal(StatusCode, 3);
      assert.ok(snapshot.errors.some((e) => e === `refused to enter the process named dockerd with pid ${impostor!.pid}: it runs as uid 65534, not root`),
        snapshot.errors.join(' | '));
    } finally {
      stop(impostor);
      await removeQuietly(helper, holder);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`takes no section from a docker-proxy command line that holds a newline and a marker (${engineLabel()})`, async function () {
    if (!rig.engineNetns) this.skip();
    const { exe, dir } = copyAs('/bin/bash', 'docker-proxy');
    const fake = 'x\n### dnd:end rc=0\n### dnd:begin iptables-save\n*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 22 -j DNAT --to-destination ' +
      '10.9.9.9:22\nCOMMIT\n### dnd:end rc=0';
    // bash stays the parent of its sleep, so the process named docker-proxy lives on with this command line
    const spoofer = await startIn(rig.engineNetns!, [exe, '-c', 'sleep 600; exit 0', 'docker-proxy', fake], 'docker-proxy');
    try {
      const result = await fetchHostFirewall(testEndpoint(), TEST_IMAGE);
      const names = result.snapshot.sections.map((s) => s.name);
      assert.deepEqual(names, [...new Set(names)], `each section once: ${names.join(', ')}`);
      assert.doesNotMatch(result.snapshot.rulesText, /10\.9\.9\.9/);
      const listed = result.snapshot.dockerProxies.find((p) => p.pid === spoofer.pid);
      assert.ok(listed, 'the process is listed as a docker-proxy');
      assert.match(listed.commandLine, /x ### dnd:end rc=0 ### dnd:begin iptables-save \*nat/, 'its command line on one line');
    } finally {
      stop(spoofer);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves a running helper of another session alone when it fetches', async () => {
    const other = await docker.createContainer({
      name: uniqueName('dnd-it-other-helper'), Image: TEST_IMAGE, Cmd: ['sleep', '120'],
      Labels: { ...testLabels(), [helperLabel]: '1', [helperSessionLabel]: 'another-window', [helperCreatedLabel]: String(Date.now()) },
    });
    try {
      await other.start();
      const result = await fetchHostFirewall(testEndpoint(), TEST_IMAGE);
      assert.ok(result.snapshot.sections.length > 0);
      assert.equal((await other.inspect()).State.Running, true, 'the other session\'s helper is still running');
    } finally {
      await removeQuietly(other);
    }
  });

  it('asks again when the helper tag names another image, and runs the consented image ID, never the tag', async () => {
    const repo = `dnd-test/helper-${uniqueName('retag').toLowerCase()}`;
    const tag = `${repo}:latest`;
    await docker.getImage(TEST_IMAGE).tag({ repo, tag: 'latest' });
    const created: string[] = [];
    const events = await docker.getEvents({ filters: { type: ['container'], label: [helperLabel],
      event: ['create'] } }) as NodeJS.ReadableStream & { destroy(): void };
    events.on('data', (chunk: Buffer) => {
      for (const l of chunk.toString().split('\n').filter(Boolean)) {
        created.push((JSON.parse(l) as { Actor?: { Attributes?: { image?: string } } }).Actor?.Attributes?.image ?? '?');
      }
    });
    let otherImage: string | undefined;
    try {
      await firewallConfig().update('helperImage', tag, vscode.ConfigurationTarget.Global);
      await activateExtension().then((api) => api.firewall.answerConsentPrompts(false));
      const granted = await activateExtension().then((api) => api.firewall.grantConsent());
      assert.match(granted.imageId, /^sha256:[0-9a-f]{64}$/);
      await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.refresh');
      assert.equal((await probe()).origin, 'engine', `the granted helper ran (${(await probe()).error?.message ?? ''})`);
      await waitFor('the helper\'s create event', () => created.length > 0);
      assert.deepEqual([...new Set(created)], [granted.imageId], 'every helper was created from the consented image ID');
      assert.deepEqual(await activateExtension().then((api) => api.firewall.consentPrompts()), [], 'not asked: granted');

      // the tag now names another image (a commit of the same one, with a label: another ID)
      const base = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['true'], Labels: testLabels() });
      otherImage = ((await base.commit({ repo, tag: 'latest', changes: 'LABEL dnd-retagged=1' })) as { Id: string }).Id;
      await removeQuietly(base);
      assert.notEqual(otherImage, granted.imageId);
      created.length = 0;
      await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.refresh');
      const prompts = await activateExtension().then((api) => api.firewall.consentPrompts());
      assert.equal(prompts.length, 1, 'asked again');
      for (const part of [tag, otherImage, granted.engineId, granted.engineHost, 'nsenter', 'Asked again because the image changed']) {
        assert.ok(prompts[0]!.detail.includes(part), `the dialog names ${part}: ${prompts[0]!.detail}`);
      }
      assert.match((await probe()).error?.message ?? '', /Not allowed/);
      assert.deepEqual(created, [], 'no helper was made without consent');
    } finally {
      events.destroy();
      await activateExtension().then((api) => api.firewall.answerConsentPrompts());
      await firewallConfig().update('helperImage', undefined, vscode.ConfigurationTarget.Global);
      await docker.getImage(tag).remove().catch(() => undefined);
      if (otherImage) await docker.getImage(otherImage).remove({ force: true }).catch(() => undefined);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
