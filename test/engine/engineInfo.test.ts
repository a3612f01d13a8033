// What `/info` says that the product reads, against the engine: `FirewallBackend` (absent on Engine 20.10 and 26.1,
// `{"Driver":"iptables"}` on 28.5; Engine 29 adds `Info` pairs with the userland proxy state), and the userland proxy
// report the cost figures name (src/core/engine/engineInfo.ts), compared with the docker-proxy processes the engine
// really starts for a published port.
import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import { after, describe, it } from 'node:test';
import { costOfPortCounts, userlandProxyNote } from '../../src/core/cost/dockerProxyCost';
import { userlandProxyFromInfo } from '../../src/core/engine/engineInfo';
import { ENGINE, engineDocker, engineMinor, fact, Made, rig, startContainer } from './support';

/** `FirewallBackend` as each engine reported it (undefined: absent). */
const firewallBackendRecorded: Record<string, unknown> = { '20.10': undefined, '26.1': undefined, '28.5': { Driver: 'iptables' } };

/** docker-proxy processes of the engine under test (children of its dockerd) for `hostPort`. */
function dockerProxiesFor(hostPort: number): string[][] {
  const out: string[][] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!argv[0]?.endsWith('docker-proxy') || argv[argv.indexOf('-host-port') + 1] !== String(hostPort)) continue;
      const ppid = Number(/^PPid:\s*(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      if (ppid === rig.pid) out.push(argv);
    } catch { /* gone meanwhile */ }
  }
  return out;
}

describe(`/info on ${ENGINE}`, () => {
  const docker = engineDocker();
  const made = new Made();
  after(() => made.removeAll());

  it(`${ENGINE}: FirewallBackend is what was recorded for this engine`, async (t) => {
    const info = await docker.info() as Record<string, unknown>;
    const backend = info.FirewallBackend;
    fact(t, `/info FirewallBackend: ${backend === undefined ? 'absent' : JSON.stringify(backend)}`);
    const minor = engineMinor();
    if (!(minor in firewallBackendRecorded)) {
      fact(t, `no recorded FirewallBackend for Engine ${minor}: record ${JSON.stringify(backend ?? null)} in firewallBackendRecorded`);
      return;
    }
    assert.deepEqual(backend, firewallBackendRecorded[minor], `${ENGINE}: FirewallBackend`);
  });

  it(`${ENGINE}: the userland proxy report the figures name matches the docker-proxy processes the engine starts`,
    { skip: rig.pid ? undefined : 'the engine is given by DOCKER_HOST: its dockerd pid, and so its docker-proxy processes, are unknown' }, async (t) => {
      const info = await docker.info();
      const reported = userlandProxyFromInfo(info);
      const { error } = await startContainer(docker, made, { cmd: ['sleep', '300'], ports: ['30180:80'] });
      assert.equal(error, undefined);
      const proxies = dockerProxiesFor(30180);
      const on = proxies.length > 0;
      // what the cost figures say: the engine's report, or the default assumed (the setting left at its default)
      const note = userlandProxyNote(costOfPortCounts(1, 2, reported === undefined ? {} : { userlandProxy: reported, userlandProxyReported: true }));
      fact(t, `/info reports the userland proxy ${reported === undefined ? 'not at all' : reported ? 'on' : 'off'}; the engine started `
        + `${proxies.length} docker-proxy for one published port (${proxies.map((a) => a[a.indexOf('-host-ip') + 1]).join(', ')}); the figures say "${note}"`);
      if (reported !== undefined) assert.equal(reported, on, `${ENGINE} reports the proxy ${reported ? 'on' : 'off'}`);
      else assert.equal(on, true, `${ENGINE} does not report the proxy and the figures assume it on, but no docker-proxy runs`);
      assert.equal(proxies.length, 2, `${ENGINE}: one docker-proxy per address family for a port without a host IP`);
    });
});
