// published-port-unreachable against the engine: a container publishing a port on an internal network, on macvlan
// and on ipvlan (parent: an interface made inside the engine's network namespace), and for contrast on a plain
// bridge and on internal + bridge. Whether the engine accepts it, what it lists as published, and whether the port
// answers from the outside host (a veth peer on the engine host's LAN) is compared with the product's finding for
// the same compose file.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { analyzeComposeText } from '../../src/core/compose/analyzeCompose';
import { connectFromEngineHost, connectFromOutside } from '../support/engineRig';
import { ENGINE, engineDocker, fact, inEngineNetns, Made, rig, startContainer, testLabels, uniqueName, waitFor } from './support';

/** The product's published-port-unreachable message for a service on `networks` (compose `networks:` text). */
function unreachableFinding(port: number, attached: string[], networks: string): string | undefined {
  const text = `services:\n  web:\n    image: dnd-test/busybox\n    ports:\n      - "${port}:80"\n    networks: [${attached.join(', ')}]\n`
    + `networks:\n${networks}`;
  return analyzeComposeText(text, 'compose.yaml').findings.find((f) => f.code === 'published-port-unreachable')?.message;
}

describe(`published ports on internal, macvlan and ipvlan networks on ${ENGINE}`, () => {
  const docker = engineDocker();
  const made = new Made();
  const noOutside = rig.outsideNetns ? undefined : 'no outside host (an engine given by DOCKER_HOST)';
  after(() => made.removeAll());

  /** Starts a server on `networks` (the first at create, the others connected before start) publishing `port`. */
  async function serveOn(networks: string[], port: number) {
    const started = await startContainer(docker, made, { ports: [`${port}:80`], networkMode: networks[0], beforeStart: async (c) => {
      for (const n of networks.slice(1)) await docker.getNetwork(n).connect({ Container: c.id });
    } });
    const [listed] = await docker.listContainers({ all: true, filters: { id: [started.container.id] } });
    const published = (listed?.Ports ?? []).filter((p) => p.PublicPort).map((p) => `${p.IP}:${p.PublicPort}`);
    return { ...started, published };
  }

  /** Whether the port answers from outside; polled briefly when it should (the server may still be starting). */
  async function answersFromOutside(port: number, expected: boolean): Promise<boolean> {
    if (!expected) return (await connectFromOutside(port)).ok;
    return waitFor(`port ${port} to answer from outside`, async () => (await connectFromOutside(port)).ok, 10_000).catch(() => false);
  }

  async function network(opts: { driver?: string; internal?: boolean; parent?: string; subnet?: string }): Promise<string> {
    const name = uniqueName('dnd-engine-net');
    made.network(await docker.createNetwork({
      Name: name, Labels: testLabels(), ...(opts.driver ? { Driver: opts.driver } : {}), ...(opts.internal ? { Internal: true } : {}),
      ...(opts.parent ? { Options: { parent: opts.parent } } : {}), ...(opts.subnet ? { IPAM: { Config: [{ Subnet: opts.subnet }] } } : {}),
    }));
    return name;
  }

  it(`${ENGINE}: a plain bridge network publishes the port, reachable from outside; the product says nothing`, { skip: noOutside }, async (t) => {
    const net = await network({});
    const s = await serveOn([net], 30080);
    assert.equal(s.error, undefined, `${ENGINE}: ${s.error}`);
    const reached = await answersFromOutside(30080, true);
    fact(t, `bridge: started, published ${s.published.join(', ') || 'nothing'}, ${reached ? 'reached' : 'NOT reached'} from outside`);
    assert.ok(reached, `${ENGINE}: a port published on a bridge network did not answer from outside`);
    assert.equal(unreachableFinding(30080, ['front'], '  front: {}\n'), undefined);
  });

  it(`${ENGINE}: an internal network takes the container but publishes nothing; the product says unreachable`, { skip: noOutside }, async (t) => {
    const net = await network({ internal: true });
    const s = await serveOn([net], 30081);
    assert.equal(s.error, undefined, `${ENGINE} refused a published port on an internal network: ${s.error}`);
    const reached = await answersFromOutside(30081, false);
    const fromHost = (await connectFromEngineHost('127.0.0.1', 30081)).ok;
    fact(t, `internal: started, published ${s.published.join(', ') || 'nothing'}, ${reached ? 'reached' : 'not reached'} from ` +
      `outside, ${fromHost ? 'reached' : 'not reached'} from the engine host`);
    assert.deepEqual(s.published, []);
    assert.equal(reached, false);
    assert.equal(fromHost, false);
    assert.match(unreachableFinding(30081, ['back'], '  back:\n    internal: true\n') ?? '', /attached only to back \(internal: true\)/);
  });

  it(`${ENGINE}: internal + a bridge network publishes the port, reachable from outside; the product says nothing`, { skip: noOutside }, async (t) => {
    const back = await network({ internal: true });
    const front = await network({});
    const s = await serveOn([back, front], 30082);
    assert.equal(s.error, undefined, `${ENGINE}: ${s.error}`);
    const reached = await answersFromOutside(30082, true);
    fact(t, `internal + bridge: started, published ${s.published.join(', ') || 'nothing'}, ${reached ? 'reached' : 'NOT reached'} from outside`);
    assert.ok(reached, `${ENGINE}: internal + bridge did not answer from outside`);
    assert.equal(unreachableFinding(30082, ['back', 'front'], '  back:\n    internal: true\n  front: {}\n'), undefined);
  });

  describe('macvlan and ipvlan', { skip: rig.engineNetns ? undefined : 'the engine runs in this machine\'s own namespace: no interface is made there' }, () => {
    const parent = `dndp${process.pid % 100000}`;
    let parentKind = '';
    before(() => {
      // a dummy interface when the kernel has them, else one end of a veth pair (this sandbox's kernel has no dummy)
      for (const [kind, args] of [['dummy', ['type', 'dummy']], ['veth', ['type', 'veth', 'peer', 'name', `${parent}b`]]] as const) {
        if (inEngineNetns(['ip', 'link', 'add', parent, ...args]).status === 0) { parentKind = kind; break; }
      }
      assert.ok(parentKind, `${ENGINE}: could not make a parent interface in the engine's namespace`);
      inEngineNetns(['ip', 'link', 'set', parent, 'up']);
    });
    after(async () => {
      await made.removeAll();
      inEngineNetns(['ip', 'link', 'del', parent]);
    });

    for (const [driver, subnet, port] of [['macvlan', '192.0.2.0/24', 30083], ['ipvlan', '203.0.113.0/24', 30084]] as const) {
      // On a kernel without the driver (this machine's has no ipvlan) the container cannot start: the port is still
      // never published nor reached, which is what the product says; the fact line says which case was seen.
      it(`${ENGINE}: ${driver} never publishes the port (takes the container, or the kernel cannot make ${driver}); the product says unreachable`,
        { skip: noOutside }, async (t) => {
        const net = await network({ driver, parent, subnet });
        const s = await serveOn([net], port);
        const kernelLacksDriver = !!s.error && /operation not supported|unknown device type/i.test(s.error);
        if (!kernelLacksDriver) assert.equal(s.error, undefined, `${ENGINE} refused a published port on ${driver}: ${s.error}`);
        const reached = await answersFromOutside(port, false);
        fact(t, kernelLacksDriver
          ? `${driver}: this kernel cannot make ${driver} interfaces (${s.error}): the container did not start, ` +
            `published ${s.published.join(', ') || 'nothing'}, ${reached ? 'reached' : 'not reached'} from outside`
          : `${driver} (parent: a ${parentKind} interface): started, ` +
            `published ${s.published.join(', ') || 'nothing'}, ${reached ? 'reached' : 'not reached'} from outside`);
        assert.deepEqual(s.published, []);
        assert.equal(reached, false);
        assert.match(unreachableFinding(port, ['lan'], `  lan:\n    driver: ${driver}\n    driver_opts:\n      parent: eth0\n`) ?? '',
          new RegExp(`attached only to lan \\(driver ${driver}\\)`));
      });
    }
  });
});
