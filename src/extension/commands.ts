// One way to register commands: every failure is logged and shown the same way, never thrown into the host.
import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';

export function registerCommand(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  id: string,
  handler: (...args: any[]) => unknown,
): void {
  context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (err) {
      const message = errorMessage(err);
      output.error(`${id}: ${message}`);
      void vscode.window.showErrorMessage(`Docker Network Doctor: ${message}`);
      return undefined;
    }
  }));
}
