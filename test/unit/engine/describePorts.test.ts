import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildEngineModel } from '../../../src/core/engine/buildModel';
import { chooseCalibration } from '../../../src/core/cost/calibration';
import { costOfBindings } from '../../../src/core/cost/dockerProxyCost';
import { bindingText, costOfEngineBindings, containerDescription, containerTooltip, exposedLabel } from '../../../src/core/engine/describePorts';
import { engineFixture } from './testFixtures';

describe('describePorts on the captured containers', () => {
  const model = buildEngineModel(engineFixture('networks-with-containers-20.10.24-api1.41.json'), engineFixture('containers-20.10.24-api1.41.json'));
  const byName = new Map(model.containers.map((c) => [c.name, c]));

  it('one line per range, both families together, with the docker-proxy count from src/core/cost', () => {
    const c = byName.get('dnd-fx-range')!;
    assert.deepEqual(c.bindings.map((b) => bindingText(b)), [
      '127.0.0.1 18080/tcp → 80 · 1 port · 1 docker-proxy',
      '0.0.0.0, [::] 40000-40099/udp → 40000-40099 · 100 ports · 200 docker-proxy']);
    assert.deepEqual(c.exposed.map(exposedLabel), ['9000/tcp']);
  });

  it('a shifted range and a single port', () => {
    const c = byName.get('dnd-fx-two-nets')!;
    assert.deepEqual(c.bindings.map((b) => bindingText(b)), [
      '0.0.0.0, [::] 8081/tcp → 80 · 1 port · 2 docker-proxy',
      '0.0.0.0, [::] 41000-41009/tcp → 51000-51009 · 10 ports · 20 docker-proxy']);
    assert.equal(containerDescription(c, c.endpoints[1]), 'running · 10.78.0.2 · fd00:78::2');
  });

  it('with the userland proxy off there is no docker-proxy', () => {
    const c = byName.get('dnd-fx-range')!;
    const [, range] = c.bindings;
    assert.equal(bindingText(range!, { userlandProxy: false }),
      '0.0.0.0, [::] 40000-40099/udp → 40000-40099 · 100 ports · no docker-proxy (userland proxy off)');
  });

  it('counts a binding on 0.0.0.0, :: and another address as the cost model counts its groups', () => {
    const [b] = buildEngineModel([], [{ Id: 'x', Ports: ['0.0.0.0', '::', '127.0.0.1'].flatMap((IP) =>
      [40000, 40001, 40002].map((p) => ({ IP, PublicPort: p, PrivatePort: p, Type: 'udp' }))) }]).containers[0]!.bindings;
    assert.deepEqual(b!.hostIps, ['0.0.0.0', '127.0.0.1', '::']);
    const hostPorts = { start: 40000, end: 40002 };
    for (const userlandProxy of [undefined, true, false]) {
      assert.deepEqual(costOfEngineBindings([b!], { userlandProxy }),
        costOfBindings([{ protocol: 'udp', hostPorts }, { hostIp: '127.0.0.1', protocol: 'udp', hostPorts }], userlandProxy === undefined ? {}
          : { userlandProxy }));
    }
    assert.equal(costOfEngineBindings([b!]).proxyProcesses, 9);
    // 6 host ports: 3 on 0.0.0.0 + :: and 3 on 127.0.0.1, with each engine's rules per port
    assert.equal(costOfEngineBindings([b!], { calibration: chooseCalibration({ engineVersion: '20.10.24' }) }).iptablesRules, 18);
    assert.equal(costOfEngineBindings([b!], { calibration: chooseCalibration({ engineVersion: '28.5.2' }) }).iptablesRules, 12);
  });

  it('the tooltip lists every endpoint and the published total', () => {
    const tip = containerTooltip(byName.get('dnd-fx-two-nets')!);
    assert.match(tip, /on dnd-fx-dual: 10\.78\.0\.2\/24 · fd00:78::2\/64 · MAC 02:42:0a:4e:00:02/);
    assert.match(tip, /publishes 11 host ports · 22 docker-proxy/);
    assert.match(containerTooltip(byName.get('dnd-fx-stopped')!), /not running/);
  });
});
