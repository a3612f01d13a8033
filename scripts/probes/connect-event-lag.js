// Probe: does the container list lag behind a network connect/disconnect event? (Engine 20.10: yes, see
// docs/performance.md, "Engine events". Engine 28.5.2: yes too, 15 of 16 immediate list calls stale, caught up within 74 ms; it sends
// each disconnect once where 20.10 and 26.1 send it twice. test/engine/networkEvents.test.ts re-checks both on every
// engine of the rig.) Connects and disconnects a running busybox container 20 times, lists it the moment each event
// arrives, and polls until the list shows the change. Re-run it on a newer engine before changing
// unsettledRetryDelaysMs in src/core/engine/liveUpdates.ts.
//   DOCKER_HOST=unix:///tmp/dnd-dev/docker.sock node scripts/probes/connect-event-lag.js
'use strict';
const Docker = require('dockerode');

const testObjects = require('../../test/support/testObjects.json');

const IMAGE = process.env.DND_TEST_IMAGE || testObjects.image;
const LABELS = { [testObjects.label]: 'probe' };

async function main() {
  const d = new Docker(); // DOCKER_HOST, else the default socket
  const suffix = Date.now().toString(36);
  const net = await d.createNetwork({ Name: `dnd-probe-net-${suffix}`, Labels: LABELS });
  const c = await d.createContainer({ Image: IMAGE, Cmd: ['sleep', '600'], name: `dnd-probe-${suffix}`, Labels: LABELS });
  const netName = `dnd-probe-net-${suffix}`;
  const stream = await d.getEvents({ filters: { type: ['network'], network: [netName] } });
  const onNet = async () => {
    const [entry] = await d.listContainers({ all: true, filters: { id: [c.id] } });
    return Object.keys(entry.NetworkSettings.Networks).includes(netName);
  };
  let stale = 0;
  let events = 0;
  const lags = [];
  let wake;
  let buffered = '';
  stream.on('data', async (chunk) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines.filter(Boolean)) {
      const e = JSON.parse(line);
      if ((e.Action !== 'connect' && e.Action !== 'disconnect') || e.Actor.Attributes.container !== c.id) continue;
      events++;
      const want = e.Action === 'connect';
      const t0 = Date.now();
      if ((await onNet()) !== want) {
        stale++;
        while ((await onNet()) !== want && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 2));
        lags.push(Date.now() - t0);
      }
      wake?.();
    }
  });
  try {
    await c.start();
    for (let i = 0; i < 20; i++) {
      const arrived = new Promise((r) => { wake = r; });
      if (i % 2 === 0) await net.connect({ Container: c.id });
      else await net.disconnect({ Container: c.id });
      await arrived;
    }
    await new Promise((r) => setTimeout(r, 200)); // the second disconnect event of Engine 20.10
  } finally {
    stream.destroy();
    await c.remove({ force: true });
    await net.remove();
  }
  const version = await d.version();
  console.log(`Engine ${version.Version}: ${stale} of ${events} list calls made as the event arrived were stale;`
    + ` right after ${lags.sort((a, b) => a - b).join(', ') || '-'} ms`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
