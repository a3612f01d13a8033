// Exposure in the Published ports view, in the real VS Code against the real engine: a host firewall of plain INPUT
// rules (policy DROP, loopback and established accepted) is set in the engine's network namespace only, the firewall
// view reads the rules through the helper, and each published port's row then says who can reach it. Each verdict is
// checked against a real connection from the outside host. ufw itself is not enabled here (it keeps its state in
// /etc/ufw, shared with the machine): its verdicts are unit-tested on real captures (test/unit/firewall/exposure.test.ts).
import { strict as assert } from 'assert';
import type Docker from 'dockerode';
import { execFileSync } from 'child_process';
import * as vscode from 'vscode';
import { connectFromEngineHost, connectFromOutside, engineLabel, engineRig } from '../support/engineRig';
import { activateExtension, removeQuietly, TEST_IMAGE, testDocker, testLabels, uniqueName, waitFor } from './helpers';
import { childrenOf, nodeAt, showViews } from './treeHelpers';

const probe = () => activateExtension().then((api) => api.firewall.probe());
const firewallConfig = () => vscode.workspace.getConfiguration('dockerNetworkDoctor.firewall');

describe('exposure in the Published ports view', function () {
  this.timeout(120_000);
  const docker = testDocker();
  const rig = engineRig();
  const containers: Docker.Container[] = [];
  // the INPUT rules this test adds, in the engine's namespace (removed in after())
  const inputRules = [['-i', 'lo', '-j', 'ACCEPT'], ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT']];
  const inEngine = (args: string[], tool = 'iptables') => execFileSync('nsenter', [`--net=${rig.engineNetns}`, '--', tool, ...args], { stdio: 'pipe' });
  let wildcardPort = 0;
  let dockerUserRule: string[] = [];
  let loopbackPort = 0;

  /** A container answering one line per connection, published on `hostIp` (empty: every address) at a port the engine picks. */
  async function server(name: string, hostIp: string): Promise<number> {
    const c = await docker.createContainer({
      name: uniqueName(name), Image: TEST_IMAGE, Labels: testLabels(),
      Cmd: ['sh', '-c', 'end=$(($(date +%s)+180)); while [ "$(date +%s)" -lt "$end" ]; do echo dnd-hello | timeout 30 nc -l -p 80; done'],
      ExposedPorts: { '80/tcp': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostIp: hostIp, HostPort: '' }] } },
    });
    containers.push(c);
    await c.start();
    const info = await c.inspect();
    const port = Number(info.NetworkSettings.Ports['80/tcp']?.find((b) => b.HostPort)?.HostPort);
    assert.ok(port > 0, 'the engine chose a host port');
    return port;
  }

  before(async function () {
    assert.ok(rig.engineNetns && rig.outsideNetns, 'this test needs the private engine in its own network namespace (scripts/test.js starts one as root)');
    await activateExtension();
    await firewallConfig().update('helperImage', TEST_IMAGE, vscode.ConfigurationTarget.Global);
    wildcardPort = await server('dnd-it-exposed-all', '');
    loopbackPort = await server('dnd-it-exposed-lo', '127.0.0.1');
    // both families, as ufw does
    for (const tool of ['iptables', 'ip6tables']) {
      for (const r of inputRules) inEngine(['-A', 'INPUT', ...r], tool);
      inEngine(['-P', 'INPUT', 'DROP'], tool);
    }
    await activateExtension().then((api) => api.firewall.grantConsent());
  });

  after(async () => {
    if (rig.engineNetns) {
      if (dockerUserRule.length) inEngine(['-D', 'DOCKER-USER', ...dockerUserRule]);
      for (const tool of ['iptables', 'ip6tables']) {
        inEngine(['-P', 'INPUT', 'ACCEPT'], tool);
        for (const r of inputRules) { try { inEngine(['-D', 'INPUT', ...r], tool); } catch { /* not added */ } }
      }
    }
    for (const c of containers) await removeQuietly(c);
    await firewallConfig().update('helperImage', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it(`[truth] ${engineLabel(rig)}: the port on every address is reachable past INPUT DROP and is flagged; the 127.0.0.1 one is not`, async () => {
    const api = await activateExtension();
    await showViews(api);
    const rowOf = (port: number) => {
      const node = api.portsTree.getChildren().find((n) => n.binding.hostStart === port);
      return node ? api.portsTree.getTreeItem(node) : undefined;
    };
    // before the rules are read, the row only says how to learn it
    await waitFor('both ports in the Published ports view', () => !!rowOf(wildcardPort) && !!rowOf(loopbackPort));
    assert.match(String(rowOf(wildcardPort)!.tooltip), /open the firewall view/);

    await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.refresh');
    const p = await probe();
    assert.equal(p.error, undefined, `the helper read the rules (${p.error?.message})`);
    const all = await waitFor('the rows to show exposure', () => {
      const row = rowOf(wildcardPort);
      return row && /outside:/.test(String(row.description)) ? row : undefined;
    });
    // IPv4 by Docker's DNAT; IPv6 goes to docker-proxy on [::], behind INPUT's DROP (the network has no IPv6)
    assert.match(String(all.description), /outside: IPv4 reachable · IPv6 blocked · an INPUT policy of DROP bypassed$/);
    assert.match(String(all.tooltip), /⚠ an INPUT policy of DROP denies \d+\/tcp, but Docker publishes it on 0\.0\.0\.0/);
    assert.match(all.contextValue ?? '', /firewallBypass/);
    assert.equal((all.iconPath as vscode.ThemeIcon).id, 'warning');
    const lo = rowOf(loopbackPort)!;
    assert.match(String(lo.description), /outside: blocked$/);
    assert.doesNotMatch(lo.contextValue ?? '', /firewallBypass/);
    // the Networks view's port node of the same container says the same
    const containerName = api.portsTree.getChildren().find((n) => n.binding.hostStart === wildcardPort)!.container.name;
    const portNode = childrenOf(api, nodeAt(api, ['bridge', containerName])!.node).find((c) => c.node.kind === 'binding');
    assert.ok(portNode, 'the container has a ports node in the Networks view');
    assert.match(String(portNode.item.description), /outside: IPv4 reachable · IPv6 blocked · an INPUT policy of DROP bypassed$/);
    assert.match(portNode.item.contextValue ?? '', /firewallBypass/);

    // what real connections from the outside host do
    const outsideAll = await connectFromOutside(wildcardPort, rig);
    assert.ok(outsideAll.ok, `${engineLabel(rig)}: ${wildcardPort} from outside answered (${outsideAll.error})`);
    assert.equal(outsideAll.data.trim(), 'dnd-hello');
    const outsideAll6 = await connectFromOutside(wildcardPort, rig, 6);
    assert.ok(!outsideAll6.ok, `${engineLabel(rig)}: ${wildcardPort} from outside over IPv6 did not answer`);
    const outsideLo = await connectFromOutside(loopbackPort, rig);
    assert.ok(!outsideLo.ok, `${engineLabel(rig)}: ${loopbackPort} (127.0.0.1) from outside did not answer`);
  });

  it(`[truth] ${engineLabel(rig)}: the DOCKER-USER rule the row offers closes the port to outside, as the row then says`, async () => {
    const api = await activateExtension();
    await showViews(api);
    const node = () => api.portsTree.getChildren().find((n) => n.binding.hostStart === wildcardPort);
    await waitFor('the port in the Published ports view', () => !!node());
    const row = () => api.portsTree.getTreeItem(node()!);
    await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.refresh');
    await waitFor('the row to say reachable', () => /outside: IPv4 reachable/.test(String(row().description)));
    const offered = String(row().tooltip).split('\n').map((l) => l.trim()).find((l) => l.startsWith('iptables -I DOCKER-USER'));
    assert.ok(offered, `the tooltip offers a DOCKER-USER rule:\n${row().tooltip}`);
    // the offered words, run as the user would (argument array: they are fixed words and numbers)
    const argv = offered.split(' ');
    assert.deepEqual(argv.slice(0, 3), ['iptables', '-I', 'DOCKER-USER']);
    inEngine(argv.slice(1));
    dockerUserRule = argv.slice(3);
    try {
      await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.refresh');
      await waitFor('the row to say blocked', () => /outside: blocked$/.test(String(row().description))).catch((err) => {
        const rules = execFileSync('nsenter', [`--net=${rig.engineNetns}`, '--', 'iptables-save', '-t', 'filter'], { encoding: 'utf8' });
        const dockerUser = rules.split('\n').filter((l) => l.includes('DOCKER-USER')).join('\n');
        throw new Error(`${(err as Error).message}\nrow: ${row().description}\n${row().tooltip}\nDOCKER-USER: ${dockerUser}`);
      });
      assert.doesNotMatch(row().contextValue ?? '', /firewallBypass/);
      const real = await connectFromOutside(wildcardPort, rig);
      assert.ok(!real.ok, `${engineLabel(rig)}: ${wildcardPort} from outside no longer answers (${real.data})`);
      const host = await connectFromEngineHost('127.0.0.1', wildcardPort, rig);
      assert.ok(host.ok, `${engineLabel(rig)}: the host itself still reaches it through docker-proxy (${host.error})`);
    } finally {
      inEngine(['-D', 'DOCKER-USER', ...dockerUserRule]);
      dockerUserRule = [];
    }
  });
});
