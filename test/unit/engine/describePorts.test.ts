import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildEngineModel } from '../../../src/core/engine/buildModel';
import { groupBindingsByRange } from '../../../src/core/engine/compactPorts';
import { bindingGroupText, containerDescription, containerTooltip, exposedLabel } from '../../../src/core/engine/describePorts';
import { engineFixture } from './testFixtures';

describe('describePorts on the captured containers', () => {
  const model = buildEngineModel(engineFixture('networks-with-containers-20.10.24-api1.41.json'), engineFixture('containers-20.10.24-api1.41.json'));
  const byName = new Map(model.containers.map((c) => [c.name, c]));

  it('one line per range, both families together, with the docker-proxy count from src/core/cost', () => {
    const c = byName.get('dnd-fx-range')!;
    assert.deepEqual(groupBindingsByRange(c.bindings).map((g) => bindingGroupText(g)), [
      '127.0.0.1 18080/tcp → 80 · 1 port · 1 docker-proxy',
      '0.0.0.0, [::] 40000-40099/udp → 40000-40099 · 100 ports · 200 docker-proxy']);
    assert.deepEqual(c.exposed.map(exposedLabel), ['9000/tcp']);
  });

  it('a shifted range and a single port', () => {
    const c = byName.get('dnd-fx-two-nets')!;
    assert.deepEqual(groupBindingsByRange(c.bindings).map((g) => bindingGroupText(g)), [
      '0.0.0.0, [::] 8081/tcp → 80 · 1 port · 2 docker-proxy',
      '0.0.0.0, [::] 41000-41009/tcp → 51000-51009 · 10 ports · 20 docker-proxy']);
    assert.equal(containerDescription(c, c.endpoints[1]), 'running · 10.78.0.2 · fd00:78::2');
  });

  it('with the userland proxy off there is no docker-proxy', () => {
    const c = byName.get('dnd-fx-range')!;
    const [, range] = groupBindingsByRange(c.bindings);
    assert.equal(bindingGroupText(range!, { userlandProxy: false }), '0.0.0.0, [::] 40000-40099/udp → 40000-40099 · 100 ports · no docker-proxy (userland proxy off)');
  });

  it('the tooltip lists every endpoint and the published total', () => {
    const tip = containerTooltip(byName.get('dnd-fx-two-nets')!);
    assert.match(tip, /on dnd-fx-dual: 10\.78\.0\.2\/24 · fd00:78::2\/64 · MAC 02:42:0a:4e:00:02/);
    assert.match(tip, /publishes 11 host ports · 22 docker-proxy/);
    assert.match(containerTooltip(byName.get('dnd-fx-stopped')!), /not running/);
  });
});
