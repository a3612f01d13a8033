// default-bridge-no-dns against the engine (src/core/compose/rules/default-bridge-no-dns.ts): whether a container reaches another
// by name on a user-defined network, on the default bridge, on the default bridge with a link, and from a
// user-defined network to the default bridge (by name and by address). Each case is compared with the product's
// finding for the compose file that places `app` and `db` the same way.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { analyzeComposeText } from '../../src/core/compose/analyzeCompose';
import { ENGINE, engineDocker, fact, Made, runToEnd, startContainer, testLabels, uniqueName } from './support';

/** The product's default-bridge-no-dns message for app (depends on db), each placed by `network_mode` or not. */
function productFinding(app: string, db: string): string | undefined {
  const text = `services:\n  app:\n    image: dnd-test/busybox\n    depends_on: [db]\n${app}  db:\n    image: dnd-test/busybox\n${db}`;
  return analyzeComposeText(text, 'compose.yaml').findings.find((f) => f.code === 'default-bridge-no-dns')?.message;
}
const bridgeMode = '    network_mode: bridge\n';

describe(`default-bridge DNS on ${ENGINE}`, () => {
  const docker = engineDocker();
  const made = new Made();
  const network = uniqueName('dnd-engine-dns');
  const onNetwork = uniqueName('dnd-db-net');
  const onBridge = uniqueName('dnd-db-bridge');
  let bridgeAddress = '';

  before(async () => {
    made.network(await docker.createNetwork({ Name: network, Labels: testLabels() }));
    for (const [name, mode] of [[onNetwork, network], [onBridge, 'bridge']] as const) {
      const { error } = await startContainer(docker, made, { name, cmd: ['sleep', '600'], networkMode: mode });
      assert.equal(error, undefined, `${ENGINE}: ${error}`);
    }
    const inspected = await docker.getContainer(onBridge).inspect();
    bridgeAddress = inspected.NetworkSettings.Networks.bridge!.IPAddress;
  });
  after(() => made.removeAll());

  /** ping once from a new container: whether the name resolved and whether the target answered. */
  async function ping(t: TestContext, target: string, opts: { networkMode: string; links?: string[] }, what: string) {
    const r = await runToEnd(docker, made, ['ping', '-c', '1', '-W', '2', target], opts);
    const resolved = !/bad address/.test(r.output);
    const answered = r.exitCode === 0;
    const name = /[a-z]/i.test(target) ? `${resolved ? 'resolves' : 'does not resolve'}${resolved ? ', ' : ''}` : '';
    fact(t, `${what}: ${name}${resolved ? (answered ? 'answers' : 'does not answer') : ''} (${r.output.trim().split('\n')[0]})`);
    return { resolved, answered };
  }

  it(`${ENGINE}: on a user-defined network a name resolves; the product says nothing`, async (t) => {
    const r = await ping(t, onNetwork, { networkMode: network }, 'a name on a user-defined network');
    assert.ok(r.resolved && r.answered);
    assert.equal(productFinding('', ''), undefined);
  });

  it(`${ENGINE}: on the default bridge a name does not resolve; the product reports it`, async (t) => {
    const r = await ping(t, onBridge, { networkMode: 'bridge' }, 'a name on the default bridge');
    assert.equal(r.resolved, false);
    assert.match(productFinding(bridgeMode, bridgeMode) ?? '', /default bridge \(network_mode: bridge\), which has no DNS/);
  });

  it(`${ENGINE}: on the default bridge a link makes the name resolve; the product says nothing`, async (t) => {
    const r = await ping(t, onBridge, { networkMode: 'bridge', links: [`${onBridge}:${onBridge}`] }, 'a linked name on the default bridge');
    assert.ok(r.resolved && r.answered);
    assert.equal(productFinding(`${bridgeMode}    links: [db]\n`, bridgeMode), undefined);
  });

  it(`${ENGINE}: from a user-defined network the default bridge is reached neither by name nor by address; the product reports it`, async (t) => {
    const byName = await ping(t, onBridge, { networkMode: network }, 'a default-bridge name from a user-defined network');
    const byAddress = await ping(t, bridgeAddress, { networkMode: network }, `a default-bridge address (${bridgeAddress}) from a user-defined network`);
    const fromBridge = await ping(t, bridgeAddress, { networkMode: 'bridge' }, `the same address from the default bridge`);
    assert.equal(byName.resolved, false);
    assert.equal(byAddress.answered, false);
    assert.equal(fromBridge.answered, true, `${ENGINE}: ${bridgeAddress} does not answer pings at all`);
    assert.match(productFinding('', bridgeMode) ?? '', /cannot reach db by name \(no DNS across them\) nor by address/);
  });
});
