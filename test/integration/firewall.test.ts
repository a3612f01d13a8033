import { strict as assert } from 'assert';
import type Docker from 'dockerode';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { fetchHostFirewall, helperLabel, removeHelper } from '../../src/adapters/firewallHelper';
import { connectFromEngineHost, connectFromOutside, engineLabel, engineRig, settled } from '../support/engineRig';
import type { FirewallProbe } from '../../src/extension/testing';
import type { ViewTrace } from '../../webview/protocol';
import { RuleTable } from '../../webview/ruleTable';
import { activateExtension, removeQuietly, TEST_IMAGE, testDocker, testLabels, uniqueName, waitFor } from './helpers';

const probe = () => activateExtension().then((api) => api.firewall.probe());
const trace = (protocol: 'tcp' | 'udp', port: number, from: string, to?: string) =>
  activateExtension().then((api) => api.firewall.trace({ protocol, port, from, ...(to ? { to } : {}) }));
const firewallConfig = () => vscode.workspace.getConfiguration('dockerNetworkDoctor.firewall');

/** The engine's rules in the view (each test can run alone: DND_TEST_GREP). */
async function engineRulesLoaded(): Promise<FirewallProbe> {
  if ((await probe()).origin !== 'engine') await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.refresh');
  const p = await probe();
  assert.equal(p.origin, 'engine', `the engine's rules are loaded (${p.error?.message ?? 'no error'})`);
  return p;
}

async function helpersLeft(docker: Docker): Promise<number> {
  return (await docker.listContainers({ all: true, filters: { label: [helperLabel] } })).length;
}

const reachedByTrace = (t: ViewTrace) => t.verdict.kind === 'container' || t.verdict.kind === 'docker-proxy';

describe('firewall view', function () {
  this.timeout(120_000);
  const docker = testDocker();
  let container: Docker.Container | undefined;
  let containerIp = '';
  let published = 0;
  let unpublished = 0;

  before(async () => {
    await activateExtension();
    await firewallConfig().update('helperImage', TEST_IMAGE, vscode.ConfigurationTarget.Global);
    // a bounded, self-stopping TCP server: answers one line per connection for at most 180 s; the engine picks the
    // host port (it publishes in its own network namespace: a port free on this machine says nothing there)
    container = await docker.createContainer({
      name: uniqueName('dnd-it-firewall'), Image: TEST_IMAGE, Labels: testLabels(),
      Cmd: ['sh', '-c', 'end=$(($(date +%s)+180)); while [ "$(date +%s)" -lt "$end" ]; do echo dnd-hello | timeout 30 nc -l -p 80; done'],
      ExposedPorts: { '80/tcp': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '' }] } },
    });
    await container.start();
    const info = await container.inspect();
    containerIp = info.NetworkSettings.Networks.bridge?.IPAddress ?? '';
    assert.ok(containerIp, 'the container has an address on the default bridge');
    published = Number(info.NetworkSettings.Ports['80/tcp']?.find((b) => b.HostPort)?.HostPort);
    assert.ok(published > 0, 'the engine chose a host port');
    // a port nothing on this engine publishes
    const taken = new Set((await docker.listContainers()).flatMap((c) => c.Ports.map((p) => p.PublicPort)));
    unpublished = published + 1;
    while (taken.has(unpublished) || unpublished > 65535) unpublished = unpublished > 65535 ? 20000 : unpublished + 1;
    // the consent store the modal writes, written the same way (the modal cannot be clicked from here)
    await activateExtension().then((api) => api.firewall.grantConsent());
  });

  after(async () => {
    await removeQuietly(container);
    await firewallConfig().update('helperImage', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('fetches the rules through the helper: the DNAT rule of a published port links to its container', async () => {
    await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.refresh');
    const p = await probe();
    assert.equal(p.error, undefined, `no error (got ${p.error?.message})`);
    assert.equal(p.origin, 'engine');
    assert.ok(p.helper, 'a helper method worked');
    console.log(`      helper: ${p.helper.method} in ${p.helper.elapsedMs} ms; ${p.ruleCount} rules`);
    const info = await container!.inspect();
    const rules = new RuleTable(p.data!);
    const dnat = Array.from({ length: rules.count }, (_, i) => i)
      .filter((i) => rules.target(i) === 'DNAT' && rules.links(i)?.some((l) => l.kind === 'container' && l.id === info.Id && l.hostPort === published));
    assert.equal(dnat.length, 1, `one DNAT rule for ${published} linked to the container (got ${dnat.map((i) => rules.text(i)).join(' | ')})`);
    assert.match(rules.text(dnat[0]!), new RegExp(`--dport ${published} .*--to-destination ${containerIp.replace(/\./g, '\\.')}:80`));
    assert.equal(p.data!.chains[rules.chain(dnat[0]!)]!.name, 'DOCKER');
    assert.equal(p.data!.facts.userlandProxy, 'on');
    assert.ok((p.data!.facts.dockerProxyCount ?? 0) >= 1, 'docker-proxy processes were counted');
    assert.ok(p.data!.facts.sysctls.some((s) => s.key === 'net.ipv4.ip_forward'), 'sysctls were read');
    const rendered = await waitFor('the webview to render rows', async () => (await probe()).rendered, 20_000);
    assert.ok(rendered.visibleRows > 0 && rendered.visibleRows < 200, `only the visible rows are drawn (${rendered.visibleRows} of ${rendered.rows})`);
    assert.equal(await helpersLeft(docker), 0, 'no helper container is left behind');
  });

  it('traces a connection from outside to the published port to the container', async () => {
    await engineRulesLoaded();
    const t = await trace('tcp', published, 'outside');
    assert.ok(t);
    assert.equal(t.verdict.kind, 'container', t.verdict.text);
    assert.equal(t.verdict.container, (await container!.inspect()).Name.replace(/^\//, ''));
    assert.ok(t.steps.some((s) => s.effect === 'dnat' && s.ruleId), 'a DNAT step names its rule');
    const p = await probe();
    assert.deepEqual(p.trace?.request, { protocol: 'tcp', port: published, from: 'outside' }, 'the view got the trace');
  });

  /** Traces from the engine host and connects for real from there; returns the lines where they disagree. */
  async function compareWithRealConnections(cases: Array<{ address: string; port: number; to?: string }>): Promise<string[]> {
    const mismatches: string[] = [];
    for (const c of cases) {
      const t = (await trace('tcp', c.port, 'localhost', c.to))!;
      const real = await settled(() => connectFromEngineHost(c.address, c.port));
      const line = `${c.address}:${c.port} (${c.port === published ? 'published' : 'unpublished'}): trace ${t.verdict.kind} (${t.verdict.text}); ` +
        `real ${real.ok ? `reached (${real.data.trim()})` : real.error}`;
      console.log(`      ${line}`);
      if (reachedByTrace(t) !== real.ok) mismatches.push(line);
      if (real.ok) assert.equal(real.data.trim(), 'dnd-hello');
    }
    return mismatches;
  }

  it(`[truth] matches real connections from the engine host's loopback (${engineLabel()})`, async () => {
    await engineRulesLoaded();
    const mismatches = await compareWithRealConnections([{ address: '127.0.0.1', port: published }, { address: '127.0.0.1', port: unpublished }]);
    assert.deepEqual(mismatches, [], 'the trace verdicts match the real connections');
  });

  it(`[truth] sees real connections to the bridge's own address reach a published port and be refused on another (real side, ${engineLabel()})`, async () => {
    const gateway = (await container!.inspect()).NetworkSettings.Networks.bridge?.Gateway ?? '';
    assert.match(gateway, /^\d+\.\d+\.\d+\.\d+$/, 'the default bridge has a gateway address on the engine host');
    assert.equal((await settled(() => connectFromEngineHost(gateway, published))).ok, true, `${gateway}:${published} reaches the container (nat OUTPUT DNAT)`);
    assert.equal((await settled(() => connectFromEngineHost(gateway, unpublished))).ok, false, `${gateway}:${unpublished} is refused`);
  });

  // The bridge's own address (the gateway) is the host's: nat OUTPUT DNATs it (`--dst-type LOCAL`) to the container.
  it(`[truth] matches real connections to the bridge's own address (trace side, ${engineLabel()})`, async () => {
    await engineRulesLoaded();
    const gateway = (await container!.inspect()).NetworkSettings.Networks.bridge?.Gateway ?? '';
    const mismatches = await compareWithRealConnections([{ address: gateway, port: published, to: gateway },
      { address: gateway, port: unpublished, to: gateway }]);
    assert.deepEqual(mismatches, []);
  });

  // "Outside" is another host on the engine's LAN (the rig's veth peer): its connections arrive on the engine host's
  // LAN address and go through nat PREROUTING, as another machine's would.
  it(`[truth] matches real connections from another host on the engine's LAN (${engineLabel()})`, async () => {
    await engineRulesLoaded();
    const rig = engineRig();
    const mismatches: string[] = [];
    for (const port of [published, unpublished]) {
      const t = (await trace('tcp', port, 'outside', rig.lanIpv4))!;
      const real = await settled(() => connectFromOutside(port, rig));
      const line = `outside → ${rig.lanIpv4}:${port} (${port === published ? 'published' : 'unpublished'}): trace ${t.verdict.kind} (${t.verdict.text}); ` +
        `real ${real.ok ? 'reached' : `not reached (${real.error})`}`;
      console.log(`      ${line}`);
      if (reachedByTrace(t) !== real.ok) mismatches.push(line);
      if (port === published) assert.equal(real.ok, true, 'the published port is reachable from outside');
    }
    assert.deepEqual(mismatches, [], 'the trace verdicts match the real connections');
  });

  it('renders a rule comment with markup as text (the dump is attacker-controlled)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-it-fw-'));
    const file = path.join(dir, 'xss.iptables-save');
    const comment = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    fs.writeFileSync(file, ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]',
      `-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "${comment}" -j ACCEPT`, 'COMMIT', ''].join('\n'));
    await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.openDump', vscode.Uri.file(file));
    const p = await probe();
    assert.equal(p.origin, 'file');
    assert.equal(new RuleTable(p.data!).comment(0), comment, 'the comment reaches the view verbatim, as data');
    await waitFor('the webview to render the dump', async () => (await probe()).rendered, 20_000);
    assert.deepEqual((await probe()).log.filter((l) => /malformed/.test(l)), []);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no helper container behind when the helper image is missing', async () => {
    await firewallConfig().update('helperImage', 'dnd-test/no-such-image:latest', vscode.ConfigurationTarget.Global);
    try {
      // no consent is asked (or can be given) for an image the engine lacks: the consent names its image ID
      await assert.rejects(activateExtension().then((api) => api.firewall.grantConsent()), /is not on the engine/);
      await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.refresh');
      const p = await probe();
      assert.match(p.error?.message ?? '', /not on the engine/);
      assert.match(p.error?.fix ?? '', /docker pull dnd-test\/no-such-image:latest/);
      assert.equal(await helpersLeft(docker), 0);
    } finally {
      await firewallConfig().update('helperImage', TEST_IMAGE, vscode.ConfigurationTarget.Global);
    }
  });

  const testEndpoint = () => ({ kind: 'unix' as const, socketPath: process.env.DOCKER_HOST!.slice('unix://'.length), host: process.env.DOCKER_HOST! });

  /** Calls `onAction` for each engine event about helper containers (`create`, `start`, `die`, `destroy`…). */
  async function watchHelpers(onAction: (action: string, id: string) => void): Promise<() => void> {
    const events = await docker.getEvents({ filters: { type: ['container'], label: [helperLabel] } }) as NodeJS.ReadableStream & { destroy(): void };
    let rest = '';
    events.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines.filter(Boolean)) {
        const e = JSON.parse(l) as { Action?: string; status?: string; id?: string };
        onAction(e.Action ?? e.status ?? '', e.id ?? '');
      }
    });
    return () => events.destroy();
  }

  it('leaves no helper container behind when the fetch is cancelled while the helper runs', async () => {
    // cancelled the moment the engine reports a helper started: the helper is running then
    const actions: string[] = [];
    const abort = new AbortController();
    const stop = await watchHelpers((action, id) => {
      actions.push(`${action} ${id.slice(0, 12)}`);
      if (action === 'start') abort.abort();
    });
    try {
      const fetching = fetchHostFirewall(testEndpoint(), TEST_IMAGE, { signal: abort.signal });
      await assert.rejects(fetching, /cancelled/);
      assert.equal(await helpersLeft(docker), 0, `the cancelled helper was removed before the fetch settled (events: ${actions.join(', ')})`);
      assert.ok(abort.signal.aborted, 'a helper started, and the fetch was cancelled then');
    } finally {
      stop();
    }
  });

  it('leaves no helper container behind when the fetch is cancelled as the helper is created', async () => {
    const abort = new AbortController();
    const stop = await watchHelpers((action) => { if (action === 'create') abort.abort(); });
    try {
      await assert.rejects(fetchHostFirewall(testEndpoint(), TEST_IMAGE, { signal: abort.signal }), /cancelled/);
      assert.equal(await helpersLeft(docker), 0);
    } finally {
      stop();
    }
  });

  it('leaves no helper container behind at the moment a fetch resolves', async () => {
    const result = await fetchHostFirewall(testEndpoint(), TEST_IMAGE);
    assert.ok(result.snapshot.sections.length > 0);
    assert.equal(await helpersLeft(docker), 0, `${result.method.id}: no helper listed when the fetch resolved`);
  });

  // With the engine in a network namespace of its own, PID 1 (this machine's init) is not in it: `nsenter -t 1` would
  // read the machine's rules. The helper must enter the dockerd that shares its network namespace instead.
  it(`[truth] reads the engine's own network namespace, not the machine's (${engineLabel()})`, async function () {
    const rig = engineRig();
    if (!rig.engineNetns || !rig.pid) {
      console.log('      an engine given by DOCKER_HOST: its namespace is not known here, nothing to compare');
      this.skip();
    }
    const engineNet = fs.readlinkSync(`/proc/${rig.pid}/ns/net`);
    // PID 1's namespace link may be unreadable even to root (this sandbox); this process runs in the machine's
    assert.notEqual(fs.readlinkSync('/proc/self/ns/net'), engineNet, 'the rig runs the engine outside the machine\'s network namespace');
    const result = await fetchHostFirewall(testEndpoint(), TEST_IMAGE);
    console.log(`      ${result.method.id}; ` +
      `entered ${result.snapshot.target?.command} ${result.snapshot.target?.pid}: ${result.snapshot.target?.reason ?? ''}`);
    assert.deepEqual({ pid: result.snapshot.target?.pid, command: result.snapshot.target?.command }, { pid: rig.pid, command: 'dockerd' });
    // the nat table's DOCKER rules of an iptables-save text (counters dropped)
    const dockerNatRules = (text: string) => (/^\*nat$([\s\S]*?)^COMMIT$/m.exec(text)?.[1] ?? '').split('\n')
      .map((l) => l.replace(/^\[\d+:\d+\] /, '')).filter((l) => l.startsWith('-A DOCKER ')).sort();
    const nat = execFileSync('nsenter', [`--net=${rig.engineNetns}`, 'iptables-save', '-t', 'nat'], { encoding: 'utf8' });
    const helperNat = result.snapshot.sections.find((x) => x.name === 'iptables-save')?.text ?? '';
    assert.ok(dockerNatRules(nat).some((l) => l.includes(`--dport ${published} `)), 'the engine namespace has the published port\'s DNAT');
    assert.deepEqual(dockerNatRules(helperNat), dockerNatRules(nat), 'the helper read the engine namespace\'s nat DOCKER chain');
    for (const p of result.snapshot.dockerProxies) {
      let net: string | undefined;
      try { net = fs.readlinkSync(`/proc/${p.pid}/ns/net`); } catch { net = undefined; /* ended since */ }
      if (net) assert.equal(net, engineNet, `docker-proxy ${p.pid} is this engine's: ${p.commandLine}`);
    }
  });

  // The cause of the leak on Engine 28.5: there the privileged helper starts (20.10's runc refuses it), finds it cannot
  // enter PID 1 and exits; the engine's auto-remove then runs while the adapter's own remove arrives, which gets
  // 409 "removal … is already in progress" and used to return at once, with the container still listed (`dead`).
  it(`waits for an auto-remove already under way before it counts a helper as removed (${engineLabel()})`, async () => {
    for (let i = 0; i < 3; i++) {
      const c = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['sh', '-c', 'exit 1'], Labels: { ...testLabels(), [helperLabel]: '1' },
        HostConfig: { AutoRemove: true } });
      const exited = c.wait({ condition: 'next-exit' });
      await c.start();
      await exited;
      await removeHelper(c);
      assert.equal(await helpersLeft(docker), 0, `try ${i + 1}: the container is gone when removeHelper returns`);
    }
  });

  it('does not fetch when dockerNetworkDoctor.firewall.enabled is off', async () => {
    await firewallConfig().update('enabled', false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.refresh');
      assert.match((await probe()).error?.message ?? '', /turned off/);
      assert.equal(await helpersLeft(docker), 0);
    } finally {
      await firewallConfig().update('enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
