// Registers everything the extension does on compose files. The providers are thin: the compose core and the yaml
// parser are loaded (ComposeFeatures) only when the first compose document is open or a provider is asked, so
// activation stays cheap for workspaces that only use the sidebar.
import * as vscode from 'vscode';
import { registerCommand } from '../commands';
import type { EngineSession } from '../engineSession';
import type { ExposureStore } from '../firewall/exposureStore';
import { costSettings } from '../viewSettings';
import type { ComposeEngineContext } from './composeAnalyses';
import { composeSelector, isComposeDocument } from './composeDocuments';
import type { ComposeFeatures } from './composeFeatures';

export function registerCompose(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession, exposure: ExposureStore): void {
  let features: ComposeFeatures | undefined;
  // the engine's containers (their host ports, for host-port-conflict), its version (the error a clash gives) and its
  // userland proxy report (the cost figures); a new engine comes with a new model, so the model tells of changes
  // and the firewall its host runs, once the firewall view has read its rules (published-on-all-interfaces)
  const engineContext = (): ComposeEngineContext => {
    const state = session.state;
    if (state.kind !== 'connected') return { ...costSettings(state) };
    const hostFirewall = exposure.bypassedFirewall(state.host);
    return { ...costSettings(state), model: state.model, engineVersion: state.version.version, ...(hostFirewall ? { hostFirewall } : {}) };
  };
  const lensesChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(lensesChanged);
  const load = (): ComposeFeatures => {
    if (!features) {
      const { ComposeFeatures: Features } = require('./composeFeatures') as typeof import('./composeFeatures');
      features = new Features(vscode.Uri.joinPath(context.extensionUri, 'README.md'), engineContext);
      context.subscriptions.push(features);
      // a compose file is open: read the engine once if no view has (its running containers' ports count)
      if (session.state.kind === 'connecting') void session.refresh();
    }
    return features;
  };
  // what the analyses used from the engine changed: analyse the open compose files again
  let seen: { model: unknown; proxy: boolean | undefined; figures: unknown; firewall?: string } = { model: undefined, proxy: undefined, figures: undefined };
  const factsChanged = () => {
    const facts = engineContext();
    if (facts.model === seen.model && facts.userlandProxy === seen.proxy && facts.calibration?.row === seen.figures
      && facts.hostFirewall === seen.firewall) return;
    seen = { model: facts.model, proxy: facts.userlandProxy, figures: facts.calibration?.row, firewall: facts.hostFirewall };
    if (!features) return;
    features.analyses.clear();
    features.diagnostics.refreshAll();
    lensesChanged.fire();
  };
  context.subscriptions.push(session.onDidChange(factsChanged), exposure.onDidChange(factsChanged), vscode.workspace.onDidChangeConfiguration((e) => {
    // thresholds, severities and the userland proxy setting change the lenses' figures (the analyses drop their cache)
    if (e.affectsConfiguration('dockerNetworkDoctor')) lensesChanged.fire();
  }));
  const loadIfCompose = (d: vscode.TextDocument) => { if (isComposeDocument(d)) load(); };

  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(composeSelector, {
      onDidChangeCodeLenses: lensesChanged.event,
      provideCodeLenses: (d, token) => (isComposeDocument(d) ? load().lenses.provideCodeLenses(d, token) : []),
    }),
    vscode.languages.registerHoverProvider(composeSelector, {
      provideHover: (d, position, token) => (isComposeDocument(d) ? load().hovers.provideHover(d, position, token) : undefined),
    }),
    vscode.languages.registerCodeActionsProvider(composeSelector, {
      provideCodeActions: (d, range, ctx) => (isComposeDocument(d) ? load().quickFixes.provideCodeActions(d, range, ctx) : []),
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    // diagnostics subscribe to edits themselves once loaded; until then an opened compose file loads them
    vscode.workspace.onDidOpenTextDocument(loadIfCompose),
  );
  // compose files already open when the extension activates: after activation, not during it
  setTimeout(() => { for (const d of vscode.workspace.textDocuments) loadIfCompose(d); }, 0);

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
}
