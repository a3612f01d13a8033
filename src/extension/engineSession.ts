// The connection to one engine and the latest model read from it. Views subscribe to onDidChange; nothing here
// throws into the extension host: a failed refresh becomes `state.kind === 'unreachable'` with a problem to show.
// Reads are serialized (a full refresh and an event batch never race); a full refresh costs three calls
// (/version, /networks, /containers/json?all=1), an event batch at most two id-filtered list calls; `/info` is read
// once per client. In Restricted Mode (an untrusted workspace) nothing touches an engine: ensureClient throws
// RestrictedModeError and the state says so; granting trust reconnects (src/extension/tree/views.ts).
import * as vscode from 'vscode';
import { resolveEngineFromEnvironment } from '../adapters/dockerConfigFiles';
import { DockerClient, type EngineVersion } from '../adapters/dockerClient';
import { readEventChanges, readFullEngine } from '../adapters/engineReads';
import { classifyEngineError, type EngineProblem } from '../core/engine/engineError';
import { userlandProxyFromInfo } from '../core/engine/engineInfo';
import { isEmptyPlan, networkPairKey, planEvents, unsettledNetworkEvents, type EngineEvent } from '../core/engine/engineEvents';
import { unsettledRetryDelaysMs } from '../core/engine/liveUpdates';
import { EndpointError, type ResolvedEngine } from '../core/engine/endpoint';
import { decideEngineAccess, type EngineAccess, type WorkspaceSettingsOrigin } from '../core/engine/engineAccess';
import type { EngineModel } from '../core/engine/model';
import { errorMessage } from '../core/errorMessage';
import { engineSettingLayers, engineSettings } from './settings';

export type EngineState =
  | { kind: 'connecting' }
  | {
    kind: 'connected'; host: string; engine: ResolvedEngine; version: EngineVersion; model: EngineModel;
    /** Whether the engine reports its userland proxy on or off (`/info`, Engine 29+); undefined: it does not say. */
    userlandProxy?: boolean;
  }
  | { kind: 'unreachable'; host: string; problem: EngineProblem };

/** Whether an engine may be reached now (workspace trust) and whether the workspace's settings chose it. */
export function engineAccess(trusted = vscode.workspace.isTrusted): EngineAccess {
  const { host, context } = engineSettingLayers();
  return decideEngineAccess(trusted, host, context);
}

/** Thrown instead of connecting in an untrusted workspace. */
export class RestrictedModeError extends Error {
  constructor(readonly fix: string, message: string) {
    super(message);
  }
}

export class EngineSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EngineState>();
  readonly onDidChange = this.changed.event;
  private readonly clientChanged = new vscode.EventEmitter<void>();
  /** Fires when the endpoint is re-resolved (settings changed, engine switched): event streams must reopen. */
  readonly onDidChangeClient = this.clientChanged.event;
  private current: EngineState = { kind: 'connecting' };
  private client: DockerClient | undefined;
  private resolved: ResolvedEngine | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private pendingRefresh: Promise<EngineState> | undefined;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Connect/disconnect events waiting for a retry, by container and network; a newer event for the pair replaces it. */
  private readonly awaited = new Map<string, EngineEvent>();
  /** What `/info` said of the userland proxy, read once per client (it changes only with a daemon restart). */
  private proxyReport: { client: DockerClient; userlandProxy: boolean | undefined } | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  get state(): EngineState {
    return this.current;
  }

  /** Set when the engine comes from the workspace's (or a folder's) settings: the view says so. */
  settingsFrom: WorkspaceSettingsOrigin | undefined;

  /**
   * The client for on-demand calls (inspect, connect, events); throws EndpointError for a bad configuration and
   * RestrictedModeError in an untrusted workspace.
   */
  ensureClient(): DockerClient {
    const access = engineAccess();
    if (access.kind === 'restricted') {
      this.client = undefined;
      throw new RestrictedModeError(access.fix, access.message);
    }
    if (!this.client) {
      this.settingsFrom = access.settingsFrom;
      const settings = engineSettings();
      this.resolved = resolveEngineFromEnvironment(process.env, settings);
      this.client = new DockerClient(this.resolved.endpoint);
      const context = this.resolved.contextName ? ` ${this.resolved.contextName}` : '';
      const setIn = this.settingsFrom ? `, set in the ${this.settingsFrom}` : '';
      this.log.info(`engine: ${this.resolved.endpoint.host} (from ${this.resolved.source}${context}${setIn})`);
    }
    return this.client;
  }

  /** Re-reads the whole engine. Calls made while one is waiting to start share it. */
  refresh(): Promise<EngineState> {
    this.pendingRefresh ??= this.enqueue(() => {
      this.pendingRefresh = undefined;
      return this.load();
    });
    return this.pendingRefresh;
  }

  /** Drops the client so the next refresh re-resolves the endpoint (settings changed, engine switched, retry). */
  reconnect(): Promise<EngineState> {
    this.client = undefined;
    this.resolved = undefined;
    this.clientChanged.fire();
    return this.refresh();
  }

  /**
   * Applies a batch of engine events with id-filtered list calls; a failure leaves the model for the next refresh.
   * Connect and disconnect events the answer does not show yet are applied again after a short delay (see
   * unsettledNetworkEvents), a few times at most.
   */
  applyEvents(events: readonly EngineEvent[], attempt = 0): Promise<void> {
    // a retry goes only for the events no newer one replaced; either way, what is handled now is no longer awaited
    if (attempt > 0) events = events.filter((e) => this.awaited.get(networkPairKey(e)!) === e);
    for (const e of events) {
      const key = networkPairKey(e);
      if (key) this.awaited.delete(key);
    }
    if (!events.length) return Promise.resolve();
    return this.enqueue(async () => {
      const state = this.current;
      if (state.kind !== 'connected' || !this.client) return;
      const plan = planEvents(events);
      if (isEmptyPlan(plan)) return;
      try {
        const model = await readEventChanges(this.client, state.model, plan);
        if (this.current !== state) return; // a full refresh replaced the model meanwhile
        this.set({ ...state, model });
        const unsettled = unsettledNetworkEvents(model, events);
        if (unsettled.length) this.retryLater(unsettled, attempt);
      } catch (err) {
        this.log.warn(`engine: applying ${events.length} events failed: ${errorMessage(err)}`);
      }
    });
  }

  private retryLater(events: readonly EngineEvent[], attempt: number): void {
    const delay = unsettledRetryDelaysMs[attempt];
    if (delay === undefined) {
      this.log.warn(`engine: ${events.length} network connect/disconnect events still not shown by the engine's container list; the next refresh will show ` +
        `them`);
      return;
    }
    for (const e of events) this.awaited.set(networkPairKey(e)!, e);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      void this.applyEvents(events, attempt + 1);
    }, delay);
    this.retryTimers.add(timer);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async load(): Promise<EngineState> {
    let host = '';
    try {
      const client = this.ensureClient();
      host = client.endpoint.host;
      const { version, model } = await readFullEngine(client);
      const userlandProxy = await this.userlandProxyOf(client);
      if (client !== this.client) return this.current; // switched engines meanwhile
      this.set(userlandProxy === undefined
        ? { kind: 'connected', host, engine: this.resolved!, version, model }
        : { kind: 'connected', host, engine: this.resolved!, version, model, userlandProxy });
    } catch (err) {
      const problem = err instanceof RestrictedModeError ? { kind: 'restricted' as const, message: err.message, fix: err.fix }
        : err instanceof EndpointError
        ? { kind: 'config' as const, message: err.message,
          fix: 'Correct dockerNetworkDoctor.engine.host, dockerNetworkDoctor.engine.context, DOCKER_HOST or DOCKER_CONTEXT.' }
        : classifyEngineError(err, host || 'the configured engine');
      if (this.current.kind !== 'unreachable' || this.current.problem.message !== problem.message) this.log.warn(`engine: ${problem.message}`);
      this.proxyReport = undefined; // the daemon may come back restarted with other settings
      this.set({ kind: 'unreachable', host, problem });
    }
    return this.current;
  }

  /**
   * The userland proxy state `/info` reports, once per client: not part of every refresh (three calls, see above).
   * An engine that fails `/info` is treated as one that does not say.
   */
  private async userlandProxyOf(client: DockerClient): Promise<boolean | undefined> {
    if (this.proxyReport?.client === client) return this.proxyReport.userlandProxy;
    let userlandProxy: boolean | undefined;
    try {
      userlandProxy = userlandProxyFromInfo(await client.info());
    } catch (err) {
      this.log.warn(`engine: /info failed, the cost figures assume the userland proxy setting: ${errorMessage(err)}`);
    }
    this.proxyReport = { client, userlandProxy };
    if (userlandProxy !== undefined) this.log.info(`engine: reports the userland proxy ${userlandProxy ? 'on' : 'off'}`);
    return userlandProxy;
  }

  private set(state: EngineState): void {
    this.current = state;
    this.changed.fire(state);
  }

  dispose(): void {
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    this.awaited.clear();
    this.changed.dispose();
    this.clientChanged.dispose();
  }
}
