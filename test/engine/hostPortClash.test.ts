// host-port-conflict against the engine, userland proxy on (the rig's engines run with the default): each pair of
// port specs of src/core/compose/hostPortClaims.ts's header, started on the engine and judged by the product
// (clashPairs.ts). hostPortClashProxyOff.test.ts checks the same pairs with the proxy off.
import { after, describe, it } from 'node:test';
import { checkClashPair, clashPairs, shifted } from './clashPairs';
import { ENGINE, engineDocker, Made, rig } from './support';

describe(`host-port clashes on ${ENGINE} (userland proxy on)`, () => {
  const docker = engineDocker();
  const made = new Made();
  after(() => made.removeAll());

  for (const [specA, specB, what] of clashPairs) {
    const a = shifted(specA, 20000);
    const b = shifted(specB, 20000);
    it(`${ENGINE}: ${what} (A ${a}, B ${b}): the product's verdict is the engine's`, (t) =>
      checkClashPair(t, docker, made, ENGINE, a, b, { engineVersion: rig.version }));
  }
});
