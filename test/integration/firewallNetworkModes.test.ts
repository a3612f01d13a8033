// Trace truth for what Engine 28 changed and added, on the engine the rig runs: direct access to a container
// address from another host (28: dropped in raw PREROUTING), the routed and nat-unprotected IPv4 gateway modes, and
// an IPv6-enabled network with ip6tables rules and a port published on IPv6. Every case compares the firewall
// view's trace verdict with a real connection from the rig's outside host (198.51.100.1 / 2001:db8:dd::1, a veth
// peer of the engine's namespace; routes to the container subnets are added in the outside namespace only).
// What each engine really does is a row below, measured; an engine without a row fails plainly, saying what it saw.
import { strict as assert } from 'assert';
import type Docker from 'dockerode';
import { execFileSync, spawnSync } from 'child_process';
import * as vscode from 'vscode';
import type { ViewTrace } from '../../webview/protocol';
import { connectFrom, engineLabel, engineRig, settled } from '../support/engineRig';
import { activateExtension, removeQuietly, TEST_IMAGE, testDocker, testLabels, uniqueName } from './helpers';

const probe = () => activateExtension().then((api) => api.firewall.probe());
const trace = (port: number, to: string) =>
  activateExtension().then((api) => api.firewall.trace({ protocol: 'tcp', port, from: 'outside', to }));
const firewallConfig = () => vscode.workspace.getConfiguration('dockerNetworkDoctor.firewall');

type CaseId =
  | 'bridge-direct-80' | 'bridge-direct-81'
  | 'routed-direct-80' | 'routed-direct-81' | 'routed-host-v4' | 'routed-host-v6'
  | 'natu-direct-80' | 'natu-direct-81' | 'natu-host-v4'
  | 'v6-host-v6' | 'v6-host-v6-unpublished' | 'v6-direct-v6' | 'v6-direct-v4';

/** What a real connection did and what the trace must say; `raw`: the deciding rule is in the raw table. */
interface Expect { reached: boolean; verdict: 'container' | 'docker-proxy' | 'host' | 'dropped'; raw?: boolean }

const reach = (verdict: Expect['verdict']): Expect => ({ reached: true, verdict });
const refusedAtHost: Expect = { reached: false, verdict: 'host' };
const dropped: Expect = { reached: false, verdict: 'dropped' };
const droppedInRaw: Expect = { reached: false, verdict: 'dropped', raw: true };

/** Engines before 27: no raw drops, no gateway modes, no ip6tables rules unless the daemon enables them. */
const beforeGatewayModes: Record<CaseId, Expect> = {
  'bridge-direct-80': reach('container'), 'bridge-direct-81': dropped,
  'routed-direct-80': reach('container'), 'routed-direct-81': dropped, 'routed-host-v4': reach('container'), 'routed-host-v6': reach('docker-proxy'),
  'natu-direct-80': reach('container'), 'natu-direct-81': dropped, 'natu-host-v4': reach('container'),
  'v6-host-v6': reach('docker-proxy'), 'v6-host-v6-unpublished': refusedAtHost, 'v6-direct-v6': reach('container'), 'v6-direct-v4': reach('container'),
};

/**
 * Per engine (major.minor), measured in this rig. Each container listens on 80 (published, the engine picks the host
 * port) and 81 (not published).
 */
const engineRows: Record<string, { note: string; cases: Record<CaseId, Expect> }> = {
  '20.10': {
    note: 'no raw PREROUTING drops (a published container port is reachable directly from another host with a route), '
      + 'no gateway modes (the options are accepted and ignored: NAT as usual), no ip6tables rules (not enabled): '
      + 'IPv6 to a published port goes through docker-proxy',
    cases: beforeGatewayModes,
  },
  '26.1': {
    note: 'as 20.10 (measured 2026-12-03): no raw drops, the gateway-mode options ignored, no ip6tables rules',
    cases: beforeGatewayModes,
  },
  '28.5': {
    note: 'direct access to a NAT network\'s containers is dropped in raw PREROUTING (IPv4 and IPv6); routed: no NAT, '
      + 'the published port is open at the container\'s address and mapped on the host for IPv6 only; nat-unprotected: '
      + 'every container port open to direct access; ip6tables rules DNAT the IPv6 published port',
    cases: {
      'bridge-direct-80': droppedInRaw, 'bridge-direct-81': droppedInRaw,
      'routed-direct-80': reach('container'), 'routed-direct-81': dropped, 'routed-host-v4': refusedAtHost, 'routed-host-v6': reach('docker-proxy'),
      'natu-direct-80': reach('container'), 'natu-direct-81': reach('container'), 'natu-host-v4': reach('container'),
      'v6-host-v6': reach('container'), 'v6-host-v6-unpublished': refusedAtHost, 'v6-direct-v6': droppedInRaw, 'v6-direct-v4': droppedInRaw,
    },
  },
};

interface Outcome { id: CaseId; line: string; traceReached: boolean; realReached: boolean; verdict: ViewTrace['verdict'] }

describe(`firewall trace truth on Docker's network modes (${engineLabel()})`, function () {
  this.timeout(240_000);
  const docker = testDocker();
  const rig = engineRig();
  const majorMinor = rig.version.split('.').slice(0, 2).join('.');
  const major = Number(rig.version.split('.')[0]);
  const made: Array<{ remove(opts?: object): Promise<unknown> }> = [];
  const routes: string[][] = [];
  const servers = {} as Record<'bridge' | 'routed' | 'natu' | 'v6', { ip4: string; ip6?: string; hostPort: number }>;
  let unpublished = 0;
  // a random /64 for the IPv6 network, so a shared engine's other networks are not in the way
  const v6Subnet = `fd00:dd:${(0x1000 + Math.floor(Math.random() * 0xe000)).toString(16)}::/64`;

  const outside = (args: string[]) => execFileSync('nsenter', [`--net=${rig.outsideNetns}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

  async function network(name: string, options: Omit<Docker.NetworkCreateOptions, 'Name'>): Promise<string> {
    const n = await docker.createNetwork({ ...options, Name: uniqueName(name), Driver: 'bridge', Labels: testLabels() });
    made.push(n);
    return (await n.inspect()).Name as string;
  }

  /** A bounded (200 s) server answering `dnd-hello` on 80 and 81; 80 is published on a port the engine picks. */
  async function server(name: string, networkName: string, key: keyof typeof servers): Promise<void> {
    const serve = 'serve() { end=$(($(date +%s)+200)); while [ "$(date +%s)" -lt "$end" ]; do echo dnd-hello | timeout 30 nc -l -p "$1"; done; }; serve 80 & ' +
      'serve 81 & wait';
    const c = await docker.createContainer({
      name: uniqueName(name), Image: TEST_IMAGE, Labels: testLabels(), Cmd: ['sh', '-c', serve], ExposedPorts: { '80/tcp': {} },
      HostConfig: { NetworkMode: networkName, PortBindings: { '80/tcp': [{ HostPort: '' }] } },
    });
    made.unshift(c);
    await c.start();
    const info = await c.inspect();
    const ep = info.NetworkSettings.Networks[networkName]!;
    // Engine 28.5 leaves the IPv4 binding of a routed network unmapped (HostPort ""), and maps only `::`
    const hostPort = Number(info.NetworkSettings.Ports['80/tcp']?.find((b) => b.HostPort)?.HostPort);
    assert.ok(ep.IPAddress && hostPort > 0, `${name} has an address and a host port`);
    servers[key] = { ip4: ep.IPAddress, ...(ep.GlobalIPv6Address ? { ip6: ep.GlobalIPv6Address } : {}), hostPort };
  }

  async function routeToSubnetsOf(networkName: string): Promise<void> {
    const config = ((await docker.getNetwork(networkName).inspect()).IPAM?.Config ?? []) as Array<{ Subnet?: string }>;
    for (const { Subnet } of config) {
      if (!Subnet) continue;
      const v6 = Subnet.includes(':');
      const args = ['ip', ...(v6 ? ['-6'] : []), 'route', 'replace', Subnet, 'via', v6 ? rig.lanIpv6! : rig.lanIpv4!];
      outside(args);
      routes.push(args.map((a) => (a === 'replace' ? 'del' : a)));
    }
  }

  before(async function () {
    if (!rig.outsideNetns || !rig.lanIpv4 || !rig.lanIpv6) {
      throw new Error('these truth tests need a private engine of the test rig with its outside host (unset DOCKER_HOST)');
    }
    await activateExtension();
    await firewallConfig().update('helperImage', TEST_IMAGE, vscode.ConfigurationTarget.Global);
    const routed = await network('dnd-it-fw-routed', { Options: { 'com.docker.network.bridge.gateway_mode_ipv4': 'routed' } });
    const natu = await network('dnd-it-fw-natu', { Options: { 'com.docker.network.bridge.gateway_mode_ipv4': 'nat-unprotected' } });
    const v6 = await network('dnd-it-fw-v6', { EnableIPv6: true, IPAM: { Config: [{ Subnet: v6Subnet }] } });
    await server('dnd-it-fw-bridge-server', 'bridge', 'bridge');
    await server('dnd-it-fw-routed-server', routed, 'routed');
    await server('dnd-it-fw-natu-server', natu, 'natu');
    await server('dnd-it-fw-v6-server', v6, 'v6');
    assert.ok(servers.v6.ip6, `the IPv6 network's container has an address in ${v6Subnet}`);
    for (const n of ['bridge', routed, natu, v6]) await routeToSubnetsOf(n);
    const taken = new Set((await docker.listContainers()).flatMap((c) => c.Ports.map((p) => p.PublicPort)));
    unpublished = 20000 + Math.floor(Math.random() * 10000);
    while (taken.has(unpublished)) unpublished++;
    await activateExtension().then((api) => api.firewall.grantConsent());
    await vscode.commands.executeCommand('dockerNetworkDoctor.firewall.refresh');
    const p = await probe();
    assert.equal(p.origin, 'engine', `the engine's rules are loaded (${p.error?.message ?? 'no error'})`);
  });

  after(async () => {
    for (const args of routes) spawnSync('nsenter', [`--net=${rig.outsideNetns}`, ...args], { stdio: 'ignore' });
    await removeQuietly(...made);
    await firewallConfig().update('helperImage', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Traces the connection in the view and makes it for real from the outside host. */
  async function check(id: CaseId, to: string, port: number): Promise<Outcome> {
    const t = await trace(port, to);
    assert.ok(t, 'the trace ran');
    const real = await settled(() => connectFrom(rig.outsideNetns, to, port));
    const realReached = real.ok && real.data.includes('dnd-hello');
    const traceReached = t.verdict.kind === 'container' || t.verdict.kind === 'docker-proxy';
    const line = `${id}: outside → ${to.includes(':') ? `[${to}]` : to}:${port}: trace ${t.verdict.kind} (${t.verdict.text}); ` +
      `real ${realReached ? 'reached' : `not reached (${real.error ?? real.data.trim()})`}`;
    console.log(`      ${line}`);
    return { id, line, traceReached, realReached, verdict: t.verdict };
  }

  /** Trace and reality agree, and both are what this engine's row says (an engine without a row fails here). */
  function judge(outcomes: Outcome[]): void {
    const mismatches = outcomes.filter((o) => o.traceReached !== o.realReached).map((o) => o.line);
    assert.deepEqual(mismatches, [], 'the trace verdicts match the real connections');
    const row = engineRows[majorMinor];
    if (!row) {
      assert.fail(`no row for ${engineLabel()} in firewallNetworkModes.test.ts: trace and real connections agree, but what this `
        + `engine does is not recorded. Seen:\n${outcomes.map((o) => o.line).join('\n')}\nMeasure and add a row.`);
    }
    const wrong = outcomes.filter((o) => {
      const e = row.cases[o.id];
      return e.reached !== o.realReached || e.verdict !== o.verdict.kind || (e.raw === true && !/^ipv[46]\/raw\/PREROUTING#/.test(o.verdict.ruleId ?? ''));
    }).map((o) => `${o.line} — expected ${JSON.stringify(row.cases[o.id])}`);
    assert.deepEqual(wrong, [], `${engineLabel()} behaves as its row says (${row.note})`);
  }

  it(`[truth] direct access to a container address from another host (Engine 28+: dropped in raw PREROUTING; ${engineLabel()})`, async () => {
    judge([
      await check('bridge-direct-80', servers.bridge.ip4, 80),
      await check('bridge-direct-81', servers.bridge.ip4, 81),
    ]);
  });

  it(`[truth] routed IPv4 gateway mode (needs Engine 27+, older engines ignore the option; ${engineLabel()})`, async () => {
    if (major < 27) console.log(`      ${engineLabel()} has no gateway modes: the network is NAT'ed like any other`);
    judge([
      await check('routed-direct-80', servers.routed.ip4, 80),
      await check('routed-direct-81', servers.routed.ip4, 81),
      await check('routed-host-v4', rig.lanIpv4!, servers.routed.hostPort),
      await check('routed-host-v6', rig.lanIpv6!, servers.routed.hostPort),
    ]);
  });

  it(`[truth] nat-unprotected IPv4 gateway mode (needs Engine 28+, older engines ignore the option; ${engineLabel()})`, async () => {
    if (major < 28) console.log(`      ${engineLabel()} has no nat-unprotected mode: the network is NAT'ed like any other`);
    judge([
      await check('natu-direct-80', servers.natu.ip4, 80),
      await check('natu-direct-81', servers.natu.ip4, 81),
      await check('natu-host-v4', rig.lanIpv4!, servers.natu.hostPort),
    ]);
  });

  it(`[truth] an IPv6 network: ip6tables rules and a port published on IPv6, from another host over IPv6 (${engineLabel()})`, async () => {
    const outcomes = [
      await check('v6-host-v6', rig.lanIpv6!, servers.v6.hostPort),
      await check('v6-host-v6-unpublished', rig.lanIpv6!, unpublished),
      await check('v6-direct-v6', servers.v6.ip6!, 80),
      await check('v6-direct-v4', servers.v6.ip4, 80),
    ];
    judge(outcomes);
    // where the engine writes ip6tables rules, the view has the IPv6 DNAT of the published port
    const p = await probe();
    const data = p.data!;
    const v6DnatRows = data.chains.filter((c) => data.tables[c.table]!.title === 'ip6tables nat' && c.name === 'DOCKER')
      .flatMap((c) => data.rules.text.split('\n').slice(c.firstRule, c.firstRule + c.ruleCount))
      .filter((text) => text.includes(`--dport ${servers.v6.hostPort} `) && text.includes('DNAT'));
    const expectsDnat = engineRows[majorMinor]!.cases['v6-host-v6'].verdict === 'container';
    assert.equal(v6DnatRows.length, expectsDnat ? 1 : 0, `ip6tables nat DOCKER DNATs ${servers.v6.hostPort}: ${v6DnatRows.join(' | ') || 'none'}`);
  });
});
