// The one firewall WebviewPanel: loads rules from the engine (helper container, after consent) or from a dump,
// posts them to webview/ as typed messages, answers trace requests, and survives restarts through a serializer.
// Nothing here throws into the extension host: every failure becomes an `error` message in the view and a log line.
import * as path from 'path';
import * as vscode from 'vscode';
import { fetchHostFirewall, HelperImageMissingError, resolveHelperSubject, type HostFirewallResult } from '../../adapters/firewallHelper';
import { maxFirewallDumpBytes, readRegularFile } from '../../adapters/regularFile';
import { classifyEngineError } from '../../core/engine/engineError';
import { decodeDump, engineFactsFromModel, firewallFormatList, parseFirewall, type EngineFacts, type FirewallRuleset } from '../../core/firewall';
import type { HelperSubject } from '../../core/firewall/helperGrant';
import type { HelperTarget } from '../../core/firewall/hostSnapshot';
import { engineAccess, type EngineSession } from '../engineSession';
import { firewallSettings } from '../settings';
import {
  parseFromWebview, parsePersistedState, type FromWebview, type PersistedViewState, type ToWebview, type TraceRequestMessage,
  type ViewData, type ViewFocus, type ViewTrace,
} from '../../../webview/protocol';
import type { HelperConsent } from './consent';
import type { ExposureStore } from './exposureStore';
import { buildViewData, traceForView, type ViewSource } from '../../core/firewall/present/viewModel';
import { errorMessage } from '../../core/errorMessage';
import { webviewHtml } from '../webviewHtml';

export const firewallViewType = 'dockerNetworkDoctor.firewall';

interface Loaded {
  ruleset: FirewallRuleset;
  facts?: EngineFacts;
  data: ViewData;
  /** The data as the `data` message carries it, serialized once. */
  json: string;
  origin: ViewData['facts']['origin'];
  file?: string;
}

/** What the panel did, in order, for whoever observes it (the test seam reads the view back from these). */
export type FirewallPanelEvent =
  | { kind: 'posted'; message: ToWebview }
  /** A message from the webview; undefined when the validator dropped a malformed one. */
  | { kind: 'received'; message: FromWebview | undefined }
  | { kind: 'loaded'; origin: ViewData['facts']['origin']; ruleCount: number; data: ViewData }
  | { kind: 'helperRan'; method: string; refused: HostFirewallResult['refused']; elapsedMs: number; target?: HelperTarget }
  | { kind: 'closed' };

export class FirewallPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly panelDisposables: vscode.Disposable[] = [];
  private loaded: Loaded | undefined;
  private status: ToWebview | undefined;
  private trace: ViewTrace | undefined;
  private focus: ViewFocus | null = null;
  private loading: vscode.CancellationTokenSource | undefined;
  private readonly updated = new vscode.EventEmitter<FirewallPanelEvent>();
  readonly onDidUpdate = this.updated.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly output: vscode.LogOutputChannel,
    private readonly session: EngineSession, private readonly consent: HelperConsent, private readonly exposure: ExposureStore) {}

  // ---- entry points --------------------------------------------------------------------------------------------

  /** Shows the engine's rules (fetching them unless the panel already shows this engine's), optionally focused. */
  async showEngine(focus: ViewFocus | null = null, reload = false): Promise<void> {
    this.ensurePanel();
    this.setFocus(focus);
    if (!reload && this.loaded?.origin === 'engine') return;
    await this.loadFromEngine();
  }

  async openDumpFile(uri?: vscode.Uri): Promise<void> {
    const picked = uri ?? (await vscode.window.showOpenDialog({
      canSelectMany: false, openLabel: 'Open Firewall Dump', title: `Open an ${firewallFormatList('command')} dump`,
    }))?.[0];
    if (!picked) return;
    this.ensurePanel();
    try {
      // a local file only if it is a regular file (a FIFO would never finish, /dev/zero never end)
      const local = picked.scheme === 'file' ? await readRegularFile(picked.fsPath, maxFirewallDumpBytes) : undefined;
      if (local && local.kind !== 'text') {
        this.fail(`Cannot read ${picked.fsPath}: ${local.kind === 'missing' ? 'not found' : local.reason}`);
        return;
      }
      // decoded by its byte order mark: PowerShell's `>` writes UTF-16
      const text = decodeDump(local?.bytes ?? await vscode.workspace.fs.readFile(picked)).text;
      this.loadText(text, 'file', picked.fsPath || picked.toString());
    } catch (err) {
      this.fail(`Cannot read ${picked.fsPath}: ${errorMessage(err)}`);
    }
  }

  async openDumpFromClipboard(): Promise<void> {
    const text = await vscode.env.clipboard.readText();
    this.ensurePanel();
    this.loadText(text, 'clipboard', 'the clipboard');
  }

  /**
   * Restores a panel VS Code kept across a restart: a dump file is read again; the engine's rules are not, because
   * reading them runs the privileged helper, which needs a click in this window (consent given earlier is not one).
   */
  async revive(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.adopt(panel);
    const saved = parsePersistedState(state);
    if (saved?.origin === 'file' && saved.file) return this.openDumpFile(vscode.Uri.file(saved.file));
    if (saved?.origin === 'clipboard') {
      this.post({ type: 'error', message: 'The rules came from the clipboard and were not kept.', fix: 'Open a dump or refresh to read the engine\'s rules.' });
      return;
    }
    this.post({ type: 'error', message: 'Refresh to read the engine\'s firewall rules.',
      fix: 'Reading them runs a short-lived privileged helper container on the engine, so it waits for your click (and asks for consent first if it has ' +
        'none).' });
  }

  dispose(): void {
    this.loading?.cancel();
    this.panel?.dispose();
    this.updated.dispose();
  }

  // ---- panel ---------------------------------------------------------------------------------------------------

  private ensurePanel(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    this.adopt(vscode.window.createWebviewPanel(firewallViewType, 'Firewall', vscode.ViewColumn.Active, this.webviewOptions()));
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    panel.webview.options = this.webviewOptions();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activitybar.svg');
    panel.webview.html = this.html(panel.webview);
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.loaded = undefined;
        this.trace = undefined;
        this.updated.fire({ kind: 'closed' });
        this.loading?.cancel();
        vscode.Disposable.from(...this.panelDisposables.splice(0)).dispose();
      }),
    );
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, this.extensionUri, { script: 'webview.js', style: 'firewall.css', title: 'Firewall' });
  }

  private post(message: ToWebview): void {
    if (message.type === 'loading' || message.type === 'error') this.status = message;
    if (message.type === 'data') this.status = undefined;
    this.updated.fire({ kind: 'posted', message });
    void this.panel?.webview.postMessage(message);
  }

  private setFocus(focus: ViewFocus | null): void {
    this.focus = focus;
    this.post({ type: 'focus', focus });
  }

  private receive(raw: unknown): void {
    const msg = parseFromWebview(raw);
    this.updated.fire({ kind: 'received', message: msg });
    if (!msg) {
      this.output.warn('firewall view: dropped a malformed message from the webview');
      return;
    }
    void this.handle(msg).catch((err) => this.output.error(`firewall view: ${errorMessage(err)}`));
  }

  private async handle(msg: FromWebview): Promise<void> {
    switch (msg.type) {
      case 'ready':
        // a (re)loaded webview: send everything it shows again
        if (this.loaded) this.post({ type: 'data', json: this.loaded.json });
        else if (this.status) this.post(this.status);
        this.post({ type: 'focus', focus: this.focus });
        if (this.trace && this.loaded) this.post({ type: 'trace', trace: this.trace });
        return;
      case 'refresh':
        if (this.loaded?.origin === 'file' && this.loaded.file) return this.openDumpFile(vscode.Uri.file(this.loaded.file));
        return this.loadFromEngine();
      case 'openDump':
        return this.openDumpFile();
      case 'trace':
        this.runTrace(msg.request);
        return;
      case 'rendered':
        this.output.debug(`firewall view: ${msg.visibleRows} of ${msg.rows} rows drawn ${msg.ms} ms after the data arrived`);
        return;
      case 'log':
        this.output.info(`firewall view: ${msg.text}`);
        return;
    }
  }

  /** Traces on the loaded rules; the result goes to the view. */
  runTrace(request: TraceRequestMessage): void {
    if (!this.loaded) {
      this.post({ type: 'error', message: 'No rules are loaded to trace through.' });
      return;
    }
    try {
      this.trace = traceForView(this.loaded.ruleset, request, this.loaded.facts);
      this.post({ type: 'trace', trace: this.trace });
    } catch (err) {
      this.fail(`The trace failed: ${errorMessage(err)}`);
    }
  }

  // ---- loading -------------------------------------------------------------------------------------------------

  private fail(text: string, fix?: string): void {
    this.output.warn(`firewall view: ${text}`);
    this.post({ type: 'error', message: text, ...(fix ? { fix } : {}) });
  }

  private loadText(text: string, origin: 'file' | 'clipboard', source: string): void {
    try {
      const ruleset = parseFirewall(text);
      if (!ruleset.formats.length) {
        this.fail(`No ${firewallFormatList('command', true)} text in ${origin === 'file' ? path.basename(source) : source}.`);
        return;
      }
      // an offline dump may come from another host: it is shown as is, not linked to this engine's containers
      this.publish(ruleset, { origin, source, method: `from ${origin}` }, undefined, origin === 'file' ? source : undefined);
    } catch (err) {
      this.fail(`The dump could not be read: ${errorMessage(err)}`);
    }
  }

  private publish(ruleset: FirewallRuleset, src: ViewSource, facts: EngineFacts | undefined, file?: string): void {
    const { data } = buildViewData(ruleset, src, facts);
    const json = JSON.stringify(data);
    this.loaded = { ruleset, data, json, origin: src.origin, ...(facts ? { facts } : {}), ...(file ? { file } : {}) };
    this.trace = undefined;
    this.updated.fire({ kind: 'loaded', origin: src.origin, ruleCount: ruleset.ruleCount, data });
    if (this.panel) this.panel.title = src.origin === 'engine' ? `Firewall · ${src.engine ?? src.source}` : `Firewall · ${path.basename(src.source)}`;
    this.post({ type: 'data', json });
    this.post({ type: 'focus', focus: this.focus });
  }

  /** What the helper would run on the current engine (the subject of the consent); throws when it cannot tell. */
  async helperSubject(): Promise<HelperSubject> {
    const client = this.session.ensureClient();
    try {
      return await resolveHelperSubject(client, firewallSettings().helperImage);
    } catch (err) {
      if (err instanceof HelperImageMissingError || !(err && typeof err === 'object' && ('code' in err || 'statusCode' in err))) throw err;
      throw new Error(classifyEngineError(err, client.endpoint.host).message);
    }
  }

  /** Runs the helper (after consent) with progress and cancellation, then shows the result. */
  async loadFromEngine(): Promise<void> {
    const { enabled, helperImage } = firewallSettings();
    if (!enabled) {
      this.fail('Reading the engine\'s firewall rules is turned off (dockerNetworkDoctor.firewall.enabled).',
        'Open a saved dump instead ("Docker Network Doctor: Open Firewall Dump…"), or turn the setting on.');
      return;
    }
    const access = engineAccess();
    if (access.kind === 'restricted') {
      this.fail(access.message, 'The firewall helper never runs in Restricted Mode. Saved dumps still open ("Open Firewall Dump…").');
      return;
    }
    let subject: HelperSubject;
    try {
      subject = await this.helperSubject();
    } catch (err) {
      if (err instanceof HelperImageMissingError) {
        this.fail(`The helper image ${err.image} is not on the engine.`, err.message);
        void vscode.window.showErrorMessage(`Docker Network Doctor: ${err.message}`);
      } else {
        this.fail(`The firewall helper cannot be prepared: ${errorMessage(err)}`,
          'Check that the engine answers (the Networks view says why not), or open a saved dump.');
      }
      return;
    }
    const endpoint = this.session.ensureClient().endpoint;
    if (!(await this.consent.ensure(subject))) {
      this.fail(`Not allowed to run the firewall helper on ${endpoint.host}.`, 'Refresh to be asked again, or open a saved dump.');
      return;
    }
    this.loading?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.loading = cts;
    this.post({ type: 'loading',
      text: `Reading the firewall rules of ${endpoint.host} with a helper container (${helperImage}, ${subject.imageId.slice(0, 19)}…)…` });
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Docker Network Doctor: reading the firewall rules',
      cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const stop = () => abort.abort();
        const subs = [token.onCancellationRequested(stop), cts.token.onCancellationRequested(stop)];
        try {
          progress.report({ message: 'reading the engine' });
          const state = await this.session.refresh();
          progress.report({ message: `running the helper (${helperImage})` });
          // from the consented image ID, not the tag: a tag moved since the consent cannot swap the image
          const result = await fetchHostFirewall(endpoint, subject.imageId, { signal: abort.signal });
          if (abort.signal.aborted) throw new Error('cancelled');
          const target = result.snapshot.target;
          this.updated.fire({ kind: 'helperRan', method: result.method.id, refused: result.refused, elapsedMs: result.elapsedMs,
            ...(target ? { target } : {}) });
          const entered = target ? `; entered ${target.command || 'process'} (pid ${target.pid})${target.reason ? `: ${target.reason}` : ''}` : '';
          this.output.info(`firewall: helper ${result.method.id} in ${result.elapsedMs} ` +
            `ms${entered}${result.refused.length ? ` (refused: ${result.refused.map((r) => `${r.method}: ${r.reason}`).join('; ')})` : ''}`);
          const ruleset = parseFirewall(result.snapshot.rulesText);
          const notes = result.refused.map((r) => `${r.method} did not work: ${r.reason}`);
          // e.g. a process named dockerd that was not entered, and why
          notes.push(...result.snapshot.errors);
          if (!result.snapshot.dumps.length) notes.push('no rule dump could be read on this host: docker-proxy processes and sysctls only');
          for (const s of result.snapshot.sections) if (s.exitCode !== undefined
            && s.exitCode !== 0) notes.push(`${s.name} exited with ${s.exitCode}: ${s.text.trim().split('\n').pop() ?? ''}`);
          const model = state.kind === 'connected' ? state.model : undefined;
          const facts = model ? engineFactsFromModel(model, result.snapshot.dockerProxies.length) : undefined;
          // the Published ports view traces each binding through these rules when it is drawn
          if (facts && state.kind === 'connected') this.exposure.set(ruleset, facts, state.host);
          this.publish(ruleset, {
            origin: 'engine', source: endpoint.host, method: `${result.method.id}: ${result.method.description}${entered}`, snapshot: result.snapshot,
            notes, fetchedAt: new Date(),
            ...(state.kind === 'connected' ? { engine: `${state.engine.displayName} · Engine ${state.version.version}` } : {}),
          }, facts);
        } catch (err) {
          if (err instanceof HelperImageMissingError) {
            this.fail(`The helper image ${err.image} is not on the engine.`, err.message);
            void vscode.window.showErrorMessage(`Docker Network Doctor: ${err.message}`);
          } else if (abort.signal.aborted || errorMessage(err) === 'cancelled') {
            this.fail('Reading the firewall rules was cancelled.', 'Refresh to try again.');
          } else {
            this.fail(errorMessage(err), 'See the "Docker Network Doctor" output for details; or open a saved dump instead.');
          }
        } finally {
          subs.forEach((s) => s.dispose());
          if (this.loading === cts) this.loading = undefined;
          cts.dispose();
        }
      });
  }
}

/** Restores the panel after a restart. */
export function firewallSerializer(panel: () => FirewallPanel): vscode.WebviewPanelSerializer {
  return {
    async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
      await panel().revive(webviewPanel, state as PersistedViewState);
    },
  };
}
