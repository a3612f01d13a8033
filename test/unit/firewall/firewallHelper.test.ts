// The firewall helper's lifetime against a fake engine that behaves as the real ones were seen to (notes in
// src/adapters/firewallHelper.ts): a helper that exits is auto-removed by the engine, and a force remove that meets
// that removal halfway gets 409 "removal … is already in progress" while the container is still listed. The fetch
// must settle only once its helper is gone, also when cancelled at any step.
// This is a mock, on purpose: the exact interleavings (a cancel between create and start, our remove meeting the
// engine's own auto-remove halfway) cannot be made to happen on demand on a real engine. The same faults happen for
// real in test/integration/firewall.test.ts (cancel at the helper's create and start events, Engine 28.5.2 and 20.10).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { fetchHostFirewall, HelperNotRemovedError, helperLabel, isSweepableHelper, removeHelper } from '../../../src/adapters/firewallHelper';
import { helperCreatedLabel, helperSessionLabel } from '../../../src/adapters/helperScripts';
import { waitFor } from '../../support/waitFor';

const endpoint = { kind: 'unix' as const, socketPath: '/nonexistent/docker.sock', host: 'unix:///nonexistent/docker.sock' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a helper prints, framed with the nonce its container was given (DND_NONCE), as the real scripts do. */
const goodOutput = (nonce: string) => [
  `### dnd-${nonce}:target 4242 dockerd: pid 1 is in another network namespace (net:[1]) than the engine (net:[2])`,
  `### dnd-${nonce}:begin iptables-save`, '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', 'COMMIT',
    `### dnd-${nonce}:end rc=0`,
  `### dnd-${nonce}:begin docker-proxy`, `### dnd-${nonce}:end rc=0`, '',
].join('\n');

interface FakeOptions {
  /** How long createContainer takes. */
  createMs?: number;
  /** How long the helper runs before it exits by itself; Infinity: until killed. */
  runMs?: number;
  /** How long the engine's auto-remove takes after the helper exits (409 to a remove meanwhile). */
  autoRemoveMs?: number;
  /** A remove that never succeeds (409 forever). */
  stuck?: boolean;
}

type State = 'created' | 'running' | 'removing' | 'gone';

/** A fake engine with just what the helper runner calls. */
class FakeEngine {
  readonly log: string[] = [];
  readonly states = new Map<string, State>();
  readonly specs: Docker.ContainerCreateOptions[] = [];
  private next = 0;

  constructor(private readonly o: FakeOptions = {}) {}

  left(): string[] {
    return [...this.states].filter(([, s]) => s !== 'gone').map(([id, s]) => `${id} ${s}`);
  }

  readonly modem = {
    demuxStream: (from: PassThrough, out: PassThrough) => { from.on('data', (d: Buffer) => out.write(d)); },
  };

  async listContainers(): Promise<Array<{ Id: string }>> {
    return [...this.states].filter(([, s]) => s !== 'gone').map(([Id]) => ({ Id }));
  }

  getContainer(id: string): Docker.Container {
    return this.handle(id);
  }

  async createContainer(spec: Docker.ContainerCreateOptions): Promise<Docker.Container> {
    assert.equal(spec.Labels?.[helperLabel], '1');
    assert.equal(spec.HostConfig?.AutoRemove, true);
    this.specs.push(spec);
    this.log.push('creating');
    await sleep(this.o.createMs ?? 0);
    const id = `helper${this.next++}`;
    this.states.set(id, 'created');
    this.log.push(`create ${id}`);
    return this.handle(id, spec.Env?.find((e) => e.startsWith('DND_NONCE='))?.slice('DND_NONCE='.length) ?? '');
  }

  private handle(id: string, nonce = ''): Docker.Container {
    const engine = this;
    const stream = new PassThrough();
    let exit: ((r: { StatusCode: number }) => void) | undefined;
    const exited = new Promise<{ StatusCode: number }>((r) => { exit = r; });
    const finish = (code: number) => {
      if (engine.states.get(id) !== 'running') return;
      engine.log.push(`exit ${id} ${code}`);
      stream.end();
      exit!({ StatusCode: code });
      // the engine's auto-remove
      engine.states.set(id, 'removing');
      if (!engine.o.stuck) setTimeout(() => { engine.states.set(id, 'gone'); engine.log.push(`auto-removed ${id}`); }, engine.o.autoRemoveMs ?? 0);
    };
    return {
      id,
      attach: async () => stream,
      wait: () => exited,
      start: async () => {
        engine.states.set(id, 'running');
        engine.log.push(`start ${id}`);
        const runMs = engine.o.runMs ?? 0;
        if (Number.isFinite(runMs)) setTimeout(() => { stream.write(goodOutput(nonce)); finish(0); }, runMs);
      },
      remove: async () => {
        const s = engine.states.get(id);
        if (s === undefined || s === 'gone') throw Object.assign(new Error('no such container'), { statusCode: 404 });
        if (s === 'removing') throw Object.assign(new Error(`removal of container ${id} is already in progress`), { statusCode: 409 });
        if (s === 'running') finish(137);
        engine.states.set(id, 'gone');
        engine.log.push(`removed ${id}`);
      },
    } as unknown as Docker.Container;
  }
}

describe('firewall helper lifetime (fake engine)', () => {
  it('settles only once an auto-removing helper is gone (the engine answers 409 until then)', async () => {
    const engine = new FakeEngine({ runMs: 5, autoRemoveMs: 120 });
    const result = await fetchHostFirewall(endpoint, 'busybox', { docker: engine as unknown as Docker });
    assert.deepEqual(engine.left(), [], `no helper left when the fetch resolves (${engine.log.join(', ')})`);
    assert.equal(result.method.id, 'privileged-pid1');
    assert.deepEqual(result.snapshot.target,
      { pid: 4242, command: 'dockerd', reason: 'pid 1 is in another network namespace (net:[1]) than the engine (net:[2])' });
  });

  it('never starts a helper when cancelled while it is being created, and removes it', async () => {
    const engine = new FakeEngine({ createMs: 50, runMs: Infinity });
    const abort = new AbortController();
    const fetching = fetchHostFirewall(endpoint, 'busybox', { docker: engine as unknown as Docker, signal: abort.signal });
    await waitFor('the create to begin', () => engine.log.includes('creating'), 10_000, 1);
    abort.abort();
    await assert.rejects(fetching, /cancelled/);
    assert.deepEqual(engine.log.filter((l) => l.startsWith('start')), [], 'nothing started after the cancel');
    assert.deepEqual(engine.left(), []);
  });

  it('kills and removes a running helper when cancelled, before settling', async () => {
    const engine = new FakeEngine({ runMs: Infinity });
    const abort = new AbortController();
    const fetching = fetchHostFirewall(endpoint, 'busybox', { docker: engine as unknown as Docker, signal: abort.signal });
    await waitFor('the helper to start', () => engine.log.some((l) => l.startsWith('start')), 10_000, 1);
    abort.abort();
    await assert.rejects(fetching, /cancelled/);
    assert.deepEqual(engine.left(), []);
    assert.ok(engine.log.includes('removed helper0'), engine.log.join(', '));
  });

  it('cancelled after the helper exited on its own: still waits for the auto-remove', async () => {
    const engine = new FakeEngine({ runMs: 0, autoRemoveMs: 100 });
    const abort = new AbortController();
    const fetching = fetchHostFirewall(endpoint, 'busybox', { docker: engine as unknown as Docker, signal: abort.signal });
    await waitFor('the helper to exit', () => engine.log.some((l) => l.startsWith('exit')), 10_000, 1);
    abort.abort();
    await assert.rejects(fetching, /cancelled/);
    assert.deepEqual(engine.left(), []);
  });

  it('names the container when it cannot be removed', async () => {
    const engine = new FakeEngine({ runMs: 0, stuck: true });
    const c = await engine.createContainer({ Labels: { [helperLabel]: '1' }, HostConfig: { AutoRemove: true } });
    await c.start();
    await waitFor('the helper to exit', () => engine.log.some((l) => l.startsWith('exit')), 10_000, 1);
    await assert.rejects(removeHelper(c, 200), (err: unknown) => err instanceof HelperNotRemovedError
      && /helper0.*already in progress.*docker rm -f helper0/.test(err.message));
  });
});

describe('firewall helper runs (fake engine)', () => {
  it('creates each helper from the image it is given (the consented ID), framed by a fresh nonce kept out of its command line', async () => {
    const engine = new FakeEngine();
    const imageId = `sha256:${'ab'.repeat(32)}`;
    await fetchHostFirewall(endpoint, imageId, { docker: engine as unknown as Docker });
    await fetchHostFirewall(endpoint, imageId, { docker: engine as unknown as Docker });
    assert.deepEqual(engine.specs.map((s) => s.Image), [imageId, imageId]);
    const nonces = engine.specs.map((s) => s.Env?.find((e) => e.startsWith('DND_NONCE='))?.slice('DND_NONCE='.length) ?? '');
    assert.ok(nonces.every((n) => /^[0-9a-f]{32}$/.test(n)), nonces.join(', '));
    assert.notEqual(nonces[0], nonces[1], 'a new nonce per run');
    // /proc/PID/cmdline is readable by every user; /proc/PID/environ only by root
    assert.ok(engine.specs.every((s, i) => !JSON.stringify(s.Cmd).includes(nonces[i]!)), 'the nonce is not in the command line');
  });

  it('labels each helper with its session and creation time, and sweeps only its own or stale ones', async () => {
    const engine = new FakeEngine();
    await fetchHostFirewall(endpoint, 'busybox', { docker: engine as unknown as Docker, session: 'window-a' });
    const labels = engine.specs[0]!.Labels!;
    assert.equal(labels[helperSessionLabel], 'window-a');
    assert.ok(Math.abs(Number(labels[helperCreatedLabel]) - Date.now()) < 60_000, labels[helperCreatedLabel]);
    const now = Date.now();
    const other = { Labels: { [helperLabel]: '1', [helperSessionLabel]: 'window-b', [helperCreatedLabel]: String(now - 5_000) },
      Created: Math.floor(now / 1000) - 5 };
    assert.equal(isSweepableHelper(other, 'window-a', now), false, 'a young helper of another window is left alone');
    assert.equal(isSweepableHelper(other, 'window-b', now), true, 'its own session\'s is removed');
    assert.equal(isSweepableHelper(other, 'window-a', now + 10 * 60_000), true, 'one older than any live helper is removed');
    // made by an older version: no session label, judged by the engine's creation time
    assert.equal(isSweepableHelper({ Labels: { [helperLabel]: '1' }, Created: Math.floor(now / 1000) - 10 }, 'window-a', now), false);
    assert.equal(isSweepableHelper({ Labels: { [helperLabel]: '1' }, Created: Math.floor(now / 1000) - 3600 }, 'window-a', now), true);
  });
});
