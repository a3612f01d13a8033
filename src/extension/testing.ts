// The test seam: the one way the integration tests and the activation benchmark reach into the running extension.
// It exists only when VS Code runs the extension from its sources: ExtensionMode.Development with
// extensionDevelopmentPath, Test with extensionTestsPath as well (the integration tests, the bench, the e2e). An
// installed extension runs in Production and has none: activate() then returns the public API alone. The seam
// observes the production objects through their events and answers the modals a test cannot click (the e2e clicks
// the real ones); nothing in them is written for it.
import * as vscode from 'vscode';
import type { HostFirewallResult } from '../adapters/firewallHelper';
import type { HelperGrant, HelperSubject } from '../core/firewall/helperGrant';
import type { HelperTarget } from '../core/firewall/hostSnapshot';
import type { TraceRequestMessage, ViewData, ViewTrace } from '../../webview/protocol';
import type { EngineSession } from './engineSession';
import type { EngineWatcher } from './tree/engineWatcher';
import type { Firewall } from './firewall/registerFirewall';
import type { Matrix } from './matrix/registerMatrix';
import type { MatrixCellTrace, ToMatrixView } from '../../webview/matrix/protocol';
import type { FirewallPanelEvent } from './firewall/firewallPanel';
import type { NetworksTreeProvider } from './tree/networksTree';
import { modalPrompts, type UserPrompts } from './prompts';
import type { PublishedPortsTreeProvider } from './tree/publishedPortsTree';

/** The firewall view as the tests read it back, from the panel's events. */
export interface FirewallProbe {
  /** Where the rules shown came from; undefined when none are (nothing loaded, or the panel closed). */
  origin?: string;
  ruleCount?: number;
  data?: ViewData;
  trace?: ViewTrace;
  error?: { message: string; fix?: string };
  /** The webview's report of its first rows on screen for the data shown. */
  rendered?: { rows: number; visibleRows: number; ms: number };
  helper?: { method: string; refused: HostFirewallResult['refused']; elapsedMs: number; target?: HelperTarget };
  /** Messages from the webview the validator dropped, and the webview's own log lines. */
  log: string[];
}

export interface FirewallSeam {
  probe(): FirewallProbe;
  /** Traces on the loaded rules as the view's Trace button does; the trace the view got, if any. */
  trace(request: TraceRequestMessage): ViewTrace | undefined;
  /** Grants consent for the current engine the way the modal does: the same store, the same check afterwards. */
  grantConsent(): Promise<HelperSubject>;
  consentGrants(): HelperGrant[];
  /** Answers the consent modals (firewall helper, live reach test) with `answer` and records them; undefined: ask. */
  answerConsentPrompts(answer?: boolean): void;
  consentPrompts(): Array<{ message: string; detail: string }>;
}

/** The reachability matrix view as the tests read it back, from the panel's posted messages. */
export interface MatrixSeam {
  /** The last grid or status the page was sent. */
  shown(): Extract<ToMatrixView, { type: 'data' | 'status' }> | undefined;
  /** Opens a cell as a click does; the trace the page got, if any. */
  openCell(from: number, to: number): MatrixCellTrace | undefined;
}

export interface TestSeam {
  /** How VS Code runs the extension: Development or Test, never Production. */
  extensionMode: vscode.ExtensionMode;
  session: EngineSession;
  networksTree: NetworksTreeProvider;
  portsTree: PublishedPortsTreeProvider;
  watcher: EngineWatcher;
  firewall: FirewallSeam;
  matrix: MatrixSeam;
  /** Answers the confirmation modals (connect, disconnect) with `answer`; undefined: ask. */
  answerConfirmations(answer?: boolean): void;
  /** Milliseconds activate() took, for `npm run bench`. */
  activationMs: number;
  /** Milliseconds from the bundle's first statement to activate() (evaluating the modules), for `npm run bench`. */
  bundleEvalMs: number;
  /** Of bundleEvalMs, the first require('vscode'): the extension host building this extension's API object. */
  vscodeApiMs: number;
}

/** What activate() built, for the seam to expose. */
export interface SeamParts {
  session: EngineSession;
  networksTree: NetworksTreeProvider;
  portsTree: PublishedPortsTreeProvider;
  watcher: EngineWatcher;
  firewall: Firewall;
  matrix: Matrix;
  timings: { activationMs: number; bundleEvalMs: number; vscodeApiMs: number };
}

/** A modal that answers itself while a test says so, recording what it was asked. */
class AnsweredModal<Args extends unknown[]> {
  private answer: boolean | undefined;
  readonly asked: Args[] = [];

  constructor(private readonly modal: (...args: Args) => Thenable<boolean>) {}

  readonly ask = (...args: Args): Thenable<boolean> => {
    if (this.answer === undefined) return this.modal(...args);
    this.asked.push(args);
    return Promise.resolve(this.answer);
  };

  answerWith(answer: boolean | undefined): void {
    this.asked.length = 0;
    this.answer = answer;
  }
}

function recordInto(probe: FirewallProbe, event: FirewallPanelEvent): void {
  switch (event.kind) {
    case 'posted': {
      const m = event.message;
      if (m.type === 'error') probe.error = { message: m.message, ...(m.fix ? { fix: m.fix } : {}) };
      if (m.type === 'data') probe.error = undefined;
      if (m.type === 'trace') probe.trace = m.trace;
      return;
    }
    case 'received': {
      const m = event.message;
      if (!m) probe.log.push('dropped a malformed message');
      else if (m.type === 'rendered') probe.rendered = { rows: m.rows, visibleRows: m.visibleRows, ms: m.ms };
      else if (m.type === 'log') probe.log.push(m.text);
      return;
    }
    case 'loaded':
      Object.assign(probe, { origin: event.origin, ruleCount: event.ruleCount, data: event.data, trace: undefined, rendered: undefined });
      return;
    case 'helperRan': {
      const { kind: _kind, ...helper } = event;
      void _kind;
      probe.helper = helper;
      return;
    }
    case 'closed':
      // nothing is loaded any more (a test that needs rules then fetches them again)
      probe.origin = undefined;
      return;
  }
}

export interface PreparedTestSeam {
  /** The prompts activate() hands out: the modals, unless a test answers them. */
  prompts: UserPrompts;
  /** Builds the seam over what activate() made. */
  attach(parts: SeamParts): TestSeam;
}

/** The seam, when VS Code runs the extension from its sources; undefined in an installed extension. */
export function prepareTestSeam(context: vscode.ExtensionContext): PreparedTestSeam | undefined {
  if (context.extensionMode === vscode.ExtensionMode.Production) return undefined;
  const consent = new AnsweredModal(modalPrompts.consent);
  const confirm = new AnsweredModal(modalPrompts.confirm);
  return {
    prompts: { consent: consent.ask, confirm: confirm.ask },
    attach({ session, networksTree, portsTree, watcher, firewall, matrix, timings }) {
      // the panel object now (no webview until it is shown), so that no event is missed
      const panel = firewall.panel();
      const probe: FirewallProbe = { log: [] };
      context.subscriptions.push(panel.onDidUpdate((event) => recordInto(probe, event)));
      const matrixPanel = matrix.panel();
      let matrixShown: ReturnType<MatrixSeam['shown']>;
      context.subscriptions.push(matrixPanel.onDidPost((m) => { if (m.type !== 'cell') matrixShown = m; }));
      return {
        extensionMode: context.extensionMode, session, networksTree, portsTree, watcher, ...timings,
        answerConfirmations: (answer) => confirm.answerWith(answer),
        matrix: {
          shown: () => matrixShown,
          openCell(from, to) {
            let cell: MatrixCellTrace | undefined;
            const listening = matrixPanel.onDidPost((m) => { if (m.type === 'cell') cell = m.cell; });
            try {
              matrixPanel.openCell(from, to);
            } finally {
              listening.dispose();
            }
            return cell;
          },
        },
        firewall: {
          probe: () => probe,
          trace(request) {
            let shown: ViewTrace | undefined;
            const listening = panel.onDidUpdate((e) => { if (e.kind === 'posted' && e.message.type === 'trace') shown = e.message.trace; });
            try {
              panel.runTrace(request);
            } finally {
              listening.dispose();
            }
            return shown;
          },
          async grantConsent() {
            const subject = await panel.helperSubject();
            await firewall.consent.grant(subject);
            return subject;
          },
          consentGrants: () => firewall.consent.grants(),
          answerConsentPrompts: (answer) => consent.answerWith(answer),
          consentPrompts: () => consent.asked.map(([message, detail]) => ({ message, detail })),
        },
      };
    },
  };
}
