// Problems for compose files: every finding as a diagnostic with its stable code and a link to its docs, refreshed as
// the user types (debounced; a newer edit supersedes a pending run).
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../core/compose';
import { type ComposeAnalyses, isComposeDocument } from './composeAnalyses';

export const diagnosticSource = 'Docker Network Doctor';
const typingDebounceMs = 250;

const severityOf: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** The finding a diagnostic was made from: same code, same start. */
export function findingForDiagnostic(findings: readonly Finding[], document: vscode.TextDocument, d: vscode.Diagnostic): Finding | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  const start = document.offsetAt(d.range.start);
  return findings.find((f) => f.code === code && f.range.file === document.uri.fsPath && f.range.start === start);
}

export class ComposeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('docker-network-doctor');
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly analyses: ComposeAnalyses, private readonly docsUri: vscode.Uri) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, typingDebounceMs)),
      vscode.workspace.onDidCloseTextDocument((d) => { this.cancel(d); this.collection.delete(d.uri); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('dockerNetworkDoctor')) this.refreshAll(); }),
    );
    this.refreshAll();
  }

  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!isComposeDocument(document)) return;
    this.cancel(document);
    const version = document.version;
    this.pending.set(document.uri.toString(), setTimeout(() => {
      this.pending.delete(document.uri.toString());
      if (document.isClosed || document.version !== version) return; // superseded by a newer edit
      void this.update(document, version);
    }, delayMs));
  }

  private cancel(document: vscode.TextDocument): void {
    const timer = this.pending.get(document.uri.toString());
    if (timer) clearTimeout(timer);
    this.pending.delete(document.uri.toString());
  }

  private async update(document: vscode.TextDocument, version: number): Promise<void> {
    const analysis = await this.analyses.get(document);
    // the files beside it were read meanwhile: a newer edit or a close makes this result stale
    if (document.isClosed || document.version !== version) return;
    const file = document.uri.fsPath;
    const diagnostics: vscode.Diagnostic[] = [];
    for (const f of analysis.findings) {
      if (f.range.file !== file) continue;
      const range = new vscode.Range(document.positionAt(f.range.start), document.positionAt(f.range.end));
      const d = new vscode.Diagnostic(range, f.message, severityOf[f.severity]);
      d.source = diagnosticSource;
      d.code = { value: f.code, target: this.docsUri.with({ fragment: f.code }) };
      d.relatedInformation = f.related
        .filter((r) => r.range.file === file)
        .map((r) => new vscode.DiagnosticRelatedInformation(
          new vscode.Location(document.uri, new vscode.Range(document.positionAt(r.range.start), document.positionAt(r.range.end))), r.message));
      diagnostics.push(d);
    }
    this.collection.set(document.uri, diagnostics);
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
