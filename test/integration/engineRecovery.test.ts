import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import type { TestSeam } from '../../src/extension/testing';
import { activateExtension, waitFor } from './helpers';
import { EngineSocketProxy, showViews } from './treeHelpers';

// The engine "stops" by closing a socket proxy in front of it, which the extension is pointed at through its
// `dockerNetworkDoctor.engine.host` setting. Stopping the real test engine (or starting a throwaway dockerd) would
// flush the iptables chains and kill the containers of every other run sharing this machine's engine.
describe('Engine connection: unreachable state and recovery', function () {
  this.timeout(60_000);
  let api: TestSeam;
  const proxy = new EngineSocketProxy(process.env.DOCKER_HOST!.slice('unix://'.length));
  const config = () => vscode.workspace.getConfiguration('dockerNetworkDoctor');

  before(async () => {
    api = await activateExtension();
    await proxy.listen();
    await config().update('engine.host', proxy.host, vscode.ConfigurationTarget.Global);
    await showViews(api);
    await waitFor('the session on the proxy', () => api.session.state.kind === 'connected' && api.session.state.host === proxy.host);
  });
  after(async () => {
    await config().update('engine.host', undefined, vscode.ConfigurationTarget.Global);
    await proxy.close();
  });

  it('shows the unreachable problem with its fix when the engine stops, and no command throws', async () => {
    await proxy.close();
    const state = await waitFor('the unreachable state', () => api.session.state.kind === 'unreachable' && api.session.state, 5000);
    assert.equal(state.problem.kind, 'unreachable');
    assert.match(state.problem.message, /No Docker engine answers at unix:\/\/.*dnd-it-proxy/);
    assert.match(state.problem.fix, /Start Docker/);
    assert.deepEqual(api.networksTree.getChildren(), []);
    // Retry while it is down resolves (the problem is shown, not thrown)
    await vscode.commands.executeCommand('dockerNetworkDoctor.tree.refresh');
    assert.equal(api.session.state.kind, 'unreachable');
  });

  it('recovers on its own once the engine is back (event stream reopened with backoff)', async () => {
    await proxy.listen();
    await waitFor('the connected state again', () => api.session.state.kind === 'connected', 20_000);
    await waitFor('the event stream again', () => api.watcher.streaming, 5000);
    assert.ok(api.networksTree.getChildren().some((n) => n.kind === 'network' && n.network.name === 'bridge'));
  });

  it('reports a bad address as a configuration problem', async () => {
    await config().update('engine.host', 'gopher://nowhere', vscode.ConfigurationTarget.Global);
    const state = await waitFor('the config problem', () => api.session.state.kind === 'unreachable' && api.session.state, 5000);
    assert.equal(state.problem.kind, 'config');
    await config().update('engine.host', proxy.host, vscode.ConfigurationTarget.Global);
    await waitFor('connected again', () => api.session.state.kind === 'connected', 20_000);
  });
});
