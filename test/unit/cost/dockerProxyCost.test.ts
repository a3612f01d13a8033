import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { costOfBindings, describeCost, formatMemory, startupSeconds } from '../../../src/core/cost/dockerProxyCost';

describe('costOfBindings', () => {
  it('counts one docker-proxy per port per family: no host IP twice, a host IP once', () => {
    const c = costOfBindings([
      { protocol: 'tcp', hostPorts: { start: 8080, end: 8080 } },
      { hostIp: '127.0.0.1', protocol: 'tcp', hostPorts: { start: 9000, end: 9009 } },
    ]);
    assert.deepEqual([c.hostPorts, c.proxyProcesses, c.iptablesRules, c.userlandProxy], [11, 12, 33, 'assumed-on']);
  });

  it('matches the calibration: 500 ports without host IP → 1,000 processes, ~951 MB; 1,000 ports → 45 s', () => {
    const c = costOfBindings([{ protocol: 'udp', hostPorts: { start: 40000, end: 40499 } }]);
    assert.equal(c.proxyProcesses, 1000);
    assert.equal(Math.round(c.memoryMb), 951);
    assert.equal(Math.round(startupSeconds(1000)), 45);
    assert.ok(startupSeconds(2000) / startupSeconds(1000) > 3.5 && startupSeconds(2000) / startupSeconds(1000) < 3.7); // 2^1.85 ≈ 3.6
  });

  it('costs a 1-65535 range in O(1) and reads an engine binding group (0.0.0.0 and :: reported separately)', () => {
    const c = costOfBindings([
      { hostIp: '0.0.0.0', protocol: 'tcp', hostPorts: { start: 1, end: 65535 } },
      { hostIp: '::', protocol: 'tcp', hostPorts: { start: 1, end: 65535 } },
    ], { userlandProxy: true });
    assert.deepEqual([c.hostPorts, c.proxyProcesses, c.userlandProxy], [131070, 131070, 'on']);
  });

  it('with the userland proxy off: no processes, iptables rules stay', () => {
    const c = costOfBindings([{ protocol: 'tcp', hostPorts: { start: 1, end: 100 } }], { userlandProxy: false });
    assert.deepEqual([c.proxyProcesses, c.memoryMb, c.iptablesRules, c.startupSeconds, c.userlandProxy], [0, 0, 300, undefined, 'off']);
    assert.equal(describeCost(c), 'no docker-proxy (userland proxy off) · ~300 iptables rules');
  });

  it('describes figures the way the lens shows them', () => {
    const c = costOfBindings([{ protocol: 'udp', hostPorts: { start: 40000, end: 50000 } }]);
    assert.equal(describeCost(c), '20,002 docker-proxy · ~19 GB · ~30,003 iptables rules · ~53 min to start');
    assert.equal(formatMemory(951), '951 MB');
    assert.equal(formatMemory(1900), '1.9 GB');
  });

  it('an empty set costs nothing', () => {
    assert.deepEqual(costOfBindings([]).proxyProcesses, 0);
  });
});
