// "Why Can't I Reach This?" in the real VS Code against the real engine: on a published port whose app listens only on
// 127.0.0.1 inside its container, the checklist document says exactly that. (What a real connection does in the same
// case is checked in the engine tier, test/engine/reach.test.ts.)
import { strict as assert } from 'assert';
import type Docker from 'dockerode';
import * as vscode from 'vscode';
import type { ReachResult } from '../../src/core/reach/checklist';
import { activateExtension, removeQuietly, TEST_IMAGE, testDocker, testLabels, uniqueName, waitFor } from './helpers';
import { showViews } from './treeHelpers';

describe('Why Can\'t I Reach This?', function () {
  this.timeout(90_000);
  const docker = testDocker();
  const firewallConfig = () => vscode.workspace.getConfiguration('dockerNetworkDoctor.firewall');
  let container: Docker.Container | undefined;
  let name = '';

  before(async () => {
    await activateExtension();
    // the probe that reads the container's sockets uses the helper image setting (the engine cannot pull busybox)
    await firewallConfig().update('helperImage', TEST_IMAGE, vscode.ConfigurationTarget.Global);
    name = uniqueName('dnd-it-reach-lo');
    container = await docker.createContainer({
      name, Image: TEST_IMAGE, Labels: testLabels(), Cmd: ['httpd', '-f', '-p', '127.0.0.1:80'],
      ExposedPorts: { '80/tcp': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '' }] } },
    });
    await container.start();
  });

  it('the live test runs only after the dialog, which names the image, the namespace and the command', async () => {
    const api = await activateExtension();
    await showViews(api);
    const node = await waitFor('the port in the Published ports view', () => api.portsTree.getChildren().find((n) => n.container.name === name));
    const prompts = () => activateExtension().then((api) => api.firewall.consentPrompts());
    try {
      // declined: nothing runs, the step says so
      await activateExtension().then((api) => api.firewall.answerConsentPrompts(false));
      const declined = await vscode.commands.executeCommand<ReachResult>('dockerNetworkDoctor.reach.check', node, 'host', true);
      assert.deepEqual(declined!.steps.filter((s) => /real connection/.test(s.title)).map((s) => [s.result, s.evidence]),
        [['unknown', 'the test connection was not allowed']]);
      const [asked] = await prompts();
      assert.match(asked!.message, /^Make a test connection from host to 127\.0\.0\.1:\d+\?$/);
      assert.match(asked!.detail, new RegExp(`image ${TEST_IMAGE.replace(/[./]/g, '\\$&')} runs in the host's network namespace, with no capabilities`));
      assert.match(asked!.detail, /telnet 127\.0\.0\.1 \d+/);
      // allowed: docker-proxy accepts the host port and closes it, since the app listens on the container's loopback
      await activateExtension().then((api) => api.firewall.answerConsentPrompts(true));
      const allowed = await vscode.commands.executeCommand<ReachResult>('dockerNetworkDoctor.reach.check', node, 'host', true);
      const live = allowed!.steps.find((s) => /^a real connection from the host to 127\.0\.0\.1:/.test(s.title));
      assert.equal(live?.result, 'fail', live?.evidence);
      assert.match(live!.evidence, /closed by the other end with nothing said/);
    } finally {
      await activateExtension().then((api) => api.firewall.answerConsentPrompts());
    }
  });

  after(async () => {
    await removeQuietly(container);
    await firewallConfig().update('helperImage', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('on a published port whose app listens on 127.0.0.1: the listener step fails and names the address', async () => {
    const api = await activateExtension();
    await showViews(api);
    const node = await waitFor('the port in the Published ports view', () => api.portsTree.getChildren().find((n) => n.container.name === name));
    const result = await vscode.commands.executeCommand<ReachResult>('dockerNetworkDoctor.reach.check', node, 'host', false);
    assert.ok(result, 'the command returned the checklist');
    assert.equal(result.cause?.title, `something listens on 80/tcp inside ${name}, on an address others can reach`);
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'docker-network-doctor-reach');
    assert.equal(doc?.languageId, 'markdown');
    const text = doc!.getText();
    assert.match(text, /^# Why can't the host reach `dnd-it-reach-lo-[^`]+` on 80\/tcp\?/);
    assert.match(text, /✓ \*\*dnd-it-reach-lo-\S+ is running\*\*/);
    assert.match(text, /✗ \*\*something listens on 80\/tcp inside .*\n {2}`it listens on 127\.0\.0\.1:80 only/);
    assert.match(text, /fix: `make the app listen on 0\.0\.0\.0/);
    // the probe container is gone
    const id = (await container!.inspect()).Id;
    const probes = await docker.listContainers({ all: true, filters: { label: ['dev.docker-network-doctor.helper'] } });
    assert.equal(probes.filter((p) => (p.HostConfig?.NetworkMode ?? '').includes(id)).length, 0, 'no probe container left');
  });
});
