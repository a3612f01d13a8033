// Problems for compose files: every finding as a diagnostic with its stable code and a link to its docs, refreshed as
// the user types (debounced; a newer edit supersedes a pending run).
import * as path from 'path';
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../core/compose';
import { type ComposeAnalyses, isComposeDocument } from './composeAnalyses';

export const diagnosticSource = 'Docker Network Doctor';
const typingDebounceMs = 250;
/** The other open compose files are checked again this long after one changes (their host ports against its). */
const otherProjectsDebounceMs = 750;

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

/**
 * Positions of related places: in the document, in another open document (its own positionAt), else in a file's text
 * as analysed (another project's override that is not open). Undefined for a file whose text is not at hand or a
 * file given by a relative name (untitled documents).
 */
function relatedPositions(document: vscode.TextDocument, textOf: (file: string) => string | undefined): (file: string,
  offset: number) => vscode.Position | undefined {
  return (file, offset) => {
    if (file === document.uri.fsPath) return document.positionAt(offset);
    if (!path.isAbsolute(file)) return undefined;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
    if (open) return open.positionAt(offset);
    const text = textOf(file);
    return text === undefined ? undefined : positionInText(text, offset);
  };
}

/** The line and character of `offset` in `text`, as a document's positionAt gives it (\n or \r\n line ends). */
function positionInText(text: string, offset: number): vscode.Position {
  const at = Math.min(Math.max(offset, 0), text.length);
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) { line++; lineStart = i + 1; }
  return new vscode.Position(line, at - lineStart);
}

export class ComposeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('docker-network-doctor');
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly analyses: ComposeAnalyses, private readonly docsUri: vscode.Uri) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => { this.schedule(e.document, typingDebounceMs); this.scheduleOthers(e.document); }),
      vscode.workspace.onDidCloseTextDocument((d) => { this.cancel(d); this.collection.delete(d.uri); }),
      // a compose file's tab opened or closed: the other projects in tabs changed
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        const texts = [...e.opened, ...e.closed].map((t) => t.input).filter((i): i is vscode.TabInputText => i instanceof vscode.TabInputText);
        if (texts.length) this.scheduleOthers(undefined);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('dockerNetworkDoctor')) this.refreshAll(); }),
    );
    this.refreshAll();
  }

  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /**
   * A compose file changed, or a tab opened or closed: the host-port-conflicts of the compose files in tabs against
   * each other's projects may have changed. Their own analyses are cached, so this costs the cross-project check
   * only; an update never schedules another (no loops).
   */
  private scheduleOthers(changed: vscode.TextDocument | undefined): void {
    if (changed && (changed.uri.scheme !== 'file' || !isComposeDocument(changed))) return;
    // every compose document: one whose tab just closed loses its findings against the others
    for (const d of vscode.workspace.textDocuments) if (d !== changed) this.schedule(d, otherProjectsDebounceMs);
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
    const { findings, textOf } = await this.analyses.findingsWithOtherProjects(document);
    // the files beside it were read meanwhile: a newer edit or a close makes this result stale
    if (document.isClosed || document.version !== version) return;
    const file = document.uri.fsPath;
    const diagnostics: vscode.Diagnostic[] = [];
    const positionIn = relatedPositions(document, textOf);
    for (const f of findings) {
      if (f.range.file !== file) continue;
      const range = new vscode.Range(document.positionAt(f.range.start), document.positionAt(f.range.end));
      const d = new vscode.Diagnostic(range, f.message, severityOf[f.severity]);
      d.source = diagnosticSource;
      d.code = { value: f.code, target: this.docsUri.with({ fragment: f.code }) };
      d.relatedInformation = [];
      for (const r of f.related) {
        const uri = r.range.file === file ? document.uri : vscode.Uri.file(r.range.file);
        const start = positionIn(r.range.file, r.range.start);
        const end = positionIn(r.range.file, r.range.end);
        if (start && end) d.relatedInformation.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, new vscode.Range(start, end)), r.message));
      }
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
