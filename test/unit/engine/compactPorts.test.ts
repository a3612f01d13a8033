import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compactExposedPorts, compactPortBindings, compareBindings, compareHostIps, tableMinEntries,
  type PublishedPortEntry } from '../../../src/core/engine/compactPorts';
import type { PortBinding, PortProtocol } from '../../../src/core/engine/model';

const entry = (hostIp: string, hostPort: number, containerPort: number, protocol: PortProtocol = 'tcp'): PublishedPortEntry =>
  ({ hostIp, protocol, hostPort, containerPort });
const show = (b: PortBinding) => `${b.protocol} ${b.hostIps.join()} ${b.hostStart}-${b.hostEnd} → ${b.containerStart}-${b.containerEnd}`;

/**
 * The meaning, written plainly with an object per entry: runs per host IP and protocol (p+1 → q+1 after p → q, in
 * sorted order, duplicates dropped), then runs with equal ranges on several IPs as one binding, IPv4 first.
 */
function referenceCompaction(entries: readonly PublishedPortEntry[]): string[] {
  const perAddress = new Map<string, PublishedPortEntry[]>();
  for (const e of entries) {
    const key = `${e.hostIp} ${e.protocol}`;
    const list = perAddress.get(key);
    if (list) list.push(e);
    else perAddress.set(key, [e]);
  }
  const runs: Array<{ hostIp: string; protocol: PortProtocol; hostStart: number; hostEnd: number; containerStart: number }> = [];
  for (const list of perAddress.values()) {
    list.sort((a, b) => a.hostPort - b.hostPort || a.containerPort - b.containerPort);
    let last: PublishedPortEntry | undefined;
    for (const e of list) {
      if (last && last.hostPort === e.hostPort && last.containerPort === e.containerPort) continue;
      const run = runs[runs.length - 1];
      if (last && run && e.hostPort === last.hostPort + 1 && e.containerPort === last.containerPort + 1) run.hostEnd = e.hostPort;
      else runs.push({ hostIp: e.hostIp, protocol: e.protocol, hostStart: e.hostPort, hostEnd: e.hostPort, containerStart: e.containerPort });
      last = e;
    }
  }
  const groups = new Map<string, PortBinding>();
  for (const r of runs) {
    const key = `${r.protocol} ${r.hostStart} ${r.hostEnd} ${r.containerStart}`;
    const g = groups.get(key);
    if (g) (g.hostIps as string[]).push(r.hostIp);
    else groups.set(key, { hostIps: [r.hostIp], protocol: r.protocol, hostStart: r.hostStart, hostEnd: r.hostEnd, containerStart: r.containerStart,
      containerEnd: r.containerStart + r.hostEnd - r.hostStart });
  }
  const out = [...groups.values()];
  for (const g of out) (g.hostIps as string[]).sort(compareHostIps);
  return out.sort(compareBindings).map(show);
}

describe('compactPortBindings', () => {
  const cases: Array<{ name: string; input: PublishedPortEntry[]; expected: string[] }> = [
    { name: 'one port', input: [entry('0.0.0.0', 8080, 80)], expected: ['tcp 0.0.0.0 8080-8080 → 80-80'] },
    { name: 'a run, unsorted, both families, one binding IPv4 first',
      input: [entry('::', 3, 3), entry('0.0.0.0', 2, 2), entry('0.0.0.0', 1, 1), entry('::', 1, 1), entry('0.0.0.0', 3, 3), entry('::', 2, 2)],
      expected: ['tcp 0.0.0.0,:: 1-3 → 1-3'] },
    { name: 'a gap splits a run', input: [entry('0.0.0.0', 1, 1), entry('0.0.0.0', 2, 2), entry('0.0.0.0', 4, 4)],
      expected: ['tcp 0.0.0.0 1-2 → 1-2', 'tcp 0.0.0.0 4-4 → 4-4'] },
    { name: 'shifted ranges stay one run', input: [entry('0.0.0.0', 41000, 51000), entry('0.0.0.0', 41001, 51001)],
      expected: ['tcp 0.0.0.0 41000-41001 → 51000-51001'] },
    { name: 'two host ports to one container port are two bindings', input: [entry('0.0.0.0', 8080, 80), entry('0.0.0.0', 8081, 80)],
      expected: ['tcp 0.0.0.0 8080-8080 → 80-80', 'tcp 0.0.0.0 8081-8081 → 80-80'] },
    { name: 'protocols and addresses never merge', input: [entry('0.0.0.0', 53, 53, 'udp'), entry('0.0.0.0', 53, 53), entry('127.0.0.1', 54, 54)],
      expected: ['tcp 0.0.0.0 53-53 → 53-53', 'udp 0.0.0.0 53-53 → 53-53', 'tcp 127.0.0.1 54-54 → 54-54'] },
    { name: 'duplicates collapse', input: [entry('0.0.0.0', 1, 1), entry('0.0.0.0', 1, 1), entry('0.0.0.0', 2, 2)],
      expected: ['tcp 0.0.0.0 1-2 → 1-2'] },
    { name: 'runs that differ per address stay apart (compacted per address first)',
      input: [80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90].flatMap((p) => (p <= 85 ? [entry('0.0.0.0', p, p), entry('::', p, p)] : [entry('0.0.0.0', p, p)])),
      expected: ['tcp :: 80-85 → 80-85', 'tcp 0.0.0.0 80-90 → 80-90'] },
    { name: 'an address that shares only part of the runs',
      input: [entry('::', 81, 81), entry('127.0.0.1', 80, 80), entry('0.0.0.0', 80, 80), entry('::', 80, 80), entry('0.0.0.0', 81, 81)],
      expected: ['tcp 127.0.0.1 80-80 → 80-80', 'tcp 0.0.0.0,:: 80-81 → 80-81'] },
    { name: 'the highest ports', input: [entry('0.0.0.0', 65534, 65534), entry('0.0.0.0', 65535, 65535), entry('0.0.0.0', 1, 65535), entry('0.0.0.0', 2, 1)],
      expected: ['tcp 0.0.0.0 1-1 → 65535-65535', 'tcp 0.0.0.0 2-2 → 1-1', 'tcp 0.0.0.0 65534-65535 → 65534-65535'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(compactPortBindings(c.input).map(show), c.expected);
      assert.deepEqual(referenceCompaction(c.input), c.expected, 'the reference agrees');
    });
  }

  it('compacts 20,000 entries (a 10,000-port range, two families) into one binding', () => {
    const input: PublishedPortEntry[] = [];
    for (let p = 40000; p < 50000; p++) input.push(entry('::', p, p, 'udp'), entry('0.0.0.0', p, p, 'udp'));
    assert.deepEqual(compactPortBindings(input).map(show), ['udp 0.0.0.0,:: 40000-49999 → 40000-49999']);
  });

  it('shares one frozen address list between the bindings on the same addresses', () => {
    const [a, b, c] = compactPortBindings([entry('0.0.0.0', 80, 80), entry('::', 80, 80), entry('::', 90, 90), entry('0.0.0.0', 90, 90), entry('::', 99, 99)]);
    assert.equal(a!.hostIps, b!.hostIps);
    assert.deepEqual(c!.hostIps, ['::']);
    assert.ok(Object.isFrozen(a!.hostIps));
  });

  it('many host IPs (past the linear search and the bit mask) are sorted IPv4 first', () => {
    const ips = Array.from({ length: 40 }, (_, i) => (i % 2 ? `fd00::${i}` : `10.0.0.${i}`));
    const out = compactPortBindings(ips.flatMap((ip) => [entry(ip, 80, 80), entry(ip, 81, 81)]).reverse());
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]!.hostIps, [...ips].sort(compareHostIps));
    assert.equal(show({ ...out[0]!, hostIps: [] }), 'tcp  80-81 → 80-81');
  });

  it('agrees with the plain reference on random inputs', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const ips = ['0.0.0.0', '::', '127.0.0.1', '::1', '192.168.1.2', 'fd00::2', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];
    const protocols: PortProtocol[] = ['tcp', 'udp', 'sctp'];
    for (let round = 0; round < 300; round++) {
      const input: PublishedPortEntry[] = [];
      const addresses = 1 + random(ips.length);
      for (let i = 0, n = random(60); i < n; i++) {
        const host = 1 + random(30);
        const shift = random(4) === 0 ? random(3) : 0;
        input.push(entry(ips[random(addresses)]!, host, host + shift, protocols[random(3)]));
      }
      assert.deepEqual(compactPortBindings(input).map(show), referenceCompaction(input), JSON.stringify(input));
    }
  });
});

describe('compactPortBindings on large containers (placed by host port, not sorted)', () => {
  let seed = 11;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const shuffled = <T>(list: T[]) => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = random(i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  };

  it('a 10,000-port range in random order, with holes, shifts, duplicates and two protocols, agrees with the reference', () => {
    const input: PublishedPortEntry[] = [];
    for (let p = 40000; p < 50000; p++) {
      if (p % 997 === 0) continue; // holes split runs
      const container = p < 45000 ? p : p + 7; // a shifted half
      input.push(entry('0.0.0.0', p, container, 'udp'), entry('::', p, container, 'udp'));
      if (p % 10 === 0) input.push(entry('0.0.0.0', p, container, 'udp')); // duplicates
      if (p % 3 === 0) input.push(entry('127.0.0.1', p - 30000, p - 30000)); // tcp on another address
    }
    input.push(entry('::', 65535, 65535, 'udp'), entry('::', 1, 1, 'sctp'));
    assert.ok(input.length >= tableMinEntries);
    const out = compactPortBindings(shuffled(input)).map(show);
    assert.deepEqual(out, referenceCompaction(input));
    assert.ok(out.includes('udp 0.0.0.0,:: 40000-40876 → 40000-40876'), out.slice(0, 3).join('\n'));
  });

  it('a host port mapped to two container ports (the table cannot hold it) falls back to the sort', () => {
    const input = Array.from({ length: tableMinEntries }, (_, i) => entry('0.0.0.0', 20000 + i, 20000 + i));
    input.push(entry('0.0.0.0', 20005, 80));
    const out = compactPortBindings(shuffled(input)).map(show);
    assert.deepEqual(out, referenceCompaction(input));
    assert.deepEqual(out.slice(0, 3), ['tcp 0.0.0.0 20000-20004 → 20000-20004', 'tcp 0.0.0.0 20005-20005 → 80-80', 'tcp 0.0.0.0 20005-21023 → 20005-21023']);
  });

  it('many addresses and protocols (more pairs than the table takes) agree with the reference', () => {
    const input: PublishedPortEntry[] = [];
    for (let i = 0; i < tableMinEntries + 500; i++) {
      const host = 1 + random(400);
      input.push(entry(`10.0.0.${random(10)}`, host, host, (['tcp', 'udp', 'sctp'] as const)[random(3)]));
    }
    assert.deepEqual(compactPortBindings(input).map(show), referenceCompaction(input));
  });

  it('random large inputs agree with the reference, and a table left clean for the next container', () => {
    for (let round = 0; round < 20; round++) {
      const input: PublishedPortEntry[] = [];
      const collide = round % 4 === 0;
      for (let i = 0; i < tableMinEntries + random(2000); i++) {
        const host = 1 + random(3000);
        input.push(entry(['0.0.0.0', '::', '10.0.0.1'][random(3)]!, host, collide && random(500) === 0 ? host + 1 : host,
          (['tcp', 'udp'] as const)[random(2)]));
      }
      assert.deepEqual(compactPortBindings(input).map(show), referenceCompaction(input), `round ${round}`);
    }
  });
});

describe('compactPortBindings when every address lists the same ports (as engines list a plain -p)', () => {
  let seed = 5;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  /** Each entry of `base` on every address, side by side, in base's order. */
  const sideBySide = (base: Array<[number, number, PortProtocol]>, ips: string[]) =>
    base.flatMap(([host, container, protocol]) => ips.map((ip) => entry(ip, host, container, protocol)));
  const randomBase = (n: number, span: number) => Array.from({ length: n }, (): [number, number, PortProtocol] => {
    const host = 1 + random(span);
    return [host, random(5) ? host : host + 1, (['tcp', 'udp'] as const)[random(2)]];
  });

  it('gives every address the runs, IPv4 first, small and large (placed by host port)', () => {
    for (const [n, span] of [[30, 40], [1500, 3000]] as const) {
      for (const ips of [['::', '0.0.0.0'], ['0.0.0.0', '::', '127.0.0.1']]) {
        const input = sideBySide(randomBase(n, span), ips);
        const out = compactPortBindings(input);
        assert.deepEqual(out.map(show), referenceCompaction(input));
        assert.ok(out.every((b) => b.hostIps.length === ips.length));
      }
    }
  });

  it('one differing entry, a missing one, one moved to the other address, or listed before its pair: still exact', () => {
    for (let round = 0; round < 40; round++) {
      const input = sideBySide(randomBase(20 + random(40), 60), ['0.0.0.0', '::']);
      const at = round % 8 === 2 ? input.length - 1 : 1 + 2 * random(input.length / 2); // an entry of :: (every 8th round the last)
      if (round % 4 === 0) input[at] = { ...input[at]!, hostPort: input[at]!.hostPort + 1 };
      else if (round % 4 === 1) input.splice(at, 1);
      else if (round % 4 === 2) input[at] = { ...input[at]!, hostIp: '0.0.0.0' }; // as many entries, not per address
      else [input[at - 1], input[at]] = [input[at]!, input[at - 1]!];
      assert.deepEqual(compactPortBindings(input).map(show), referenceCompaction(input), `round ${round}`);
    }
  });
});

describe('compactExposedPorts', () => {
  it('merges consecutive and repeated ports per protocol', () => {
    const out = compactExposedPorts([{ protocol: 'tcp', containerPort: 9001 }, { protocol: 'tcp', containerPort: 9000 },
      { protocol: 'tcp', containerPort: 9000 }, { protocol: 'udp', containerPort: 9002 }]);
    assert.deepEqual(out, [{ protocol: 'tcp', containerStart: 9000, containerEnd: 9001 }, { protocol: 'udp', containerStart: 9002, containerEnd: 9002 }]);
  });
});
