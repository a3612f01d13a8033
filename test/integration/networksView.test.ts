import { strict as assert } from 'assert';
import type Docker from 'dockerode';
import * as vscode from 'vscode';
import { activateExtension, removeQuietly, testDocker, testLabels, uniqueName, waitFor } from './helpers';

describe('Networks view on the real engine', () => {
  let network: Docker.Network | undefined;
  after(() => removeQuietly(network));

  it('shows a network the test created through the API, with driver and subnet', async () => {
    const api = await activateExtension();
    const docker = testDocker();
    const name = uniqueName('dnd-it-net');
    network = await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: testLabels(), IPAM: { Config: [{ Subnet: '10.123.45.0/24' }] } });

    await vscode.commands.executeCommand('workbench.view.extension.dockerNetworkDoctor');
    await vscode.commands.executeCommand('dockerNetworkDoctor.tree.refresh');
    const item = await waitFor(`network ${name} in the view`, async () => {
      const nodes = api.networksTree.getChildren();
      const node = nodes.find((n) => n.kind === 'network' && n.network.name === name);
      return node && api.networksTree.getTreeItem(node);
    });
    assert.equal(item.label, name);
    assert.equal(item.description, 'bridge · 10.123.45.0/24');
    assert.equal(api.session.state.kind, 'connected');
  });
});
