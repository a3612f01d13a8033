import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  calibratedVersions, calibrationNote, calibrations, chooseCalibration, compareEngineVersions, findCalibration, majorMinor,
  type EngineCalibration,
} from '../../../src/core/cost/calibration';
import { costNote, costOfBindings, describeCost, formatMemory, startupSeconds } from '../../../src/core/cost/dockerProxyCost';
import { repoRoot } from '../../paths';

const e20 = chooseCalibration({ engineVersion: '20.10.24' });
const e28 = chooseCalibration({ engineVersion: '28.5.2' });
const row = (v: string): EngineCalibration => findCalibration(v)!;

describe('calibration table (src/core/cost/calibrations.json, written by scripts/probes/calibrate-cost.js)', () => {
  it('has a row for each engine of the test rig: 20.10 (bookworm), 26.1 (trixie), 28.5 (sid), oldest first', () => {
    assert.deepEqual(calibratedVersions(), ['20.10', '26.1', '28.5']);
    assert.deepEqual(calibrations.map((r) => r.suite), ['bookworm', 'trixie', 'sid']);
  });

  it('every row says what it measured, where and with which command', () => {
    for (const r of calibrations) {
      assert.match(r.engine, /^\d+\.\d+\.\d+$/);
      assert.match(r.measuredOn.date, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(r.measuredOn.machine && r.command && r.package, `${r.engine}: machine, command and package`);
    }
  });

  // The same facts measured independently (../shared/recipes/docker-engine/README.md, 2026-12-03, side by side in one
  // run): the probe's rows must agree with them.
  it('agrees with the recipe: one docker-proxy per port and family on all three; 3 iptables rules per port on 20.10 and 26.1, 2 on 28.5', () => {
    for (const r of calibrations) {
      assert.equal(r.proxy.processesPerPortNoHostIp, 2, r.engine);
      assert.equal(r.proxy.processesPerPortWithHostIp, 1, r.engine);
    }
    assert.equal(row('20.10').rulesPerPort.userlandProxy?.iptables?.total, 3);
    assert.equal(row('26.1').rulesPerPort.userlandProxy?.iptables?.total, 3);
    assert.equal(row('28.5').rulesPerPort.userlandProxy?.iptables?.total, 2);
  });

  it('the setting dockerNetworkDoctor.engine.calibration offers exactly the calibrated versions', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const setting = pkg.contributes.configuration.properties['dockerNetworkDoctor.engine.calibration'];
    assert.deepEqual(setting.enum, ['', ...calibratedVersions()]);
    assert.equal(setting.enumDescriptions.length, setting.enum.length);
  });
});

describe('chooseCalibration', () => {
  it('uses the engine\'s own major.minor, whatever its patch or packaging suffix', () => {
    assert.equal(chooseCalibration({ engineVersion: '28.5.2+dfsg4' }).row.engine, row('28.5').engine);
    assert.equal(chooseCalibration({ engineVersion: '28.5.0' }).basis, 'engine');
    assert.equal(calibrationNote(chooseCalibration({ engineVersion: '28.5.1' })), 'Engine 28.5 figures');
  });

  it('an engine without a row of its own gets the newest row not newer than it, and says so', () => {
    const e27 = chooseCalibration({ engineVersion: '27.3.1' });
    assert.deepEqual([majorMinor(e27.row.engine), e27.basis], ['26.1', 'nearest']);
    assert.equal(calibrationNote(e27), 'Engine 26.1 figures (Engine 27.3 is not calibrated; nearest)');
    assert.equal(majorMinor(chooseCalibration({ engineVersion: '29.1.0' }).row.engine), '28.5');
    assert.equal(majorMinor(chooseCalibration({ engineVersion: '19.03.15' }).row.engine), '20.10', 'older than every row: the oldest');
  });

  it('with no engine: the newest row, said as such; a chosen version wins over the engine and is said', () => {
    const none = chooseCalibration();
    assert.deepEqual([none.row, none.basis], [calibrations[calibrations.length - 1], 'no-engine']);
    assert.match(calibrationNote(none), /^Engine \d+\.\d+ figures \(newest calibration; no engine connected\)$/);
    const chosen = chooseCalibration({ engineVersion: '28.5.2', chosenVersion: '20.10' });
    assert.equal(calibrationNote(chosen), 'Engine 20.10 figures (chosen; the engine is 28.5)');
    assert.throws(() => chooseCalibration({ chosenVersion: '23.0' }), /no calibration for Engine 23\.0; calibrated: 20\.10, 26\.1, 28\.5/);
  });

  it('orders versions numerically', () => {
    assert.ok(compareEngineVersions('20.10.24', '9.0') > 0);
    assert.ok(compareEngineVersions('28.5.2', '28.10.0') < 0);
    assert.equal(compareEngineVersions('v28.5', '28.5.0'), 0);
  });
});

describe('costOfBindings', () => {
  it('counts one docker-proxy per port per family: no host IP twice, a host IP once; rules per port from the engine\'s row', () => {
    const groups = [
      { protocol: 'tcp' as const, hostPorts: { start: 8080, end: 8080 } },
      { hostIp: '127.0.0.1', protocol: 'tcp' as const, hostPorts: { start: 9000, end: 9009 } },
    ];
    const on20 = costOfBindings(groups, { calibration: e20 });
    assert.deepEqual([on20.hostPorts, on20.proxyProcesses, on20.iptablesRules, on20.userlandProxy], [11, 12, 33, 'assumed-on']);
    const on28 = costOfBindings(groups, { calibration: e28 });
    assert.deepEqual([on28.hostPorts, on28.proxyProcesses, on28.iptablesRules], [11, 12, 22]);
  });

  it('memory and start-up follow each engine\'s measurements', () => {
    for (const choice of [e20, e28]) {
      const r = choice.row;
      const c = costOfBindings([{ protocol: 'udp', hostPorts: { start: 40000, end: 40499 } }], { calibration: choice });
      assert.equal(c.proxyProcesses, 1000);
      const perProcess = r.proxy.memoryMbPerProcess ?? r.proxy.pssMbPerProcess;
      assert.equal(c.memoryMb, perProcess === null ? undefined : 1000 * perProcess, r.engine);
      const curve = r.startup.userlandProxy;
      assert.equal(c.startupSeconds, curve ? curve.secondsAt1000 * 0.5 ** curve.exponent : undefined, r.engine);
    }
  });

  it('start-up follows a power curve through secondsAt1000', () => {
    const curve = { points: [], secondsAt1000: 45, exponent: 1.85 };
    assert.equal(startupSeconds(1000, curve), 45);
    assert.ok(Math.abs(startupSeconds(2000, curve) / startupSeconds(1000, curve) - 2 ** 1.85) < 1e-9);
    assert.equal(startupSeconds(0, curve), 0);
  });

  it('costs a 1-65535 range in O(1) and reads an engine binding group (0.0.0.0 and :: reported separately)', () => {
    const c = costOfBindings([
      { hostIp: '0.0.0.0', protocol: 'tcp', hostPorts: { start: 1, end: 65535 } },
      { hostIp: '::', protocol: 'tcp', hostPorts: { start: 1, end: 65535 } },
    ], { userlandProxy: true, calibration: e28 });
    assert.deepEqual([c.hostPorts, c.proxyProcesses, c.userlandProxy], [131070, 131070, 'on']);
  });

  it('with the userland proxy off: no processes; rules from the row\'s proxy-off figures when measured', () => {
    for (const choice of [e20, e28]) {
      const c = costOfBindings([{ protocol: 'tcp', hostPorts: { start: 1, end: 100 } }], { userlandProxy: false, calibration: choice });
      const off = choice.row.rulesPerPort.noUserlandProxy?.iptables;
      assert.deepEqual([c.proxyProcesses, c.memoryMb, c.iptablesRules, c.userlandProxy], [0, 0, off ? 100 * off.total : undefined, 'off']);
      assert.match(describeCost(c), /^no docker-proxy \(userland proxy off\)/);
    }
  });

  it('describes figures the way the lens shows them, and says whose they are', () => {
    const c = costOfBindings([{ protocol: 'udp', hostPorts: { start: 40000, end: 50000 } }], { calibration: e28 });
    assert.match(describeCost(c), /^20,002 docker-proxy · ~\d[\d.,]* [MG]B · ~20,002 iptables rules/);
    assert.equal(costNote(c), 'Engine 28.5 figures; assumes the userland proxy is on, the engine default');
    const reported = costOfBindings([{ protocol: 'udp', hostPorts: { start: 1, end: 2 } }],
      { calibration: e28, userlandProxy: true, userlandProxyReported: true });
    assert.equal(costNote(reported), 'Engine 28.5 figures; the engine reports the userland proxy on');
    assert.equal(formatMemory(951), '951 MB');
    assert.equal(formatMemory(1900), '1.9 GB');
  });

  it('an empty set costs nothing; without a calibration the newest row is used', () => {
    const c = costOfBindings([]);
    assert.equal(c.proxyProcesses, 0);
    assert.equal(c.calibration.basis, 'no-engine');
  });
});
