// The reachability matrix panel: who among the connected engine's containers can open a connection to whom, each
// cell a trace through the host's rules last read by the firewall view (ExposureStore). The grid is computed here
// (matrixData.ts) and posted as reach codes; a cell's trace is computed when the page asks for it. Messages are
// checked both ways (webview/matrix/protocol.ts); failures become a status line, never an exception in the host.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errorMessage';
import { engineFactsFromModel } from '../../core/firewall';
import type { EngineSession } from '../engineSession';
import type { ExposureStore } from '../firewall/exposureStore';
import { parseFromMatrixView, type ToMatrixView } from '../../../webview/matrix/protocol';
import { matrixCell, matrixViewData, type MatrixRequest } from './matrixData';
import { webviewHtml } from '../webviewHtml';

export const matrixViewType = 'dockerNetworkDoctor.matrix';

export class MatrixPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private request: MatrixRequest | undefined;
  /** Counts grid computations: one that is no longer the latest stops. */
  private generation = 0;
  private target = { port: 80, protocol: 'tcp' as 'tcp' | 'udp' };
  /** The last message posted (what a reloaded page is sent again). */
  private last: ToMatrixView | undefined;
  private readonly posted = new vscode.EventEmitter<ToMatrixView>();
  /** Every message posted to the page (the test seam reads the view back from it). */
  readonly onDidPost = this.posted.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly output: vscode.LogOutputChannel,
    private readonly session: EngineSession, private readonly exposure: ExposureStore) {
    this.disposables.push(this.posted, exposure.onDidChange(() => { if (this.panel) this.compute(); }));
  }

  show(): void {
    if (this.panel) this.panel.reveal();
    else this.create();
    this.compute();
  }

  private create(): void {
    const panel = vscode.window.createWebviewPanel(matrixViewType, 'Reachability Matrix', vscode.ViewColumn.Active, {
      enableScripts: true, retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activitybar.svg');
    panel.webview.html = this.html(panel.webview);
    const own = [
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      panel.onDidDispose(() => { this.panel = undefined; this.request = undefined; this.last = undefined; vscode.Disposable.from(...own).dispose(); }),
    ];
    this.panel = panel;
  }

  /** The grid for the connected engine and the rules last read from it, or a status saying what is missing. */
  private compute(): void {
    const generation = ++this.generation;
    const state = this.session.state;
    if (state.kind !== 'connected') {
      this.request = undefined;
      this.post({ type: 'status', text: 'Not connected to a Docker engine.',
        fix: 'Connect one (Docker Network Doctor: Switch Engine (Docker Context)…), then run this again.' });
      return;
    }
    const ruleset = this.exposure.rulesOf(state.host);
    const readAt = this.exposure.readAt(state.host);
    if (!ruleset || !readAt) {
      this.request = undefined;
      this.post({ type: 'status', text: `The host's rules of ${state.host} have not been read yet: every cell is a trace through them.`,
        fix: 'Open the firewall view (Docker Network Doctor: Show Firewall Rules); it reads them after your consent, and this grid follows.' });
      return;
    }
    const facts = engineFactsFromModel(state.model);
    const request: MatrixRequest = { ruleset, facts, ...this.target,
      source: `rules read from ${state.host} at ${readAt.toLocaleTimeString()}; containers as the engine reports them now` };
    this.request = request;
    this.post({ type: 'status', text: `Tracing every pair of containers to ${request.port}/${request.protocol}…` });
    // row by row, yielding to the event loop between rows (the extension host stays responsive); a newer request
    // (another port, new rules, the panel closed) stops this one
    const current = () => new Promise<boolean>((resolve) => setImmediate(() => resolve(generation === this.generation && !!this.panel)));
    matrixViewData(request, current).then((data) => {
      if (data && generation === this.generation) this.post({ type: 'data', data });
    }, (err: unknown) => this.fail(err));
  }

  private receive(raw: unknown): void {
    const msg = parseFromMatrixView(raw);
    if (!msg) { this.output.warn(`matrix view: dropped a message that is not one the panel takes`); return; }
    if (msg.type === 'ready') { if (this.last) void this.panel?.webview.postMessage(this.last); return; }
    if (msg.type === 'retrace') { this.target = { port: msg.port, protocol: msg.protocol }; this.compute(); return; }
    this.openCell(msg.from, msg.to);
  }

  /** What a click on a cell does: its trace, posted to the page. */
  openCell(from: number, to: number): void {
    if (!this.request) return;
    try {
      const cell = matrixCell(this.request, from, to);
      if (cell) this.send({ type: 'cell', cell });
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    const message = errorMessage(err);
    this.output.error(`matrix view: ${message}`);
    this.post({ type: 'status', text: `The matrix could not be computed: ${message}` });
  }

  /** Posts a message that replaces what the page shows (data or status): sent again when the page reloads. */
  private post(message: ToMatrixView): void {
    this.last = message;
    this.send(message);
  }

  private send(message: ToMatrixView): void {
    void this.panel?.webview.postMessage(message);
    this.posted.fire(message);
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, this.extensionUri, { script: 'matrix.js', style: 'matrix.css', title: 'Reachability Matrix' });
  }

  dispose(): void {
    this.panel?.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
