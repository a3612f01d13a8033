import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './helpers';

describe('activation', () => {
  it('activates and registers its commands', async () => {
    const api = await activateExtension();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'extension is active');
    assert.equal(typeof api.activationMs, 'number');
    assert.equal(api.extensionMode, vscode.ExtensionMode.Test, 'VS Code runs the extension\'s tests: the test seam is on');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('dockerNetworkDoctor.tree.refresh'), 'refresh command registered');
  });
});
