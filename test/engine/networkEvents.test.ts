// Network connect/disconnect events against the engine: the live updates (src/extension/engineSession.ts) re-read a
// container when an event names it, and read it again after unsettledRetryDelaysMs while the list does not show the
// change yet (unsettledNetworkEvents; docs/performance.md, "Engine events": Engine 20.10 sends the event before it saves the
// endpoint, and sends every disconnect twice). Here each event is handled the way the session does, with the product's
// core, the moment it arrives (the worst case: the session's 75 ms batching usually hides the lag). The test checks
// that every change shows within the retry delays and that a repeated disconnect asks for no retry. It states how
// often the list lagged, by how much, and how many events a disconnect sends.
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import type { EngineModel } from '../../src/core/engine/model';
import { buildEngineModel } from '../../src/core/engine/buildModel';
import { applyEventResults, planEvents, unsettledNetworkEvents, type EngineEvent } from '../../src/core/engine/engineEvents';
import { watchNetworkEvents } from '../support/engineEventStream';
import { unsettledRetryDelaysMs } from '../../src/core/engine/liveUpdates';
import { ENGINE, engineDocker, engineMinor, fact, Made, startContainer, testLabels, uniqueName, waitFor } from './support';

/** Events per `docker network disconnect`, as recorded per engine (docs/performance.md, "Engine events"; this test). */
const disconnectEventsRecorded: Record<string, number> = { '20.10': 2, '26.1': 2, '28.5': 1 };

const rounds = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`network connect/disconnect events on ${ENGINE}`, () => {
  const docker = engineDocker();
  const made = new Made();
  after(() => made.removeAll());

  it(`${ENGINE}: every change shows within the product's retry delays; a repeated disconnect asks for no retry`, async (t) => {
    const netName = uniqueName('dnd-engine-events');
    const network = made.network(await docker.createNetwork({ Name: netName, Labels: testLabels() }));
    const { container, error } = await startContainer(docker, made, { cmd: ['sleep', '600'] });
    assert.equal(error, undefined);
    // a second container whose connect, after each disconnect, marks the place in the event stream: the engine logs
    // its events in order, so once the marker's event is read, a repeated disconnect (Engine 20.10) has been read too
    const marker = await startContainer(docker, made, { cmd: ['sleep', '600'] });
    assert.equal(marker.error, undefined);
    let markerEvents = 0;
    const listOne = () => docker.listContainers({ all: true, filters: { id: [container.id] } });
    let model: EngineModel = buildEngineModel(await docker.listNetworks({ filters: { id: [network.id] } }), await listOne());

    const handled: { event: EngineEvent; staleReads: number; settledMs: number; repeat: boolean }[] = [];
    const lastAction = new Map<string, string>();
    /** The session's handling of one event: plan, id-filtered list, merge, then re-read while unsettled. */
    const handle = async (event: EngineEvent) => {
      const t0 = Date.now();
      const repeat = lastAction.get(event.id) === event.action;
      lastAction.set(event.id, event.action);
      const plan = planEvents([event]);
      model = applyEventResults(model, plan, await listOne(), undefined);
      let staleReads = 0;
      for (const delay of [...unsettledRetryDelaysMs, undefined]) {
        if (!unsettledNetworkEvents(model, [event]).length) break;
        staleReads++;
        assert.ok(delay !== undefined, `${ENGINE}: the container list still did not show the ${event.action} after ${Date.now() - t0} ms, past every retry`);
        await sleep(delay);
        model = applyEventResults(model, plan, await listOne(), undefined);
      }
      handled.push({ event, staleReads, settledMs: Date.now() - t0, repeat });
    };

    let chain = Promise.resolve();
    let failure: unknown;
    const stream = await watchNetworkEvents(docker, netName, (event) => {
      if (event.attributes.container === marker.container.id) { markerEvents++; return; }
      if (event.attributes.container !== container.id || (event.action !== 'connect' && event.action !== 'disconnect')) return;
      chain = chain.then(() => handle(event)).catch((e) => { failure ??= e; });
    });
    const count = (action: string) => handled.filter((h) => h.event.action === action).length;
    try {
      for (let i = 1; i <= rounds; i++) {
        await network.connect({ Container: container.id });
        await waitFor(`connect event ${i}`, () => failure !== undefined || count('connect') >= i);
        await network.disconnect({ Container: container.id });
        await waitFor(`disconnect event ${i}`, () => failure !== undefined || handled.filter((h) => h.event.action === 'disconnect' && !h.repeat).length >= i);
        // a repeated disconnect (Engine 20.10) comes right after the first: read up to the marker before the next connect
        const seen = markerEvents;
        await (i % 2 ? network.connect({ Container: marker.container.id }) : network.disconnect({ Container: marker.container.id }));
        await waitFor(`the marker's event after disconnect ${i}`, () => failure !== undefined || markerEvents > seen);
        if (failure) break;
      }
      await chain;
    } finally {
      stream.destroy();
    }
    if (failure) throw failure;

    const stale = handled.filter((h) => h.staleReads > 0 && !h.repeat);
    const first = handled.filter((h) => !h.repeat);
    const repeats = handled.filter((h) => h.repeat);
    const perDisconnect = count('disconnect') / rounds;
    const slowest = Math.max(0, ...stale.map((h) => h.settledMs));
    fact(t, `${stale.length} of ${first.length} connect/disconnect events came before the container list showed them;`
      + ` the list caught up within ${slowest} ms (retry delays ${unsettledRetryDelaysMs.join(', ')} ms)`);
    fact(t, `${perDisconnect} disconnect event${perDisconnect === 1 ? '' : 's'} per disconnect, ${count('connect') / rounds} connect event per connect`);

    assert.equal(count('connect'), rounds, `${ENGINE}: one connect event per connect`);
    assert.ok(repeats.every((h) => h.event.action === 'disconnect'), `${ENGINE}: only disconnects repeat`);
    assert.ok(repeats.every((h) => h.staleReads === 0), `${ENGINE}: a repeated disconnect made the product read again`);
    const recorded = disconnectEventsRecorded[engineMinor()];
    if (recorded === undefined) {
      fact(t, `no recorded disconnect event count for Engine ${engineMinor()}: record ${perDisconnect} in disconnectEventsRecorded`);
    } else {
      assert.equal(perDisconnect, recorded, `${ENGINE}: disconnect events per disconnect (recorded: ${recorded})`);
    }
  });
});
