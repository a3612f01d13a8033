// Code lenses, hovers and quick fixes on compose files: thin adapters from core results (offsets) to editor ranges.
import * as path from 'path';
import * as vscode from 'vscode';
import { portHoverAt, portsLenses, type SuggestedFix } from '../../core/compose';
import { type ComposeAnalyses, isComposeDocument } from './composeAnalyses';
import { diagnosticSource, findingForDiagnostic } from './composeDiagnostics';

const rangeOf = (document: vscode.TextDocument, start: number, end: number) =>
  new vscode.Range(document.positionAt(start), document.positionAt(end));

/** A lens title shows `$(name)` as an icon; one written in the file (a network_mode value) stays text. */
const withoutIcons = (title: string) => title.replace(/\$\(/g, '\\$(');

export class PortsCodeLensProvider implements vscode.CodeLensProvider {
  constructor(private readonly analyses: ComposeAnalyses) {}

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!isComposeDocument(document) || token.isCancellationRequested) return [];
    const analysis = await this.analyses.get(document);
    if (token.isCancellationRequested) return [];
    const file = document.uri.fsPath;
    return portsLenses(analysis, file).map((lens) => {
      // clicking shows the quick fixes of the service's most expensive finding, or just moves to `ports:`
      const finding = analysis.findings.find((f) => f.service === lens.service && f.range.file === file && f.fixes.length > 0);
      const target = finding ? finding.range.start : lens.start;
      return new vscode.CodeLens(rangeOf(document, lens.start, lens.end), {
        title: withoutIcons(lens.title),
        tooltip: [lens.note, finding ? 'Click for quick fixes' : undefined].filter(Boolean).join('\n') || undefined,
        command: 'dockerNetworkDoctor.compose.showFixes',
        arguments: [document.uri, target],
      });
    });
  }
}

export class PortHoverProvider implements vscode.HoverProvider {
  constructor(private readonly analyses: ComposeAnalyses) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!isComposeDocument(document) || token.isCancellationRequested) return undefined;
    const hover = portHoverAt(await this.analyses.get(document), document.uri.fsPath, document.offsetAt(position));
    if (!hover) return undefined;
    const markdown = new vscode.MarkdownString(hover.markdown);
    // user text is in code spans (core/compose/present/markdownText.ts); and no command links, HTML or icons, whatever the text holds
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    markdown.supportThemeIcons = false;
    return new vscode.Hover(markdown, rangeOf(document, hover.start, hover.end));
  }
}

export class ComposeQuickFixProvider implements vscode.CodeActionProvider {
  constructor(private readonly analyses: ComposeAnalyses) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (!isComposeDocument(document)) return [];
    const analysis = await this.analyses.get(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== diagnosticSource) continue;
      const finding = findingForDiagnostic(analysis.findings, document, diagnostic);
      if (!finding) continue;
      for (const fix of finding.fixes) actions.push(this.toAction(document, fix, diagnostic));
    }
    return actions;
  }

  private toAction(document: vscode.TextDocument, fix: SuggestedFix, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = fix.isPreferred;
    const edit = new vscode.WorkspaceEdit();
    for (const e of fix.edits) {
      const uri = e.file === document.uri.fsPath ? document.uri : vscode.Uri.file(path.resolve(path.dirname(document.uri.fsPath), e.file));
      const target = uri.toString() === document.uri.toString() ? document : undefined;
      // edits in other files are rare (extends targets); their offsets need that file's text, so only same-file edits
      // are applied from here
      if (!target) continue;
      edit.replace(uri, rangeOf(target, e.offset, e.offset + e.length), e.newText);
    }
    action.edit = edit;
    if (fix.note) action.command = { title: 'Explain the fix', command: 'dockerNetworkDoctor.compose.explainFix', arguments: [fix.title, fix.note] };
    return action;
  }
}
