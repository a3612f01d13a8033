// Helpers for the tree suites: walk the Networks view by labels, make labelled containers with a free host port
// range, and a unix-socket proxy in front of the real engine that a test can cut and restore.
import type Docker from 'dockerode';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TestSeam } from '../../src/extension/testing';
import type { TreeNode } from '../../src/extension/tree/nodes';
import { TEST_IMAGE, testLabels, waitFor } from './helpers';

export async function showViews(api: TestSeam): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.dockerNetworkDoctor');
  await waitFor('the event stream to be open', () => api.watcher.streaming && api.session.state.kind === 'connected');
}

/** Children of `parent` (the root when undefined) with their tree items. */
export function childrenOf(api: TestSeam, parent?: TreeNode): Array<{ node: TreeNode; item: vscode.TreeItem }> {
  return api.networksTree.getChildren(parent).map((node) => ({ node, item: api.networksTree.getTreeItem(node) }));
}

/** The node at a path of labels (`['my-net', 'my-container']`), or undefined. */
export function nodeAt(api: TestSeam, labels: string[]): { node: TreeNode; item: vscode.TreeItem } | undefined {
  let found: { node: TreeNode; item: vscode.TreeItem } | undefined;
  for (const label of labels) {
    found = childrenOf(api, found?.node).find((c) => c.item.label === label);
    if (!found) return undefined;
  }
  return found;
}

/** A host port base not used by anything the engine publishes and not bound on this machine, for `count` ports. */
export function randomPortBase(count: number): number {
  return 20000 + Math.floor(Math.random() * ((30000 - count) / 100)) * 100;
}

/**
 * Creates and starts a labelled busybox container; with `ports`, publishes `count` consecutive host ports (retrying
 * another base when a concurrent run holds them). Returns the container and the host base port.
 */
export async function runContainer(docker: Docker, opts: { name: string; network?: string; ip?: string; ports?: { count: number; protocol: 'tcp' | 'udp' } }):
  Promise<{ container: Docker.Container; base: number }> {
  for (let attempt = 0; ; attempt++) {
    const base = opts.ports ? randomPortBase(opts.ports.count) : 0;
    const exposed: Record<string, object> = {};
    const bindings: Record<string, Array<{ HostPort: string }>> = {};
    for (let i = 0; opts.ports && i < opts.ports.count; i++) {
      const key = `${base + i}/${opts.ports.protocol}`;
      exposed[key] = {};
      bindings[key] = [{ HostPort: String(base + i) }];
    }
    const container = await docker.createContainer({
      name: attempt ? `${opts.name}-${attempt}` : opts.name, Image: TEST_IMAGE, Cmd: ['sleep', '600'], Labels: testLabels(), ExposedPorts: exposed,
      HostConfig: { PortBindings: bindings, NetworkMode: opts.network ?? 'bridge' },
      NetworkingConfig: opts.network && opts.ip ? { EndpointsConfig: { [opts.network]: { IPAMConfig: { IPv4Address: opts.ip } } } } : undefined,
    });
    try {
      await container.start();
      return { container, base };
    } catch (e) {
      await container.remove({ force: true }).catch(() => undefined);
      if (attempt >= 4 || !/address already in use|port is already allocated/i.test(String(e))) throw e;
    }
  }
}

/**
 * A unix socket that forwards every connection to the real engine socket. Closing it (and cutting its open
 * connections, the event stream among them) looks to the extension exactly like an engine that stopped; reopening
 * it, like one that came back. Stopping the real engine instead would disturb every other run sharing it.
 */
export class EngineSocketProxy {
  readonly socketPath = path.join(os.tmpdir(), `dnd-it-proxy-${process.pid}-${Date.now().toString(36)}.sock`);
  private server: net.Server | undefined;
  private readonly open = new Set<net.Socket>();

  constructor(private readonly target: string) {}

  get host(): string {
    return `unix://${this.socketPath}`;
  }

  listen(): Promise<void> {
    fs.rmSync(this.socketPath, { force: true });
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
        s.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((resolve, reject) => server.once('error', reject).listen(this.socketPath, () => resolve()));
  }

  /** Stops accepting and cuts every open connection. */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.open) s.destroy();
    this.open.clear();
    return new Promise((resolve) => (server ? server.close(() => { fs.rmSync(this.socketPath, { force: true }); resolve(); }) : resolve()));
  }
}
