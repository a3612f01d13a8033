// Truth for traces that start in another container: the trace verdict of the firewall view against what a real
// connection from a client container does, on the same bridge and across networks (isolation), to the host's own
// bridge addresses (published and unpublished ports) and straight to the server container's address.
import { strict as assert } from 'assert';
import type Docker from 'dockerode';
import * as vscode from 'vscode';
import { engineLabel } from '../support/engineRig';
import { retryWhile } from '../support/waitFor';
import { activateExtension, execIn, removeQuietly, TEST_IMAGE, testDocker, testLabels, uniqueName } from './helpers';

const probe = () => activateExtension().then((api) => api.firewall.probe());
const trace = (port: number, from: string, to: string) =>
  activateExtension().then((api) => api.firewall.trace({ protocol: 'tcp', port, from, to }));
const firewallConfig = () => vscode.workspace.getConfiguration('dockerNetworkDoctor.firewall');

/** `nc` from a client container; the server restarts `nc -l` after each connection, so a refusal is retried briefly. */
async function connectFrom(client: Docker.Container, address: string, port: number): Promise<{ reached: boolean; out: string }> {
  const attempt = async () => {
    const r = await execIn(client, ['nc', '-w', '3', address, String(port)]);
    return { reached: r.out.includes('dnd-hello'), out: r.out.trim() };
  };
  return retryWhile(attempt, (last) => !last.reached && !/timed out/.test(last.out), 5, 150);
}

describe('firewall trace from other containers (truth)', function () {
  this.timeout(180_000);
  const docker = testDocker();
  const made: Array<{ remove(opts?: object): Promise<unknown> }> = [];
  let published = 0;
  let server: Docker.ContainerInspectInfo;
  let sameBridge: { container: Docker.Container; ip: string; gateway: string };
  let otherNetwork: { container: Docker.Container; ip: string; gateway: string };

  async function run(name: string, cmd: string[], network?: string, ports?: Record<string, Array<{ HostPort: string }>>): Promise<Docker.Container> {
    const c = await docker.createContainer({
      name: uniqueName(name), Image: TEST_IMAGE, Labels: testLabels(), Cmd: cmd,
      ...(ports ? { ExposedPorts: Object.fromEntries(Object.keys(ports).map((p) => [p, {}])) } : {}),
      HostConfig: { ...(network ? { NetworkMode: network } : {}), ...(ports ? { PortBindings: ports } : {}) },
    });
    made.push(c);
    await c.start();
    return c;
  }

  async function endpointOf(c: Docker.Container, network: string): Promise<{ container: Docker.Container; ip: string; gateway: string }> {
    const ep = (await c.inspect()).NetworkSettings.Networks[network];
    assert.ok(ep?.IPAddress && ep.Gateway, `the client has an address and a gateway on ${network}`);
    return { container: c, ip: ep.IPAddress, gateway: ep.Gateway };
  }

  before(async () => {
    await activateExtension();
    await firewallConfig().update('helperImage', TEST_IMAGE, vscode.ConfigurationTarget.Global);
    const network = await docker.createNetwork({ Name: uniqueName('dnd-it-fw-other'), Driver: 'bridge', Labels: testLabels() });
    const networkName = (await network.inspect()).Name as string;
    // bounded, self-stopping containers (at most 150 s)
    const serverContainer = await run('dnd-it-fw-server',
      ['sh', '-c', 'end=$(($(date +%s)+150)); while [ "$(date +%s)" -lt "$end" ]; do echo dnd-hello | timeout 30 nc -l -p 80; done'],
      undefined, { '80/tcp': [{ HostPort: '' }] });
    made.push(network);
    server = await serverContainer.inspect();
    published = Number(server.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort);
    assert.ok(published > 0, 'the engine chose a host port');
    sameBridge = await endpointOf(await run('dnd-it-fw-client', ['sleep', '150']), 'bridge');
    otherNetwork = await endpointOf(await run('dnd-it-fw-client-other', ['sleep', '150'], networkName), networkName);
    // the rules as they are now, with the new network's isolation rules
    await activateExtension().then((api) => api.firewall.grantConsent());
    await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.refresh');
    const p = await probe();
    assert.equal(p.origin, 'engine', `the engine's rules are loaded (${p.error?.message ?? 'no error'})`);
  });

  after(async () => {
    // containers first, then the network they sit on
    await removeQuietly(...made.filter((m) => 'exec' in m), ...made.filter((m) => !('exec' in m)));
    await firewallConfig().update('helperImage', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it(`[truth] matches real connections from a container on the same bridge and from one on another network (${engineLabel()})`, async () => {
    const serverIp = server.NetworkSettings.Networks.bridge!.IPAddress;
    const unpublished = published === 65535 ? published - 1 : published + 1;
    const cases = [
      { client: sameBridge, name: 'same bridge', to: sameBridge.gateway, port: published },
      { client: sameBridge, name: 'same bridge', to: sameBridge.gateway, port: unpublished },
      { client: sameBridge, name: 'same bridge', to: serverIp, port: 80 },
      { client: otherNetwork, name: 'other network', to: otherNetwork.gateway, port: published },
      { client: otherNetwork, name: 'other network', to: sameBridge.gateway, port: published },
      { client: otherNetwork, name: 'other network', to: otherNetwork.gateway, port: unpublished },
      { client: otherNetwork, name: 'other network', to: serverIp, port: 80 },
    ];
    const lines: string[] = [];
    const mismatches: string[] = [];
    const verdicts = new Set<string>();
    for (const c of cases) {
      const t = await trace(c.port, c.client.ip, c.to);
      assert.ok(t, 'the trace ran');
      const real = await connectFrom(c.client.container, c.to, c.port);
      const traceSaysReached = t.verdict.kind === 'container' || t.verdict.kind === 'docker-proxy';
      const line = `${c.name} ${c.client.ip} → ${c.to}:${c.port}: trace ${t.verdict.kind} (${t.verdict.text}); ` +
        `real ${real.reached ? 'reached' : `not reached (${real.out || 'no answer'})`}`;
      lines.push(line);
      verdicts.add(t.verdict.kind);
      if (traceSaysReached !== real.reached) mismatches.push(line);
    }
    console.log(lines.map((l) => `      ${l}`).join('\n'));
    assert.deepEqual(mismatches, [], 'the trace verdicts match the real connections');
    // the cases differ for real: some connections get through and some do not, so a trace that always said the
    // same would fail above
    assert.ok(verdicts.has('dropped'), 'isolation drops the direct connection across networks');
    assert.ok(verdicts.has('docker-proxy') || verdicts.has('container'), 'the published port is reached');
  });
});
