import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compactExposedPorts, compactPortBindings, groupBindingsByRange, type PublishedPortEntry } from '../../../src/core/engine/compactPorts';

const entry = (hostIp: string, hostPort: number, containerPort: number, protocol: 'tcp' | 'udp' = 'tcp'): PublishedPortEntry =>
  ({ hostIp, protocol, hostPort, containerPort });

describe('compactPortBindings', () => {
  const cases: Array<{ name: string; input: PublishedPortEntry[]; expected: string[] }> = [
    { name: 'one port', input: [entry('0.0.0.0', 8080, 80)], expected: ['tcp 0.0.0.0 8080-8080 → 80-80'] },
    { name: 'a run, unsorted, both families', input: [entry('::', 3, 3), entry('0.0.0.0', 2, 2), entry('0.0.0.0', 1, 1), entry('::', 1, 1), entry('0.0.0.0', 3, 3), entry('::', 2, 2)],
      expected: ['tcp 0.0.0.0 1-3 → 1-3', 'tcp :: 1-3 → 1-3'] },
    { name: 'a gap splits a run', input: [entry('0.0.0.0', 1, 1), entry('0.0.0.0', 2, 2), entry('0.0.0.0', 4, 4)],
      expected: ['tcp 0.0.0.0 1-2 → 1-2', 'tcp 0.0.0.0 4-4 → 4-4'] },
    { name: 'shifted ranges stay one run', input: [entry('0.0.0.0', 41000, 51000), entry('0.0.0.0', 41001, 51001)],
      expected: ['tcp 0.0.0.0 41000-41001 → 51000-51001'] },
    { name: 'two host ports to one container port are two bindings', input: [entry('0.0.0.0', 8080, 80), entry('0.0.0.0', 8081, 80)],
      expected: ['tcp 0.0.0.0 8080-8080 → 80-80', 'tcp 0.0.0.0 8081-8081 → 80-80'] },
    { name: 'protocols and addresses never merge', input: [entry('0.0.0.0', 53, 53, 'udp'), entry('0.0.0.0', 53, 53), entry('127.0.0.1', 54, 54)],
      expected: ['tcp 0.0.0.0 53-53 → 53-53', 'tcp 127.0.0.1 54-54 → 54-54', 'udp 0.0.0.0 53-53 → 53-53'] },
    { name: 'duplicates collapse', input: [entry('0.0.0.0', 1, 1), entry('0.0.0.0', 1, 1), entry('0.0.0.0', 2, 2)],
      expected: ['tcp 0.0.0.0 1-2 → 1-2'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(compactPortBindings(c.input).map((b) => `${b.protocol} ${b.hostIp} ${b.host.start}-${b.host.end} → ${b.container.start}-${b.container.end}`), c.expected);
    });
  }

  it('compacts 20,000 entries (a 10,000-port range, two families) into two bindings', () => {
    const input: PublishedPortEntry[] = [];
    for (let p = 40000; p < 50000; p++) input.push(entry('0.0.0.0', p, p, 'udp'), entry('::', p, p, 'udp'));
    const out = compactPortBindings(input);
    assert.equal(out.length, 2);
    assert.deepEqual(out[0]!.host, { start: 40000, end: 49999 });
  });
});

describe('groupBindingsByRange', () => {
  it('shows 0.0.0.0 and :: of the same range as one group, IPv4 first', () => {
    const groups = groupBindingsByRange(compactPortBindings([entry('::', 80, 80), entry('0.0.0.0', 80, 80), entry('127.0.0.1', 81, 81)]));
    assert.deepEqual(groups.map((g) => [g.hostIps, g.host.start, g.bindings.length]), [[['0.0.0.0', '::'], 80, 2], [['127.0.0.1'], 81, 1]]);
  });
});

describe('compactExposedPorts', () => {
  it('merges consecutive and repeated ports per protocol', () => {
    const out = compactExposedPorts([{ protocol: 'tcp', containerPort: 9001 }, { protocol: 'tcp', containerPort: 9000 },
      { protocol: 'tcp', containerPort: 9000 }, { protocol: 'udp', containerPort: 9002 }]);
    assert.deepEqual(out, [{ protocol: 'tcp', container: { start: 9000, end: 9001 } }, { protocol: 'udp', container: { start: 9002, end: 9002 } }]);
  });
});
