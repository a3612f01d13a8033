// Live updates: follows the engine's `/events` stream (container and network types) only while a view is visible,
// batches events (debounced) into EngineSession.applyEvents, and reopens a dropped stream with exponential backoff.
// While no view is visible nothing runs: no stream, no timers, no polling.
import * as vscode from 'vscode';
import type { EngineEventStream } from '../../adapters/dockerClient';
import { parseEngineEvent, subscribedEventTypes, type EngineEvent } from '../../core/engine/engineEvents';
import { eventDebounceMs, reconnectInitialDelayMs, reconnectMaxDelayMs } from '../../core/engine/liveUpdates';
import { RestrictedModeError, type EngineSession } from '../engineSession';
import { errorMessage } from '../../core/errorMessage';


export class EngineWatcher implements vscode.Disposable {
  private active = false;
  private stream: EngineEventStream | undefined;
  private opening = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = reconnectInitialDelayMs;
  private pending: EngineEvent[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: EngineSession, private readonly log: vscode.LogOutputChannel) {
    this.subscription = session.onDidChangeClient(() => {
      this.closeStream();
      if (this.active) this.scheduleOpen(0);
    });
  }

  get streaming(): boolean {
    return this.stream !== undefined;
  }

  /** Starts following events (with a full refresh first, since events were missed while inactive) or stops. */
  setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    if (active) {
      this.retryDelayMs = reconnectInitialDelayMs;
      void this.open();
    } else {
      this.closeStream();
      clearTimeout(this.retryTimer);
      clearTimeout(this.debounceTimer);
      this.pending = [];
    }
  }

  private async open(): Promise<void> {
    if (!this.active || this.stream || this.opening) return;
    this.opening = true;
    try {
      const client = this.session.ensureClient();
      // the stream first, then the full read: nothing that happens in between is missed
      let endedEarly = false;
      const stream: EngineEventStream | undefined = await client.streamEvents(subscribedEventTypes, {
        onEvent: (raw) => this.onEvent(raw),
        onEnd: (err) => {
          if (stream && this.stream === stream) this.onStreamEnd(stream, err);
          else endedEarly = true;
        },
      }).catch(() => undefined);
      const state = await this.session.refresh();
      if (!stream || endedEarly || state.kind !== 'connected' || !this.active) {
        stream?.close();
        if (this.active) this.scheduleOpen(this.nextDelay());
        return;
      }
      this.stream = stream;
      this.retryDelayMs = reconnectInitialDelayMs;
    } catch (err) {
      // a configuration error: the session shows it; retry like any other failure. Restricted Mode waits for trust
      // (granting it reconnects, which reopens the stream)
      void this.session.refresh();
      if (err instanceof RestrictedModeError) return;
      this.log.warn(`events: ${errorMessage(err)}`);
      if (this.active) this.scheduleOpen(this.nextDelay());
    } finally {
      this.opening = false;
    }
  }

  private onStreamEnd(stream: EngineEventStream, err: unknown): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    this.log.info(`events: stream ended${err ? ` (${errorMessage(err)})` : ''}`);
    if (!this.active) return;
    // show the engine's state at once (usually: unreachable), then try again with backoff
    void this.session.refresh().then(() => this.scheduleOpen(this.nextDelay()));
  }

  private nextDelay(): number {
    const d = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, reconnectMaxDelayMs);
    return d;
  }

  private scheduleOpen(delayMs: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.open(), delayMs);
  }

  private onEvent(raw: unknown): void {
    const event = parseEngineEvent(raw);
    if (!event) return;
    this.pending.push(event);
    if (!this.debounceTimer) this.debounceTimer = setTimeout(() => this.flush(), eventDebounceMs);
  }

  private flush(): void {
    this.debounceTimer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length) void this.session.applyEvents(batch);
  }

  private closeStream(): void {
    const s = this.stream;
    this.stream = undefined;
    s?.close();
  }

  dispose(): void {
    this.setActive(false);
    this.subscription.dispose();
  }
}
