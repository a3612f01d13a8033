// The engine facts the unit tests hold as Engine 20.10 captures (test/unit/firewall/engineFacts.test.ts,
// test/unit/compose/engineFacts.test.ts), live: how /containers/json lists a published range and a port bound to one
// address, what the product's model makes of it for the firewall links (engineFactsFromModel: one port per host IP of
// a binding, ranges kept whole) and for host-port-conflict (runningBindingsOf: only containers that hold their ports,
// i.e. not created-never-started nor stopped ones).
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { runningBindingsOf } from '../../src/core/compose/runningBindings';
import { buildEngineModel } from '../../src/core/engine/buildModel';
import { engineFactsFromModel } from '../../src/core/firewall';
import { ENGINE, engineDocker, fact, Made, portBindingsOf, startContainer, TEST_IMAGE, testLabels, uniqueName } from './support';

describe(`the engine model's published ports on ${ENGINE}`, () => {
  const docker = engineDocker();
  const made = new Made();
  after(() => made.removeAll());

  it(`${ENGINE}: a range on both families and a port on 127.0.0.1 become one binding per host IP, ranges whole`, async (t) => {
    const running = await startContainer(docker, made, { cmd: ['sleep', '300'], ports: ['31000-31002:31010-31012/udp', '127.0.0.1:31080:80'] });
    assert.equal(running.error, undefined);
    const stopped = await startContainer(docker, made, { cmd: ['sleep', '300'], ports: ['31090:80'] });
    assert.equal(stopped.error, undefined);
    await stopped.container.stop({ t: 0 });
    const never = portBindingsOf(['31091:80']);
    const created = made.container(await docker.createContainer({ name: uniqueName('dnd-engine-created'), Image: TEST_IMAGE,
      Cmd: ['sleep', '300'], Labels: testLabels(), ExposedPorts: never.ExposedPorts, HostConfig: { PortBindings: never.PortBindings } }));

    const ids = [running.container.id, stopped.container.id, created.id];
    const listed = await docker.listContainers({ all: true, filters: { id: ids } });
    const raw = listed.find((c) => c.Id === running.container.id)!.Ports.filter((p) => p.PublicPort);
    fact(t, `/containers/json lists ${raw.length} Ports entries for 3 udp ports on two families and one tcp port on 127.0.0.1, in this order: `
      + raw.map((p) => `${p.IP}:${p.PublicPort}/${p.Type}`).join(' '));
    assert.equal(raw.length, 7, `${ENGINE}: one Ports entry per port per host address`);
    const model = buildEngineModel(await docker.listNetworks(), listed);

    const facts = engineFactsFromModel(model).containers.find((c) => c.id === running.container.id)!;
    // in host port order, whatever order the engine listed them in
    assert.deepEqual(facts.ports, [
      { hostIp: '0.0.0.0', protocol: 'udp', hostPort: 31000, containerPort: 31010, hostPortEnd: 31002, containerPortEnd: 31012 },
      { hostIp: '::', protocol: 'udp', hostPort: 31000, containerPort: 31010, hostPortEnd: 31002, containerPortEnd: 31012 },
      { hostIp: '127.0.0.1', protocol: 'tcp', hostPort: 31080, containerPort: 80 },
    ]);

    const bindings = runningBindingsOf(model);
    const held = (id: string) => bindings.filter((b) => b.container === model.containers.find((c) => c.id === id)!.name)
      .map((b) => `${b.hostIp} ${b.protocol} ${b.hostPorts.start}-${b.hostPorts.end}`).sort();
    assert.deepEqual(held(running.container.id), ['0.0.0.0 udp 31000-31002', '127.0.0.1 tcp 31080-31080', ':: udp 31000-31002']);
    assert.deepEqual(held(stopped.container.id), [], 'a stopped container holds no port');
    assert.deepEqual(held(created.id), [], 'a created, never started container holds no port');
    // and the engine agrees: the stopped and the created one's ports are free to take
    const taker = await startContainer(docker, made, { cmd: ['sleep', '300'], ports: ['31090:80', '31091:81'] });
    fact(t, `a stopped and a never started container's host ports: ${taker.error ? `still held (${taker.error})` : 'free, another container takes them'}`);
    assert.equal(taker.error, undefined);
  });
});
