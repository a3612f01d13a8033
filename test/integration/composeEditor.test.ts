import { strict as assert } from 'assert';
import type Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import { findCalibration, majorMinor } from '../../src/core/cost/calibration';
import { engineLabel, engineRig } from '../support/engineRig';
import { countDockerProxies } from './dockerProxies';
import { activateExtension, removeQuietly, TEST_IMAGE, testDocker, testLabels, uniqueName, waitFor } from './helpers';
import { repoRoot, fixturePath } from '../paths';

const rig = engineRig();
const fixture = fixturePath('compose-editor/compose.yaml');

/** Opens a copy of `text` as `compose.yaml` in a fresh temp folder, so edits never reach the fixtures. */
async function openCompose(text: string): Promise<vscode.TextDocument> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-it-compose-'));
  const file = path.join(dir, 'compose.yaml');
  fs.writeFileSync(file, text);
  const document = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(document);
  return document;
}

async function lensesOf(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return waitFor('code lenses', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    return lenses?.some((l) => l.command?.command === 'dockerNetworkDoctor.compose.showFixes') && lenses;
  });
}

describe('compose files in the editor', () => {
  before(() => activateExtension());
  afterEach(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  it('puts a cost lens above a 10,001-port range', async () => {
    const document = await openCompose(fs.readFileSync(fixture, 'utf8'));
    const lenses = await lensesOf(document);
    const turn = lenses.find((l) => document.lineAt(l.range.start.line).text.trim() === 'ports:' && l.range.start.line === 4);
    assert.ok(turn?.command, `a lens on turn's ports: (got ${lenses.map((l) => l.command?.title).join(' | ')})`);
    // the figures are the connected engine's (its calibration row), and the tooltip says so
    const row = findCalibration(majorMinor(rig.version));
    assert.ok(row, `${engineLabel(rig)} has a calibration row`);
    await waitFor('the lens to use the connected engine\'s figures', async () => {
      const again = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      const t = again?.find((l) => l.range.start.line === 4);
      return String(t?.command?.tooltip).startsWith(`Engine ${majorMinor(row.engine)} figures`) && t;
    }).then((t) => { turn.command = t.command; });
    const rules = row.rulesPerPort.userlandProxy!.iptables!.total * 10_001;
    assert.match(turn.command!.title, new RegExp(`^⚠ 10,001 ports → 20,002 docker-proxy · ~[\\d.]+ GB · ~${rules.toLocaleString('en-US')} iptables rules`));
    assert.match(turn.command!.title, /use host network\?$/);
    const web = lenses.find((l) => l.range.start.line === 9);
    assert.match(web?.command?.title ?? '', /^1 port → 2 docker-proxy/);
  });

  it('explains a port entry on hover, with its cost and the alternatives', async () => {
    const document = await openCompose(fs.readFileSync(fixture, 'utf8'));
    const position = document.positionAt(document.getText().indexOf('40000-50000:') + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /40000-50000/);
    assert.match(text, /20,002 docker-proxy/);
    assert.match(text, /one docker-proxy per host port and address family/);
    assert.match(text, /network_mode: host/);
    assert.match(text, /userland-proxy/);
  });

  it('reports the range in Problems with its code', async () => {
    const document = await openCompose(fs.readFileSync(fixture, 'utf8'));
    const diagnostics = await waitFor('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(document.uri).filter((x) => x.source === 'Docker Network Doctor');
      return d.length > 0 && d;
    });
    const cost = diagnostics.find((d) => typeof d.code === 'object' && d.code.value === 'port-range-proxy-cost');
    assert.ok(cost, `port-range-proxy-cost among ${diagnostics.map((d) => (typeof d.code === 'object' ? d.code.value : d.code)).join(', ')}`);
    assert.match(cost.message, /20,002/);
  });

  it('offers "Use host network" as the preferred fix, and applying it changes only that service', async () => {
    const original = fs.readFileSync(fixture, 'utf8');
    const document = await openCompose(original);
    const diagnostic = await waitFor('the cost diagnostic', () => vscode.languages.getDiagnostics(document.uri)
      .find((d) => typeof d.code === 'object' && d.code.value === 'port-range-proxy-cost'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range,
      vscode.CodeActionKind.QuickFix.value);
    const hostNetwork = actions.find((a) => a.title === 'Use host network for turn');
    assert.ok(hostNetwork?.edit, `the fix is offered (got ${actions.map((a) => a.title).join(' | ')})`);
    assert.equal(hostNetwork.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(hostNetwork.edit));
    const expected = [
      '# A WebRTC stack: the TURN relay publishes a 10,001-port range.',
      'services:',
      '  turn:',
      '    image: coturn/coturn   # TURN relay',
      '    network_mode: host',
      '  web:',
      '    image: nginx',
      '    ports: ["8080:80"]',
      '',
      'networks:',
      '  media: {}',
      '',
    ].join('\n');
    assert.equal(document.getText(), expected);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), original, 'one undo restores the file');
  });
});

describe('compose lens figures against the real engine', () => {
  let container: Docker.Container | undefined;
  afterEach(async () => { await removeQuietly(container); container = undefined; });

  for (const n of [10, 100]) {
    it(`predicts the docker-proxy count of a ${n}-port range`, async function () {
      this.timeout(120_000);
      const first = 42000 + n;
      const range = `${first}-${first + n - 1}`;
      const document = await openCompose(`services:\n  relay:\n    image: busybox\n    ports:\n      - "${range}:${range}/udp"\n`);
      const lens = (await lensesOf(document))[0];
      const predicted = Number(/→ ([\d,]+) docker-proxy/.exec(lens?.command?.title ?? '')?.[1]?.replace(/,/g, ''));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

      const bindings: Record<string, Array<{ HostPort: string }>> = {};
      const exposed: Record<string, object> = {};
      for (let p = first; p < first + n; p++) { bindings[`${p}/udp`] = [{ HostPort: String(p) }]; exposed[`${p}/udp`] = {}; }
      container = await testDocker().createContainer({ Image: TEST_IMAGE, Cmd: ['sleep', '600'], Labels: testLabels(),
        ExposedPorts: exposed, HostConfig: { PortBindings: bindings } });
      await container.start();
      const ip = (await container.inspect()).NetworkSettings.Networks.bridge?.IPAddress;
      assert.ok(ip, 'the container has an address on the default bridge');
      const actual = countDockerProxies(ip);
      assert.equal(predicted, actual, `lens predicted ${predicted}, the engine runs ${actual} docker-proxy processes`);
      assert.equal(actual, 2 * n, 'one per port and address family');
    });
  }
});

describe('host-port-conflict against the real engine\'s running containers', () => {
  let container: Docker.Container | undefined;
  afterEach(async () => { await removeQuietly(container); container = undefined; });

  /** Starts a container publishing tcp `port` with compose's labels, then has the extension read the engine. */
  async function holdPort(port: number, composeLabels: Record<string, string>): Promise<string> {
    const name = uniqueName('dnd-it-holder');
    container = await testDocker().createContainer({ name, Image: TEST_IMAGE, Cmd: ['sleep', '600'], Labels: { ...testLabels(), ...composeLabels },
      ExposedPorts: { '80/tcp': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostPort: String(port) }] } } });
    await container.start();
    const state = await (await activateExtension()).session.refresh();
    assert.ok(state.kind === 'connected' && state.model.containers.some((c) => c.name === name), 'the session saw the container');
    return name;
  }

  const conflicts = (document: vscode.TextDocument) => vscode.languages.getDiagnostics(document.uri)
    .filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'host-port-conflict');

  it('flags a service whose host port a running container of another project holds', async function () {
    this.timeout(60_000);
    const holder = await holdPort(43210, { 'com.docker.compose.project': 'elsewhere', 'com.docker.compose.service': 'web' });
    const document = await openCompose('services:\n  web:\n    image: busybox\n    ports:\n      - "43210:80"\n');
    const [d] = await waitFor('the conflict with the running container', () => conflicts(document).length > 0 && conflicts(document));
    assert.match(d!.message, new RegExp(`host port 43210/tcp on 0\\.0\\.0\\.0 is already published by running container "${holder}"`));
    assert.equal(document.getText(d!.range), '"43210:80"');

    // the CLI reads the same engine with --engine (DOCKER_HOST as the extension has it), and not without
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'check', ...args],
      { cwd: path.dirname(document.uri.fsPath), encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    const withEngine = cli('--engine');
    assert.equal(withEngine.status, 1, withEngine.stdout + withEngine.stderr);
    assert.match(withEngine.stdout, new RegExp(`compose\\.yaml:5:9: error host-port-conflict: .*running container "${holder}"`));
    assert.equal(cli().status, 0);
  });

  it('leaves the project\'s own running container alone (`up` replaces it)', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-it-compose-'));
    await holdPort(43211, { 'com.docker.compose.project': 'whatever', 'com.docker.compose.service': 'web', 'com.docker.compose.project.working_dir': dir });
    const file = path.join(dir, 'compose.yaml');
    // the same port twice in another service: a conflict that shows the analysis ran with the engine's containers
    fs.writeFileSync(file,
      'services:\n  web:\n    image: busybox\n    ports:\n      - "43211:80"\n  api:\n    image: busybox\n    ports:\n      - "43212:80"\n      - ' +
      '"43212:81"\n');
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const found = await waitFor('the analysis', () => conflicts(document).length > 0 && conflicts(document));
    assert.deepEqual(found.map((d) => document.getText(d.range)), ['"43212:81"'], 'only the duplicate in api, not web\'s port that its own container holds');
  });
});
