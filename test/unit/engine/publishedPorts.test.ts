import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { chooseCalibration } from '../../../src/core/cost/calibration';
import { buildEngineModel } from '../../../src/core/engine/buildModel';

// the captures are Engine 20.10.24's: its figures (3 iptables rules per port)
const e20 = { calibration: chooseCalibration({ engineVersion: '20.10.24' }) };
import { compareRanges, hostIpsCollide, publishedPorts, sortRanges, type PublishedRange } from '../../../src/core/engine/publishedPorts';
import { engineFixture } from './testFixtures';

const container = (id: string, ports: Array<[string, number, number, string?]>) =>
  ({ Id: id, Names: [`/${id}`], State: 'running', Ports: ports.map(([IP, PublicPort, PrivatePort, Type = 'tcp']) => ({ IP, PublicPort, PrivatePort, Type })) });

describe('publishedPorts', () => {
  it('lists the captured engine\'s host ranges sorted, with totals', () => {
    const model = buildEngineModel(engineFixture('networks-with-containers-20.10.24-api1.41.json'), engineFixture('containers-20.10.24-api1.41.json'));
    const s = publishedPorts(model, e20);
    assert.deepEqual(s.ranges.map((r) => `${r.binding.hostStart}-${r.binding.hostEnd}/${r.binding.protocol} ${r.container.name}`), [
      '8081-8081/tcp dnd-fx-two-nets', '18080-18080/tcp dnd-fx-range', '40000-40099/udp dnd-fx-range', '41000-41009/tcp dnd-fx-two-nets']);
    assert.equal(s.hostPorts, 1 + 1 + 100 + 10);
    assert.equal(s.proxyProcesses, 2 + 1 + 200 + 20);
    // src/core/cost: 3 rules per host port; a plain -p (0.0.0.0 and ::) counts its ports once
    assert.equal(s.iptablesRules, 3 * (1 + 1 + 100 + 10));
    assert.equal(s.figuresFor, 'Engine 20.10 figures');
    assert.equal(s.overlappingRanges, 0);
  });

  it('finds overlaps on the same protocol and colliding addresses only', () => {
    const model = buildEngineModel([], [
      container('a', [['0.0.0.0', 8000, 8000], ['0.0.0.0', 8001, 8001]]),
      container('b', [['127.0.0.1', 8001, 80]]),
      container('c', [['0.0.0.0', 8001, 80, 'udp']]),
      container('d', [['::1', 8000, 80]]),
    ]);
    const s = publishedPorts(model, e20);
    const overlapsOf = (name: string, protocol = 'tcp') => {
      const r = s.ranges.find((x) => x.container.name === name && x.binding.protocol === protocol)!;
      return r.overlaps.map((i) => s.ranges[i]!.container.name).sort();
    };
    assert.deepEqual(overlapsOf('a'), ['b']);
    assert.deepEqual(overlapsOf('c', 'udp'), []);
    assert.deepEqual(overlapsOf('d'), []);
    assert.equal(s.overlappingRanges, 2);
  });

  it('sorts by packed keys as the comparator does, ties by address and container name', () => {
    const model = buildEngineModel([], [
      container('z', [['0.0.0.0', 80, 80], ['::', 80, 80], ['0.0.0.0', 81, 81, 'udp'], ['127.0.0.1', 80, 80]]),
      container('a', [['0.0.0.0', 80, 81], ['::1', 80, 80], ['0.0.0.0', 80, 80, 'sctp'], ['0.0.0.0', 79, 79]]),
      container('m', [['10.0.0.1', 80, 80], ['0.0.0.0', 80, 80, 'udp'], ['0.0.0.0', 81, 81], ['0.0.0.0', 82, 82]]),
    ]);
    const ranges: PublishedRange[] = model.containers.flatMap((c) => c.bindings.map((binding) => ({ container: c, binding, overlaps: [] })));
    const packed = sortRanges([...ranges]);
    const show = (r: PublishedRange) => `${r.binding.hostStart}-${r.binding.hostEnd}/${r.binding.protocol} ${r.binding.hostIps.join()} ${r.container.name}`;
    assert.deepEqual(packed.map(show), [...ranges].sort(compareRanges).map(show));
    assert.deepEqual(sortRanges([...ranges], 0).map(show), packed.map(show), 'the comparator-only path (past the packed limit) agrees');
    assert.deepEqual(packed.slice(0, 5).map(show), ['79-79/tcp 0.0.0.0 a', '80-80/tcp 0.0.0.0 a', '80-80/tcp 0.0.0.0,127.0.0.1,:: z',
      '80-80/tcp 10.0.0.1 m', '80-80/tcp ::1 a']);
  });

  it('hostIpsCollide: wildcards per family', () => {
    assert.ok(hostIpsCollide('0.0.0.0', '127.0.0.1'));
    assert.ok(hostIpsCollide('::', '::1'));
    assert.ok(!hostIpsCollide('0.0.0.0', '::'));
    assert.ok(!hostIpsCollide('127.0.0.1', '127.0.0.2'));
  });
});
