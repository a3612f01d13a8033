// host-port-conflict against an engine with the userland proxy off: a second private engine of the same build as the
// one under test, started here with `--userland-proxy=false` in a network namespace of its own (scripts/lib/engine.js),
// and the pairs of clashPairs.ts judged by it and by the product with `userlandProxy: false` (what a user's setting
// or an engine reporting the proxy off gives). Needs root and a private engine (not DOCKER_HOST): skipped otherwise.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { userlandProxyFromInfo } from '../../src/core/engine/engineInfo';
import { engineLabel } from '../support/engineRig';
import { checkClashPair, clashPairs, shifted } from './clashPairs';
import { engineDocker, fact, Made, rig, testLabels, uniqueName } from './support';

interface AcquiredEngine { host: string; version: string; stop(): Promise<void> }
const engineLib = require('../../scripts/lib/engine') as {
  acquireEngine(opts: { engine?: string; dir?: string; requireEngine?: boolean; userlandProxy?: boolean }): Promise<AcquiredEngine | null>;
};

const why = rig.suite === 'given' ? 'the engine is given by DOCKER_HOST: no build to start a second one of'
  : process.getuid?.() !== 0 ? 'not root: no private engine can be started' : undefined;

describe(`host-port clashes on ${engineLabel(rig)} with --userland-proxy=false`, { skip: why }, () => {
  let engine: AcquiredEngine | null = null;
  let docker: Docker;
  let label = '';
  const made = new Made();

  before(async () => {
    // acquireEngine uses DOCKER_HOST when it is set: this one is the engine under test, not the one to start
    const given = process.env.DOCKER_HOST;
    delete process.env.DOCKER_HOST;
    try {
      engine = await engineLib.acquireEngine({ engine: rig.suite, dir: `/tmp/dnd-np-${process.pid}`, requireEngine: true, userlandProxy: false });
    } finally {
      process.env.DOCKER_HOST = given;
    }
    docker = engineDocker(engine!.host);
    label = `${engineLabel({ ...rig, version: engine!.version })} with --userland-proxy=false`;
  });
  after(async () => {
    await made.removeAll();
    await engine?.stop();
  });

  it(`${engineLabel(rig)}, proxy off: /info reports it off, or does not say (then only the setting can tell the product)`, async (t) => {
    const info = await docker.info() as Record<string, unknown>;
    const reported = userlandProxyFromInfo(info);
    fact(t, `/info FirewallBackend ${info.FirewallBackend === undefined ? 'absent' : JSON.stringify(info.FirewallBackend)}: the userland proxy `
      + `${reported === undefined
        ? 'not reported, so the figures assume it on unless dockerNetworkDoctor.engine.userlandProxy is false'
        : `reported ${reported ? 'on' : 'off'}`}`, label);
    if (reported !== undefined) assert.equal(reported, false, `${label}: /info reports the proxy on`);
  });

  for (const [specA, specB, what] of clashPairs) {
    const a = shifted(specA, 21000);
    const b = shifted(specB, 21000);
    it(`${engineLabel(rig)}, proxy off: ${what} (A ${a}, B ${b}): the product's verdict is the engine's`, (t) =>
      checkClashPair(t, docker, made, label, a, b, { engineVersion: engine!.version, userlandProxy: false }));
  }

  // without the proxy IPv6 host ports are bound only for containers on a network with IPv6: the IPv6 pairs there
  describe('on a network with IPv6', () => {
    const network = uniqueName('dnd-engine-v6');
    const compose = 'networks:\n  default:\n    enable_ipv6: true\n';
    before(async () => {
      made.network(await docker.createNetwork({ Name: network, EnableIPv6: true, Labels: testLabels(),
        IPAM: { Config: [{ Subnet: '172.31.250.0/24' }, { Subnet: 'fd00:dd:f::/64' }] } }));
    });
    for (const [specA, specB, what] of clashPairs.filter(([a, b]) => /\[/.test(a + b) && !/127\./.test(a + b))) {
      const a = shifted(specA, 21100);
      const b = shifted(specB, 21100);
      it(`${engineLabel(rig)}, proxy off, on a network with IPv6: ${what} (A ${a}, B ${b}): the product's verdict is the engine's`, (t) =>
        checkClashPair(t, docker, made, `${label}, on a network with IPv6`, a, b, { engineVersion: engine!.version, userlandProxy: false },
          { network, compose }));
    }
  });
});
