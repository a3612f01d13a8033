// The connection to one engine and the latest model read from it. Views subscribe to onDidChange; nothing here
// throws into the extension host: a failed refresh becomes `state.kind === 'unreachable'` with a problem to show.
import * as vscode from 'vscode';
import { DockerClient, type EngineVersion } from '../adapters/dockerClient';
import { classifyEngineError, type EngineProblem } from '../core/engine/engineError';
import { EndpointError, resolveEngineEndpoint } from '../core/engine/endpoint';
import type { NetworkModel } from '../core/engine/model';
import { normalizeNetworks } from '../core/engine/normalizeNetworks';

export type EngineState =
  | { kind: 'connecting' }
  | { kind: 'connected'; host: string; version: EngineVersion; networks: NetworkModel[] }
  | { kind: 'unreachable'; host: string; problem: EngineProblem };

export class EngineSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EngineState>();
  readonly onDidChange = this.changed.event;
  private current: EngineState = { kind: 'connecting' };
  private client: DockerClient | undefined;
  private inFlight: Promise<EngineState> | undefined;

  get state(): EngineState {
    return this.current;
  }

  /** Re-reads the engine. Concurrent calls share one request. */
  refresh(): Promise<EngineState> {
    this.inFlight ??= this.load().finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  /** Drops the client so the next refresh re-resolves the endpoint (after a settings change). */
  reconnect(): Promise<EngineState> {
    this.client = undefined;
    return this.refresh();
  }

  private async load(): Promise<EngineState> {
    let host = '';
    try {
      if (!this.client) {
        const setting = vscode.workspace.getConfiguration('dockerNetworkDoctor').get<string>('engine.host', '');
        this.client = new DockerClient(resolveEngineEndpoint({ setting, env: process.env, platform: process.platform }));
      }
      host = this.client.endpoint.host;
      const [version, networks] = await Promise.all([this.client.version(), this.client.listNetworks()]);
      this.set({ kind: 'connected', host, version, networks: normalizeNetworks(networks) });
    } catch (err) {
      const problem = err instanceof EndpointError
        ? { kind: 'config' as const, message: err.message, fix: 'Correct dockerNetworkDoctor.engine.host or DOCKER_HOST.' }
        : classifyEngineError(err, host || 'the configured engine');
      this.set({ kind: 'unreachable', host, problem });
    }
    return this.current;
  }

  private set(state: EngineState): void {
    this.current = state;
    this.changed.fire(state);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
