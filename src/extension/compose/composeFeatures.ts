// Everything the extension does on compose files, built once the first compose document needs it (see
// registerCompose.ts, which loads this module lazily).
import * as vscode from 'vscode';
import { ComposeAnalyses, type ComposeEngineContext } from './composeAnalyses';
import { ComposeDiagnostics } from './composeDiagnostics';
import { ComposeQuickFixProvider, PortHoverProvider, PortsCodeLensProvider } from './composeProviders';

export class ComposeFeatures implements vscode.Disposable {
  readonly analyses: ComposeAnalyses;
  readonly diagnostics: ComposeDiagnostics;
  readonly lenses: PortsCodeLensProvider;
  readonly hovers: PortHoverProvider;
  readonly quickFixes: ComposeQuickFixProvider;

  constructor(docsUri: vscode.Uri, engineContext: () => ComposeEngineContext) {
    this.analyses = new ComposeAnalyses(engineContext);
    this.diagnostics = new ComposeDiagnostics(this.analyses, docsUri);
    this.lenses = new PortsCodeLensProvider(this.analyses);
    this.hovers = new PortHoverProvider(this.analyses);
    this.quickFixes = new ComposeQuickFixProvider(this.analyses);
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.analyses.dispose();
  }
}
