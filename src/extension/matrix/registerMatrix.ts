// The "Show Reachability Matrix" command and its panel (one at a time).
import * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { EngineSession } from '../engineSession';
import type { ExposureStore } from '../firewall/exposureStore';
import { MatrixPanel } from './matrixPanel';

export function registerMatrix(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession, exposure: ExposureStore): void {
  let panel: MatrixPanel | undefined;
  registerCommand(context, output, 'dockerNetworkDoctor.matrix.show', () => {
    if (!panel) context.subscriptions.push(panel = new MatrixPanel(context.extensionUri, output, session, exposure));
    panel.show();
  });
}
