// The Get Started walkthrough (package.json `contributes.walkthroughs`): opened once, on the first activation after
// install (VS Code itself opens walkthroughs only for installs it makes from its own UI), and again on request.
import * as vscode from 'vscode';
import { registerCommand } from './commands';

export const WALKTHROUGH_ID = 'gettingStarted';
const SHOWN_KEY = 'walkthroughShown';

export function registerWalkthrough(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): void {
  const open = () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
  registerCommand(context, output, 'dockerNetworkDoctor.walkthrough.open', open);
  // integration tests run many activations against one profile: only a person's first activation opens it
  if (context.extensionMode === vscode.ExtensionMode.Test || context.globalState.get<boolean>(SHOWN_KEY)) return;
  void context.globalState.update(SHOWN_KEY, true).then(open, (e: unknown) => output.warn(`could not open the walkthrough: ${String(e)}`));
}
