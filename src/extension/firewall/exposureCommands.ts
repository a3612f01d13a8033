// "Close This Port to Outside…" on a Published ports row that Docker publishes past the host firewall: the ways to
// close it, each copied to the clipboard on choice. The extension never changes firewall rules itself.
import * as vscode from 'vscode';
import { exposureFixes } from '../../core/firewall';
import { registerCommand } from '../commands';
import type { EngineSession } from '../engineSession';
import { bindingOf, type TreeNode } from '../tree/nodes';
import type { ExposureStore } from './exposureStore';

export function registerExposureCommands(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession,
  store: ExposureStore): void {
  registerCommand(context, output, 'dockerNetworkDoctor.exposure.fixes', async (node?: TreeNode) => {
    const state = session.state;
    const port = bindingOf(node);
    if (!port || state.kind !== 'connected') return;
    const exposures = store.exposureOf(state.host, port.container, port.binding) ?? [];
    const bypassed = exposures.filter((e) => e.disagreement);
    if (!bypassed.length) {
      void vscode.window.showInformationMessage('Docker Network Doctor: by the host rules last read, this port is not published past the host firewall.');
      return;
    }
    type Item = vscode.QuickPickItem & { text: string };
    const items: Item[] = bypassed.flatMap((e) => exposureFixes(e)).map((f) => {
      const text = f.argv.join(' ');
      return { label: f.title, description: text, detail: f.detail, text };
    });
    const compose = port.container.labels['com.docker.compose.project.config_files'];
    const service = port.container.labels['com.docker.compose.service'];
    const pick = await vscode.window.showQuickPick(items, {
      title: `Close ${port.binding.hostStart}/${port.binding.protocol} to outside`,
      placeHolder: compose && service
        ? `Or publish it on 127.0.0.1 in ${compose.split(',')[0]} (service ${service}). A choice is copied, not run.`
        : 'A choice is copied to the clipboard, not run: run it on the engine\'s host yourself.',
      matchOnDetail: true,
    });
    if (!pick) return;
    await vscode.env.clipboard.writeText(pick.text);
    void vscode.window.showInformationMessage(`Docker Network Doctor: copied "${pick.text}". Run it on the engine's host; then Refresh the firewall view to ` +
      `see the port closed.`);
  });
}
