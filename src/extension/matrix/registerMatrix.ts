// The "Show Reachability Matrix" command and its panel (one at a time, made on first use).
import * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { EngineSession } from '../engineSession';
import type { ExposureStore } from '../firewall/exposureStore';
import { MatrixPanel } from './matrixPanel';

export interface Matrix {
  panel(): MatrixPanel;
}

export function registerMatrix(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession, exposure: ExposureStore): Matrix {
  let panel: MatrixPanel | undefined;
  const get = () => {
    if (!panel) context.subscriptions.push(panel = new MatrixPanel(context.extensionUri, output, session, exposure));
    return panel;
  };
  registerCommand(context, output, 'dockerNetworkDoctor.matrix.show', () => get().show());
  return { panel: get };
}
