import { strict as assert } from 'assert';
import type Docker from 'dockerode';
import * as vscode from 'vscode';
import type { EngineEvent } from '../../src/core/engine/engineEvents';
import { watchNetworkEvents } from '../support/engineEventStream';
import type { TestSeam } from '../../src/extension/testing';
import { activateExtension, removeQuietly, testDocker, testLabels, uniqueName, waitFor } from './helpers';
import { nodeAt, runContainer, showViews } from './treeHelpers';

/** A random /24 in 10.200-249.x, so concurrent runs on the shared engine do not collide. */
function randomSubnet(): string {
  return `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}`;
}

describe('Networks view: networks → containers → port ranges, live from the real engine', function () {
  this.timeout(60_000);
  let api: TestSeam;
  const docker = testDocker();
  const made: Array<Docker.Container | Docker.Network> = [];
  const netA = uniqueName('dnd-it-a');
  const netB = uniqueName('dnd-it-b');
  const webName = uniqueName('dnd-it-web');
  const twoName = uniqueName('dnd-it-two');
  const [a, b] = [randomSubnet(), randomSubnet()];
  let base = 0;

  before(async () => {
    api = await activateExtension();
    for (const [name, prefix] of [[netA, a], [netB, b]] as const) {
      made.push(await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: testLabels(),
        IPAM: { Config: [{ Subnet: `${prefix}.0/24`, Gateway: `${prefix}.1` }] } }));
    }
    const web = await runContainer(docker, { name: webName, network: netA, ip: `${a}.10`, ports: { count: 100, protocol: 'udp' } });
    made.unshift(web.container);
    base = web.base;
    const two = await runContainer(docker, { name: twoName, network: netA, ip: `${a}.11` });
    made.unshift(two.container);
    await docker.getNetwork(netB).connect({ Container: twoName, EndpointConfig: { IPAMConfig: { IPv4Address: `${b}.11` } } });
    await showViews(api);
  });
  after(() => removeQuietly(...made));

  it('shows the network with subnet and gateway, the containers with their addresses, and one compacted range', async () => {
    const web = await waitFor('the 100-port container with its range', () => {
      const n = nodeAt(api, [netA, webName]);
      return n && api.networksTree.getChildren(n.node).length > 0 && n;
    });
    assert.equal(nodeAt(api, [netA])!.item.description, `bridge · ${a}.0/24 via ${a}.1`);
    assert.equal(web.item.description, `running · ${a}.10`);
    const ports = api.networksTree.getChildren(web.node).map((n) => api.networksTree.getTreeItem(n));
    assert.deepEqual(ports.map((p) => `${p.label} · ${p.description}`),
      [`0.0.0.0, [::] ${base}-${base + 99}/udp → ${base}-${base + 99} · 100 ports · 200 docker-proxy`]);
    const two = await waitFor('the second container on both networks', () => nodeAt(api, [netA, twoName]) && nodeAt(api, [netB, twoName]) && true);
    assert.ok(two);
    assert.equal(nodeAt(api, [netA, twoName])!.item.description, `running · ${a}.11`);
    assert.equal(nodeAt(api, [netB, twoName])!.item.description, `running · ${b}.11`);
  });

  it('lists the range in the Published ports view', async () => {
    const range = await waitFor('the range in Published ports', () => api.portsTree.getChildren().map((n) => api.portsTree.getTreeItem(n))
      .find((i) => i.label === `${base}-${base + 99}/udp`));
    assert.equal(range.description, `0.0.0.0, [::] → ${webName}:${base}-${base + 99} · 100 ports · 200 docker-proxy`);
  });

  it('a container started and removed elsewhere appears and disappears within a second, without a refresh', async () => {
    const name = uniqueName('dnd-it-live');
    let t0 = Date.now();
    const { container } = await runContainer(docker, { name, network: netB });
    made.unshift(container);
    t0 = Date.now();
    await waitFor(`${name} in the view`, () => nodeAt(api, [netB, name])?.item.description?.toString().startsWith('running'), 1000);
    const appearedMs = Date.now() - t0;
    await container.remove({ force: true });
    t0 = Date.now();
    await waitFor(`${name} gone from the view`, () => !nodeAt(api, [netB, name]), 1000);
    console.log(`      appeared ${appearedMs} ms after start returned, gone ${Date.now() - t0} ms after remove returned`);
  });

  it('a running container connected and disconnected elsewhere follows within a second, without a refresh (the engine sends the event before it saves the ' +
    'endpoint)', async () => {
    await waitFor('the event stream', () => api.watcher.streaming, 5000);
    const net = docker.getNetwork(netB);
    for (let round = 0; round < 3; round++) {
      await net.connect({ Container: webName });
      await waitFor(`${webName} on ${netB} (round ${round + 1})`, () => nodeAt(api, [netB, webName]), 1000);
      await net.disconnect({ Container: webName });
      await waitFor(`${webName} off ${netB} (round ${round + 1})`, () => !nodeAt(api, [netB, webName]), 1000);
    }
  });

  it('applies a connect or disconnect event handed over the moment it arrives, though the engine saves the endpoint just after sending it', async function () {
    // The watcher's 75 ms batching usually hides the engine's lag; this hands each event to the session at once, as a
    // batch that ends with the event would, with the watcher off so nothing else reads the engine meanwhile.
    this.timeout(30_000);
    const rounds = 6;
    const twoId = (await docker.getContainer(twoName).inspect()).Id;
    const seen: EngineEvent[] = [];
    let wake: (() => void) | undefined;
    const stream = await watchNetworkEvents(docker, netB, (e) => {
      if ((e.action !== 'connect' && e.action !== 'disconnect') || e.attributes.container !== twoId) return;
      seen.push(e);
      void api.session.applyEvents([e]);
      wake?.();
    });
    api.watcher.setActive(false);
    const onB = () => api.session.state.kind === 'connected'
      && api.session.state.model.containers.find((c) => c.name === twoName)?.endpoints.some((ep) => ep.networkName === netB);
    try {
      for (let round = 0; round < rounds; round++) {
        const connect = round % 2 === 1; // two starts on netB
        const arrived = new Promise<void>((r) => { wake = r; });
        if (connect) await docker.getNetwork(netB).connect({ Container: twoName, EndpointConfig: { IPAMConfig: { IPv4Address: `${b}.11` } } });
        else await docker.getNetwork(netB).disconnect({ Container: twoName });
        await arrived;
        await waitFor(`${twoName} ${connect ? 'on' : 'off'} ${netB} in the session's model (round ${round + 1})`, () => onB() === connect, 3000);
      }
    } finally {
      stream.destroy();
      api.watcher.setActive(true);
    }
    console.log(`      events handed over: ${seen.map((e) => `${e.action} ${e.attributes.container?.slice(0, 12)}`).join(', ')}`);
    // Engine 20.10 sends a disconnect twice (once as the endpoint leaves, once as it is deleted)
    assert.equal(seen.filter((e) => e.action === 'connect').length, rounds / 2);
    assert.ok(onB(), 'two is back on netB for the tests after this one');
  });

  it('connects and disconnects a container through the commands, and the view follows', async () => {
    const network = nodeAt(api, [netB])!.node;
    // the confirmation modal cannot be clicked from here: the test seam answers it
    api.answerConfirmations(true);
    try {
      assert.equal(await vscode.commands.executeCommand('dockerNetworkDoctor.network.connectContainer', network, { container: webName }), true);
      await waitFor(`${webName} on ${netB}`, () => nodeAt(api, [netB, webName]), 2000);
      const onB = nodeAt(api, [netB, webName])!.node;
      assert.equal(await vscode.commands.executeCommand('dockerNetworkDoctor.network.disconnectContainer', onB), true);
      await waitFor(`${webName} off ${netB}`, () => !nodeAt(api, [netB, webName]), 2000);
    } finally {
      api.answerConfirmations();
    }
  });

  it('shows the container\'s inspect JSON in a read-only editor, on demand', async () => {
    const node = nodeAt(api, [netA, twoName])!.node;
    await vscode.commands.executeCommand('dockerNetworkDoctor.tree.inspect', node);
    const editor = await waitFor('the inspect editor', () => vscode.window.activeTextEditor?.document.uri.scheme === 'docker-network-doctor-inspect'
      && vscode.window.activeTextEditor);
    const json = JSON.parse(editor.document.getText()) as { Name: string; NetworkSettings: { Networks: Record<string, { Aliases: string[] }> } };
    assert.equal(json.Name, `/${twoName}`);
    assert.deepEqual(Object.keys(json.NetworkSettings.Networks).sort(), [netA, netB].sort());
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('copies a container address and a subnet', async () => {
    await vscode.commands.executeCommand('dockerNetworkDoctor.container.copyIp', nodeAt(api, [netB, twoName])!.node);
    assert.equal(await vscode.env.clipboard.readText(), `${b}.11`);
    await vscode.commands.executeCommand('dockerNetworkDoctor.network.copySubnet', nodeAt(api, [netA])!.node);
    assert.equal(await vscode.env.clipboard.readText(), `${a}.0/24`);
  });
});
