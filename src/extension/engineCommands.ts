// Switch engine: a quick pick of the docker contexts (plus "follow the docker CLI" and the built-in default). The
// choice is stored in `dockerNetworkDoctor.engine.context`; ~/.docker/config.json (the CLI's own choice) is not
// touched. `dockerNetworkDoctor.engine.host`, when set, still wins, so the pick offers to clear it.
import * as os from 'os';
import * as vscode from 'vscode';
import { dockerConfigFiles } from '../adapters/dockerConfigFiles';
import { currentContextName, dockerConfigDir, listDockerContexts } from '../core/engine/endpoint';
import { registerCommand } from './commands';
import { engineSettings, updateEngineSetting } from './settings';

interface ContextPick extends vscode.QuickPickItem {
  context: string;
}

export function registerEngineCommands(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): void {
  registerCommand(context, output, 'dockerNetworkDoctor.engine.switch', async (preselected?: string) => {
    const configDir = dockerConfigDir(process.env, os.homedir());
    const cliContext = process.env.DOCKER_CONTEXT || currentContextName(configDir, dockerConfigFiles) || 'default';
    const settings = engineSettings();
    let chosen = preselected;
    if (chosen === undefined) {
      const items: ContextPick[] = [
        { label: '$(sync) Follow the docker CLI', description: `DOCKER_HOST, DOCKER_CONTEXT, or the current context (${cliContext})`, context: '' },
        { label: 'default', description: 'DOCKER_HOST or the platform\'s default socket', context: 'default' },
        ...listDockerContexts(configDir, dockerConfigFiles).map((c) => ({ label: c.name, description: c.host, detail: c.description, context: c.name })),
      ];
      for (const item of items) if (item.context === settings.context) item.label = `$(check) ${item.label}`;
      const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Docker engine (context) to show', matchOnDescription: true });
      if (!picked) return undefined;
      chosen = picked.context;
    }
    if (settings.host) {
      const clear = await vscode.window.showWarningMessage(`dockerNetworkDoctor.engine.host (${settings.host}) overrides contexts. Clear it?`, 'Clear', 'Keep');
      if (clear === 'Clear') await updateEngineSetting('engine.host', undefined);
    }
    await updateEngineSetting('engine.context', chosen || undefined);
    return chosen;
  });
}
