import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import type Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { findCalibration, majorMinor } from '../../src/core/cost/calibration';
import type { TestSeam } from '../../src/extension/testing';
import { engineLabel, engineRig } from '../support/engineRig';
import { countDockerProxies } from './dockerProxies';
import { activateExtension, removeQuietly, testDocker, testLabels, uniqueName, waitFor } from './helpers';
import { childrenOf, nodeAt, runContainer, showViews } from './treeHelpers';

const rig = engineRig();

/** Rule lines (`-A …`) in every table of the engine host's iptables-save, read inside the engine's namespace. */
function iptablesRuleCount(): number {
  const argv = rig.engineNetns ? ['nsenter', `--net=${rig.engineNetns}`, '--', 'iptables-save'] : ['iptables-save'];
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('-A ')).length;
}

const count = (text: string, what: string) => Number(new RegExp(`([\\d,]+) ${what}`).exec(text)?.[1]?.replace(/,/g, '') ?? NaN);

/** The lens on the ports: key of a compose file publishing the same ports as the container, with its tooltip. */
async function lensFor(ports: string): Promise<{ title: string; tooltip: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-it-truth-'));
  const file = path.join(dir, 'compose.yaml');
  fs.writeFileSync(file, `services:\n  svc:\n    image: busybox\n    ports:\n      - "${ports}"\n`);
  const document = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(document);
  try {
    // the figures are the connected engine's once the session has read it: wait for the tooltip to name it
    const want = `Engine ${majorMinor(rig.version)} figures`;
    return await waitFor(`a lens with ${want}`, async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      const lens = lenses?.find((l) => l.command?.title.includes('docker-proxy'));
      const tooltip = String(lens?.command?.tooltip ?? '');
      return lens && tooltip.startsWith(want) && { title: lens.command!.title, tooltip };
    }, 15_000);
  } finally {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Truth: the docker-proxy count and the iptables rule count the Networks view and the compose lens show for N
// published ports equal what the engine's host really runs: docker-proxy processes counted through /proc (by container
// IP), rule lines counted in iptables-save inside the engine's network namespace, before and after the container,
// less what any container on the network adds without publishing (Engine 28 adds one raw PREROUTING DROP of direct
// access per endpoint; 20.10 adds none): that rule is not a cost of publishing, and is measured here, not assumed.
describe(`[truth] cost figures in the view and the lens equal the engine host's (${engineLabel(rig)})`, function () {
  this.timeout(180_000);
  let api: TestSeam;
  /** Rules a container on the network adds without publishing anything (measured in before()). */
  let rulesPerEndpoint = 0;
  const docker = testDocker();
  const made: Array<Docker.Container | Docker.Network> = [];
  const netName = uniqueName('dnd-it-truth');
  const prefix = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}`;

  before(async () => {
    api = await activateExtension();
    made.push(await docker.createNetwork({ Name: netName, Driver: 'bridge', Labels: testLabels(), IPAM: { Config: [{ Subnet: `${prefix}.0/24` }] } }));
    await showViews(api);
    const before = iptablesRuleCount();
    const { container } = await runContainer(docker, { name: uniqueName('dnd-it-truth-noports'), network: netName, ip: `${prefix}.5` });
    rulesPerEndpoint = iptablesRuleCount() - before;
    await container.remove({ force: true });
    console.log(`      a container without published ports adds ${rulesPerEndpoint} rules on ${engineLabel(rig)}`);
  });
  after(() => removeQuietly(...made));

  it(`has a calibration row of its own for ${engineLabel(rig)}`, () => {
    assert.ok(findCalibration(majorMinor(rig.version)),
      `${engineLabel(rig)} has no row in src/core/cost/calibrations.json: run scripts/probes/calibrate-cost.js on it (docs/calibration.md)`);
  });

  for (const [i, n] of [1, 10, 100].entries()) {
    it(`N = ${n} published TCP ports: docker-proxy = /proc, iptables rules = iptables-save (${engineLabel(rig)})`, async () => {
      const name = uniqueName(`dnd-it-truth-${n}`);
      const ip = `${prefix}.${10 + i}`;
      const rulesBefore = iptablesRuleCount();
      const { container, base } = await runContainer(docker, { name, network: netName, ip, ports: { count: n, protocol: 'tcp' } });
      made.unshift(container);
      const node = await waitFor(`${name} with its ports in the view`, () => {
        const c = nodeAt(api, [netName, name]);
        return c && childrenOf(api, c.node).length > 0 && c;
      });
      const shown = childrenOf(api, node.node).map((p) => count(String(p.item.description), 'docker-proxy')).reduce((a, b) => a + b, 0);
      const onHost = await waitFor('docker-proxy processes to settle', () => { const c = countDockerProxies(ip); return c === shown && c; }, 10_000)
        .catch(() => countDockerProxies(ip));
      const realRules = iptablesRuleCount() - rulesBefore - rulesPerEndpoint;
      const tooltip = String(node.item.tooltip);
      const shownRules = count(tooltip, 'iptables rules');
      const lens = await lensFor(n === 1 ? `${base}:${base}` : `${base}-${base + n - 1}:${base}-${base + n - 1}`);
      console.log(`      N=${n}: view ${shown} docker-proxy, ${shownRules} rules; lens "${lens.title}"; /proc ${onHost}, iptables-save +${realRules} ` +
        `(container ${ip})`);
      assert.equal(shown, onHost, 'view docker-proxy = /proc');
      assert.ok(onHost >= n, 'at least one process per port');
      assert.match(tooltip, new RegExp(`Engine ${majorMinor(rig.version).replace('.', '\\.')} figures`), 'the tooltip names the engine');
      assert.equal(shownRules, realRules, 'view iptables rules = iptables-save');
      assert.equal(count(lens.title, 'docker-proxy'), onHost, 'lens docker-proxy = /proc');
      assert.equal(count(lens.title, 'iptables rules'), realRules, 'lens iptables rules = iptables-save');
      await container.remove({ force: true });
      made.shift();
    });
  }
});
