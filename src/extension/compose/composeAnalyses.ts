// Analyses of open compose documents, cached per document version: the providers (diagnostics, lenses, hovers, quick
// fixes) all read the same analysis instead of parsing again.
import * as vscode from 'vscode';
import * as path from 'path';
import { composeEnv, composeFileReader, projectFilesFor } from '../../adapters/composeFiles';
import { analyzeCompose, runningBindingsOf, type ComposeAnalysis, type FindingCode, type RunningBinding, type SeveritySetting } from '../../core/compose';
import type { CostSettings } from '../../core/engine/describePorts';
import type { EngineModel } from '../../core/engine/model';
export { isComposeDocument } from './composeDocuments';

/** What the analysis needs from the engine: the userland proxy state (costSettings) and, when connected, its model
 *  and version (how a host-port clash fails differs between engines). */
export interface EngineFacts extends CostSettings {
  model?: EngineModel;
  engineVersion?: string;
}

export class ComposeAnalyses implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; analysis: ComposeAnalysis }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The host ports the engine's containers hold, made once per engine model. */
  private running: { model: EngineModel; bindings: RunningBinding[] } | undefined;

  constructor(private readonly engineFacts: () => EngineFacts = () => ({})) {
    this.subscriptions.push(
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('dockerNetworkDoctor')) this.cache.clear(); }),
    );
  }

  /** The analysis of `document` at its current version (computed at most once per version). */
  get(document: vscode.TextDocument): ComposeAnalysis {
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version) return hit.analysis;
    const analysis = this.analyze(document);
    this.cache.set(key, { version: document.version, analysis });
    return analysis;
  }

  /** Forgets cached analyses (e.g. when the engine's facts changed). */
  clear(): void {
    this.cache.clear();
  }

  private analyze(document: vscode.TextDocument): ComposeAnalysis {
    const file = document.uri.fsPath;
    const openText = (p: string) => (p === file ? document.getText()
      : vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === p)?.getText());
    const onDisk = document.uri.scheme === 'file';
    const sources = onDisk ? projectFilesFor(file, openText) : [{ fileName: file, text: document.getText() }];
    const config = vscode.workspace.getConfiguration('dockerNetworkDoctor', document.uri);
    const facts = this.engineFacts();
    if (facts.model && this.running?.model !== facts.model) this.running = { model: facts.model, bindings: runningBindingsOf(facts.model) };
    return analyzeCompose(sources, {
      env: onDisk ? composeEnv(path.dirname(file), process.env) : { ...process.env },
      readFile: composeFileReader({ openText }),
      severities: config.get<Partial<Record<FindingCode, SeveritySetting>>>('compose.severity', {}),
      proxyCostThresholdPorts: config.get<number>('compose.proxyCostThreshold', 100),
      userlandProxy: facts.userlandProxy,
      userlandProxyReported: facts.userlandProxyReported,
      calibration: facts.calibration,
      runningBindings: facts.model ? this.running!.bindings : undefined,
      engineVersion: facts.engineVersion,
      projectDir: onDisk ? path.dirname(file) : undefined,
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.cache.clear();
  }
}
