import { strict as assert } from 'assert';
import type Docker from 'dockerode';
import type { DockerNetworkDoctorApi } from '../../src/extension/extension';
import { countDockerProxies } from './dockerProxies';
import { activateExtension, removeQuietly, testDocker, testLabels, uniqueName, waitFor } from './helpers';
import { childrenOf, nodeAt, runContainer, showViews } from './treeHelpers';

// Truth: the docker-proxy count the Networks view shows for a container equals the docker-proxy processes the
// engine's host runs for it (counted through /proc by container IP; the test engine runs on this machine).
describe('docker-proxy count in the view equals the processes on the engine host', function () {
  this.timeout(120_000);
  let api: DockerNetworkDoctorApi;
  const docker = testDocker();
  const made: Array<Docker.Container | Docker.Network> = [];
  const netName = uniqueName('dnd-it-truth');
  const prefix = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}`;

  before(async () => {
    api = await activateExtension();
    made.push(await docker.createNetwork({ Name: netName, Driver: 'bridge', Labels: testLabels(), IPAM: { Config: [{ Subnet: `${prefix}.0/24` }] } }));
    await showViews(api);
  });
  after(() => removeQuietly(...made));

  for (const [i, n] of [1, 10, 100].entries()) {
    it(`N = ${n} published TCP ports`, async () => {
      const name = uniqueName(`dnd-it-truth-${n}`);
      const ip = `${prefix}.${10 + i}`;
      const { container } = await runContainer(docker, { name, network: netName, ip, ports: { count: n, protocol: 'tcp' } });
      made.unshift(container);
      const node = await waitFor(`${name} with its ports in the view`, () => {
        const c = nodeAt(api, [netName, name]);
        return c && childrenOf(api, c.node).length > 0 && c;
      });
      const shown = childrenOf(api, node.node)
        .map((p) => Number(/([\d,]+) docker-proxy/.exec(String(p.item.description))?.[1]?.replace(/,/g, '') ?? NaN))
        .reduce((a, b) => a + b, 0);
      const onHost = await waitFor('docker-proxy processes to settle', () => { const c = countDockerProxies(ip); return c === shown && c; }, 10_000)
        .catch(() => countDockerProxies(ip));
      console.log(`      N=${n}: view ${shown} docker-proxy, /proc ${onHost} (container ${ip})`);
      assert.equal(shown, onHost);
      assert.ok(onHost >= n, 'at least one process per port');
      await container.remove({ force: true });
      made.shift();
    });
  }
});
