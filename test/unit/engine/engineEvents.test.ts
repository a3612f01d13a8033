import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildEngineModel } from '../../../src/core/engine/buildModel';
import { applyEventResults, isEmptyPlan, networkPairKey, parseEngineEvent, planEvents, unsettledNetworkEvents,
  type EngineEvent } from '../../../src/core/engine/engineEvents';
import { engineFixture, engineFixtureLines } from './testFixtures';

const captured = engineFixtureLines('events-start-remove-20.10.24-api1.41.jsonl').map(parseEngineEvent).filter((e): e is EngineEvent => !!e);

describe('parseEngineEvent on captured /events lines', () => {
  it('reads every container and network event of the capture', () => {
    assert.equal(captured.length, 15);
    assert.deepEqual(captured.slice(-3).map((e) => `${e.type} ${e.action}`), ['container die', 'network disconnect', 'container destroy']);
  });

  it('drops other types and keeps only the verb of `exec_start: sh`', () => {
    assert.equal(parseEngineEvent({ Type: 'image', Action: 'pull', Actor: { ID: 'x' } }), undefined);
    assert.equal(parseEngineEvent({ Type: 'container', Action: 'exec_start: sh -c x', Actor: { ID: 'abc' } })!.action, 'exec_start');
    assert.equal(parseEngineEvent('nonsense'), undefined);
  });
});

describe('planEvents', () => {
  it('a container created, started and destroyed in one batch is only dropped', () => {
    const events = captured.filter((e) => e.attributes.name === 'dnd-fx-events' || e.attributes.container?.startsWith('a11aabe110f8'));
    const plan = planEvents(events);
    assert.deepEqual([...plan.removeContainers].map((id) => id.slice(0, 12)), ['a11aabe110f8']);
    assert.equal(plan.refetchContainers.size, 0);
  });

  it('a network connect re-reads the container, not the network', () => {
    const plan = planEvents(captured.slice(0, 1));
    assert.deepEqual([...plan.refetchContainers].map((id) => id.slice(0, 12)), ['a53e41cf388a']);
    assert.equal(plan.refetchNetworks.size, 0);
  });

  it('ignores kill, exec and health events', () => {
    const e = (action: string): EngineEvent => ({ type: 'container', action, id: 'c1', attributes: {} });
    assert.ok(isEmptyPlan(planEvents([e('kill'), e('exec_start'), e('health_status'), e('attach')])));
  });

  it('network create and destroy', () => {
    const n = (action: string, id: string): EngineEvent => ({ type: 'network', action, id, attributes: {} });
    const plan = planEvents([n('create', 'n1'), n('create', 'n2'), n('destroy', 'n2')]);
    assert.deepEqual([...plan.refetchNetworks], ['n1']);
    assert.deepEqual([...plan.removeNetworks], ['n2']);
  });
});

describe('applyEventResults', () => {
  const model = buildEngineModel(engineFixture('networks-with-containers-20.10.24-api1.41.json'), engineFixture('containers-20.10.24-api1.41.json'));
  const containers = engineFixture('containers-20.10.24-api1.41.json') as Array<{ Id: string; Names: string[]; State: string }>;

  it('replaces a re-read container, drops a destroyed one, and leaves the rest as they were', () => {
    const range = containers.find((c) => c.Names[0] === '/dnd-fx-range')!;
    const stopped = model.containers.find((c) => c.name === 'dnd-fx-stopped')!;
    const plan = planEvents([{ type: 'container', action: 'die', id: range.Id, attributes: {} },
      { type: 'container', action: 'destroy', id: stopped.id, attributes: {} }]);
    const next = applyEventResults(model, plan, [{ ...range, State: 'exited', Ports: [] }], undefined);
    assert.deepEqual(next.containers.map((c) => c.name), ['dnd-fx-host', 'dnd-fx-none', 'dnd-fx-range', 'dnd-fx-two-nets']);
    const updated = next.containers.find((c) => c.name === 'dnd-fx-range')!;
    assert.equal(updated.state, 'exited');
    assert.deepEqual(updated.bindings, []);
    assert.equal(next.networks, model.networks, 'networks untouched');
  });

  it('a container asked for but not returned is gone', () => {
    const plan = planEvents([{ type: 'container', action: 'start', id: model.containers[0]!.id, attributes: {} }]);
    const next = applyEventResults(model, plan, [], undefined);
    assert.equal(next.containers.length, model.containers.length - 1);
  });

  it('adds a created network', () => {
    const plan = planEvents([{ type: 'network', action: 'create', id: 'n-new', attributes: {} }]);
    const next = applyEventResults(model, plan, undefined, [{ Id: 'n-new', Name: 'aaa-new', Driver: 'bridge' }]);
    assert.equal(next.networks[0]!.name, 'aaa-new');
    assert.equal(next.networks.length, model.networks.length + 1);
  });
});

describe('unsettledNetworkEvents (the engine sends connect before it saves the endpoint)', () => {
  const model = buildEngineModel(engineFixture('networks-with-containers-20.10.24-api1.41.json'), engineFixture('containers-20.10.24-api1.41.json'));
  const twoNets = model.containers.find((c) => c.name === 'dnd-fx-two-nets')!;
  const onNet = twoNets.endpoints[0]!;
  const offNet = model.networks.find((n) => !twoNets.endpoints.some((ep) => ep.networkId === n.id))!;
  const ev = (action: string, network: { id: string; name: string }, container = twoNets.id): EngineEvent =>
    ({ type: 'network', action, id: network.id, attributes: { container, name: network.name, type: 'bridge' } });
  const on = { id: onNet.networkId, name: onNet.networkName };

  it('a connect the model shows, and a disconnect it shows, are settled', () => {
    assert.ok(twoNets.endpoints.length >= 2, 'the fixture container is on two networks');
    assert.deepEqual(unsettledNetworkEvents(model, [ev('connect', on), ev('disconnect', offNet)]), []);
  });

  it('a connect to a network the container is not listed on yet, and a disconnect it still lists, are not', () => {
    const events = [ev('connect', offNet), ev('disconnect', on)];
    assert.deepEqual(unsettledNetworkEvents(model, events), events);
  });

  it('only the last event of a container and network counts', () => {
    assert.deepEqual(unsettledNetworkEvents(model, [ev('disconnect', on), ev('connect', on)]), []);
    assert.deepEqual(unsettledNetworkEvents(model, [ev('connect', offNet), ev('disconnect', offNet)]), []);
  });

  it('keys connect and disconnect of the same container and network alike, and nothing else', () => {
    assert.equal(networkPairKey(ev('connect', on)), networkPairKey(ev('disconnect', on)));
    assert.notEqual(networkPairKey(ev('connect', on)), networkPairKey(ev('connect', offNet)));
    assert.equal(networkPairKey({ type: 'network', action: 'create', id: on.id, attributes: {} }), undefined);
    assert.equal(networkPairKey({ type: 'container', action: 'start', id: twoNets.id, attributes: {} }), undefined);
  });

  it('ignores containers the model does not hold and other events', () => {
    assert.deepEqual(unsettledNetworkEvents(model,
      [ev('connect', offNet, 'f'.repeat(64)), { type: 'container', action: 'start', id: twoNets.id, attributes: {} }]), []);
  });

  it('matches by network name when the list gives no network id (a container that is not running)', () => {
    const created = { ...twoNets, endpoints: twoNets.endpoints.map((ep) => ({ ...ep, networkId: '' })) };
    const m = { ...model, containers: model.containers.map((c) => c === twoNets ? created : c) };
    assert.deepEqual(unsettledNetworkEvents(m, [ev('connect', on)]), []);
  });
});
