// Registers everything the extension does on compose files.
import * as vscode from 'vscode';
import { registerCommand } from '../commands';
import { ComposeAnalyses, type EngineFacts } from './composeAnalyses';
import { ComposeDiagnostics } from './composeDiagnostics';
import { ComposeQuickFixProvider, PortHoverProvider, PortsCodeLensProvider } from './composeProviders';

/** yaml files are filtered by name inside the providers (the `compose.files` setting can add any name). */
export const composeSelector: vscode.DocumentSelector = [
  { language: 'dockercompose' },
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
];

export function registerCompose(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, engineFacts: () => EngineFacts): ComposeAnalyses {
  const analyses = new ComposeAnalyses(engineFacts);
  const diagnostics = new ComposeDiagnostics(analyses, vscode.Uri.joinPath(context.extensionUri, 'README.md'));
  context.subscriptions.push(
    analyses,
    diagnostics,
    vscode.languages.registerCodeLensProvider(composeSelector, new PortsCodeLensProvider(analyses)),
    vscode.languages.registerHoverProvider(composeSelector, new PortHoverProvider(analyses)),
    vscode.languages.registerCodeActionsProvider(composeSelector, new ComposeQuickFixProvider(analyses), ComposeQuickFixProvider.metadata),
  );
  registerCommand(context, output, 'dockerNetworkDoctor.compose.showFixes', async (uri: vscode.Uri, offset: number) => {
    const editor = await vscode.window.showTextDocument(uri);
    const position = editor.document.positionAt(offset);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position));
    await vscode.commands.executeCommand('editor.action.quickFix');
  });
  registerCommand(context, output, 'dockerNetworkDoctor.compose.explainFix', (title: string, note: string) => {
    void vscode.window.showInformationMessage(`${title}: ${note}`);
  });
  return analyses;
}
