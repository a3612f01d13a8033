// Whether the extension may connect to an engine, and whether the engine was chosen by the workspace. A workspace's
// `.vscode/settings.json` can set dockerNetworkDoctor.engine.host or engine.context, and so point the views at another
// engine without a word: in Restricted Mode nothing touches an engine, and in a trusted workspace the view says where
// the engine came from. Pure: the caller passes the trust state and the settings' layers (WorkspaceConfiguration.inspect).

/** The layers of one setting, as `WorkspaceConfiguration.inspect` gives them. */
export interface SettingLayers {
  defaultValue?: string;
  globalValue?: string;
  workspaceValue?: string;
  workspaceFolderValue?: string;
}

export type WorkspaceSettingsOrigin = 'workspace settings' | 'workspace folder settings';

export type EngineAccess =
  | { kind: 'restricted'; message: string; fix: string }
  | { kind: 'allowed'; settingsFrom?: WorkspaceSettingsOrigin };

export const restrictedModeMessage = 'Restricted Mode: trust this workspace to connect to a Docker engine.';

/** The value in effect and the layer it comes from (a folder's beats the workspace's beats the user's). */
function effective(layers: SettingLayers | undefined): { value: string; from?: WorkspaceSettingsOrigin } {
  if (layers?.workspaceFolderValue !== undefined) return { value: layers.workspaceFolderValue.trim(), from: 'workspace folder settings' };
  if (layers?.workspaceValue !== undefined) return { value: layers.workspaceValue.trim(), from: 'workspace settings' };
  return { value: (layers?.globalValue ?? layers?.defaultValue ?? '').trim() };
}

/**
 * `engine.host` wins when set, then `engine.context`, then the environment (DOCKER_HOST, the docker CLI's context). The
 * engine comes from the workspace when the deciding setting is set there, or when the workspace empties a setting the
 * user set (that too sends the views elsewhere).
 */
export function decideEngineAccess(trusted: boolean, host: SettingLayers | undefined, context: SettingLayers | undefined): EngineAccess {
  if (!trusted) {
    return { kind: 'restricted', message: restrictedModeMessage,
      fix: 'Trust the workspace ("Workspaces: Manage Workspace Trust"); compose files are analysed meanwhile without the engine\'s facts.' };
  }
  for (const layers of [host, context]) {
    const { value, from } = effective(layers);
    const userValue = (layers?.globalValue ?? '').trim();
    if (value) return from ? { kind: 'allowed', settingsFrom: from } : { kind: 'allowed' };
    if (from && userValue) return { kind: 'allowed', settingsFrom: from };
  }
  return { kind: 'allowed' };
}
