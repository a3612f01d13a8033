// Analyses of open compose documents, cached per document version: the providers (diagnostics, lenses, hovers, quick
// fixes) all read the same analysis instead of parsing again. The files beside the document (overrides, `.env`,
// `extends` targets) are read asynchronously, so a slow disk never blocks the extension host.
import * as vscode from 'vscode';
import * as path from 'path';
import { composeEnv, composeProfilesVariable, projectFilesFor, withExtendsFilesRead, type UnreadFile } from '../../adapters/composeFiles';
import {
  analyzeCompose, crossProjectConflicts, engineNetworksOf, maxOtherProjects, failedAnalysis, runningBindingsOf, type ComposeAnalysis, type EngineNetwork,
    type Finding, type RunningBinding,
} from '../../core/compose';
import type { CostSettings } from '../../core/engine/describePorts';
import type { EngineModel } from '../../core/engine/model';
import { composeSettings } from '../settings';
import { isComposeDocument } from './composeDocuments';
export { isComposeDocument };

/** Open compose documents looked at for other projects' host ports (several may be files of one project; the core
 *  then compares at most maxOtherProjects projects). */
const maxOtherDocuments = 2 * maxOtherProjects;

/** The compose files on disk that are open in an editor tab, in tab order. */
export function composeFilesInTabs(): vscode.TextDocument[] {
  const inTabs = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'file') inTabs.add(tab.input.uri.toString());
  }
  return vscode.workspace.textDocuments.filter((d) => !d.isClosed && inTabs.has(d.uri.toString()) && isComposeDocument(d));
}

/** A document's findings, its own and those against the other open projects, and the texts of the files they name. */
export interface DocumentFindings {
  findings: Finding[];
  textOf: (file: string) => string | undefined;
}

/** What the analysis needs from the engine: the userland proxy state (costSettings) and, when connected, its model
 *  and version (how a host-port clash fails differs between engines). */
export interface ComposeEngineContext extends CostSettings {
  model?: EngineModel;
  engineVersion?: string;
  /** `ufw`/`firewalld` when the firewall view read the engine host's rules and found one (published-on-all-interfaces). */
  hostFirewall?: string;
}

export class ComposeAnalyses implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; analysis: Promise<ComposeAnalysis> }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The host ports the engine's containers hold and its networks' subnets, made once per engine model. */
  private running: { model: EngineModel; bindings: RunningBinding[]; networks: EngineNetwork[] } | undefined;

  constructor(private readonly engineContext: () => ComposeEngineContext = () => ({})) {
    this.subscriptions.push(
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('dockerNetworkDoctor')) this.cache.clear(); }),
    );
  }

  /** The analysis of `document` at its current version (computed at most once per version). */
  get(document: vscode.TextDocument): Promise<ComposeAnalysis> {
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version) return hit.analysis;
    // the core turns hostile input into findings; anything that still throws is reported, never thrown at VS Code
    const analysis = this.analyze(document).catch((err: unknown) => failedAnalysis(document.uri.fsPath, err));
    this.cache.set(key, { version: document.version, analysis });
    return analysis;
  }

  /**
   * The document's findings with host-port-conflict against the compose projects of the other compose files open in
   * editor tabs, when it is in a tab itself (saved files only: an untitled draft is no project; documents held open
   * without a tab, by other extensions or after their tab closed, are not the user's open projects). Their analyses
   * come from the same cache, so a change in one
   * file re-analyses only that file.
   */
  async findingsWithOtherProjects(document: vscode.TextDocument): Promise<DocumentFindings> {
    const analysis = await this.get(document);
    const texts = (a: ComposeAnalysis) => (file: string) => a.files.find((f) => f.fileName === file)?.text;
    if (document.uri.scheme !== 'file') return { findings: analysis.findings, textOf: texts(analysis) };
    const inTabs = composeFilesInTabs();
    if (!inTabs.includes(document)) return { findings: analysis.findings, textOf: texts(analysis) };
    const others = inTabs.filter((d) => d !== document).slice(0, maxOtherDocuments);
    const analyses = await Promise.all(others.map((d) => this.get(d)));
    const cross = crossProjectConflicts(analysis, analyses, (f) => vscode.workspace.asRelativePath(f));
    if (!cross.length) return { findings: analysis.findings, textOf: texts(analysis) };
    return {
      findings: [...analysis.findings, ...cross],
      textOf: (file) => texts(analysis)(file) ?? analyses.map((a) => texts(a)(file)).find((t) => t !== undefined),
    };
  }

  /** Forgets cached analyses (e.g. when the engine's facts changed). */
  clear(): void {
    this.cache.clear();
  }

  private async analyze(document: vscode.TextDocument): Promise<ComposeAnalysis> {
    const file = document.uri.fsPath;
    const text = document.getText();
    const openText = (p: string) => (p === file ? text
      : vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === p)?.getText());
    const onDisk = document.uri.scheme === 'file';
    const env = onDisk ? await composeEnv(path.dirname(file), process.env) : { env: { ...process.env } };
    const { sources, unread } = onDisk ? await projectFilesFor(file, openText, env.env) : { sources: [{ fileName: file, text }], unread: [] };
    const activeProfiles = composeProfilesVariable(env.env);
    if (env.unread) unread.push(env.unread);
    const settings = composeSettings(document.uri);
    const facts = this.engineContext();
    if (facts.model && this.running?.model !== facts.model) this.running = { model: facts.model, bindings: runningBindingsOf(facts.model),
      networks: engineNetworksOf(facts.model) };
    const analysis = await withExtendsFilesRead({ openText }, (readFile) => analyzeCompose(sources, {
      env: env.env,
      readFile,
      severities: settings.severities,
      proxyCostThresholdPorts: settings.proxyCostThresholdPorts,
      userlandProxy: facts.userlandProxy,
      userlandProxyReported: facts.userlandProxyReported,
      calibration: facts.calibration,
      runningBindings: facts.model ? this.running!.bindings : undefined,
      engineNetworks: facts.model ? this.running!.networks : undefined,
      engineVersion: facts.engineVersion,
      hostFirewall: facts.hostFirewall,
      projectDir: onDisk ? path.dirname(file) : undefined,
      activeProfiles,
    }));
    const severity = settings.severities['invalid-compose-file'] ?? 'error';
    if (unread.length && severity !== 'off') analysis.findings.unshift(...unread.map((u) => unreadFileFinding(u, file, severity)));
    return analysis;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.cache.clear();
  }
}

/** A file beside the document that compose would read but that was refused, shown at the top of the document. */
function unreadFileFinding(unread: UnreadFile, documentFile: string, severity: Finding['severity']): Finding {
  return {
    code: 'invalid-compose-file', severity, related: [], fixes: [],
    message: `${path.basename(unread.fileName)} was not read: ${unread.reason} (${unread.fileName})`,
    range: { file: documentFile, start: 0, end: 0 },
  };
}
