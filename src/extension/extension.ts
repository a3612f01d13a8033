// Composition root: builds the pieces and registers them. No domain logic here.
import * as vscode from 'vscode';
import { registerCompose } from './compose/registerCompose';
import { registerEngineCommands } from './engineCommands';
import { EngineSession } from './engineSession';
import type { EngineWatcher } from './engineWatcher';
import { registerInspectDocuments } from './inspectDocuments';
import { registerNetworkCommands } from './networkCommands';
import type { NetworksTreeProvider } from './networksTree';
import type { PublishedPortsTreeProvider } from './publishedPortsTree';
import { registerTreeCommands } from './treeCommands';
import { registerViews } from './views';

/** What the extension hands to other extensions and to its integration tests. */
export interface DockerNetworkDoctorApi {
  session: EngineSession;
  networksTree: NetworksTreeProvider;
  portsTree: PublishedPortsTreeProvider;
  watcher: EngineWatcher;
  /** Milliseconds activate() took, for `npm run bench`. */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): DockerNetworkDoctorApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Docker Network Doctor', { log: true });
  const session = new EngineSession(output);
  context.subscriptions.push(output, session);
  const views = registerViews(context, output, session);
  const inspectDocuments = registerInspectDocuments(context, session);
  registerTreeCommands(context, output, session, inspectDocuments);
  registerNetworkCommands(context, output, session);
  registerEngineCommands(context, output);
  // the engine does not say whether the userland proxy is on (before 29.5): lenses assume the default and say so
  registerCompose(context, output, () => ({}));
  return { session, networksTree: views.networksTree, portsTree: views.portsTree, watcher: views.watcher, activationMs: performance.now() - started };
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
