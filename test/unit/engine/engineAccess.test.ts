// The decision behind Restricted Mode and "from workspace settings". The integration tests cannot enter Restricted
// Mode: their VS Code runs with --disable-workspace-trust and security.workspace.trust.enabled false
// (scripts/lib/vscode-driver.js), so every workspace there is trusted; the decision is tested here instead.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decideEngineAccess, restrictedModeMessage } from '../../../src/core/engine/engineAccess';

const unset = { defaultValue: '' };

describe('engine access and where the engine setting comes from', () => {
  it('touches no engine in an untrusted workspace, whatever the settings say', () => {
    const access = decideEngineAccess(false, { ...unset, globalValue: 'unix:///var/run/docker.sock' }, unset);
    assert.equal(access.kind, 'restricted');
    assert.equal(access.kind === 'restricted' && access.message, restrictedModeMessage);
    assert.match(restrictedModeMessage, /^Restricted Mode: trust this workspace to connect to a Docker engine/);
  });

  it('says nothing when the user\'s own settings or the environment choose the engine', () => {
    assert.deepEqual(decideEngineAccess(true, unset, unset), { kind: 'allowed' });
    assert.deepEqual(decideEngineAccess(true, { ...unset, globalValue: 'tcp://build:2375' }, { ...unset, workspaceValue: 'other' }), { kind: 'allowed' },
      'the user\'s host wins over a workspace context');
  });

  it('says so when .vscode/settings.json sets engine.host or engine.context', () => {
    assert.deepEqual(decideEngineAccess(true, { ...unset, workspaceValue: 'tcp://10.0.0.5:2375' }, unset),
      { kind: 'allowed', settingsFrom: 'workspace settings' });
    assert.deepEqual(decideEngineAccess(true, unset, { ...unset, globalValue: 'mine', workspaceValue: 'theirs' }),
      { kind: 'allowed', settingsFrom: 'workspace settings' });
    assert.deepEqual(decideEngineAccess(true, { ...unset, workspaceFolderValue: 'ssh://x' }, unset),
      { kind: 'allowed', settingsFrom: 'workspace folder settings' });
  });

  it('says so when the workspace empties the user\'s setting (that too sends the views elsewhere)', () => {
    assert.deepEqual(decideEngineAccess(true, { ...unset, globalValue: 'tcp://mine:2375', workspaceValue: '' }, unset),
      { kind: 'allowed', settingsFrom: 'workspace settings' });
    assert.deepEqual(decideEngineAccess(true, { ...unset, workspaceValue: '' }, unset), { kind: 'allowed' }, 'emptying what was empty changes nothing');
  });
});
