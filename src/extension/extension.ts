// Composition root: builds the pieces and registers them. No domain logic here.
import * as vscode from 'vscode';
import { registerCompose } from './compose/registerCompose';
import { registerEngineCommands } from './engineCommands';
import { EngineSession } from './engineSession';
import { ExposureStore } from './firewall/exposureStore';
import { registerFirewall } from './firewall/registerFirewall';
import type { EngineWatcher } from './engineWatcher';
import { registerInspectDocuments } from './inspectDocuments';
import { registerMatrix } from './matrix/registerMatrix';
import { registerNetworkCommands } from './networkCommands';
import { registerReachCommands } from './reachCommands';
import type { NetworksTreeProvider } from './networksTree';
import type { PublishedPortsTreeProvider } from './publishedPortsTree';
import { registerTreeCommands } from './treeCommands';
import { registerViews } from './views';
import { registerWalkthrough } from './walkthrough';

/** What the extension hands to other extensions and to its integration tests. */
export interface DockerNetworkDoctorApi {
  session: EngineSession;
  networksTree: NetworksTreeProvider;
  portsTree: PublishedPortsTreeProvider;
  watcher: EngineWatcher;
  /** Milliseconds activate() took, for `npm run bench`. */
  activationMs: number;
  /** Milliseconds from the bundle's first statement to activate() (evaluating the modules), for `npm run bench`. */
  bundleEvalMs: number;
  /** Of bundleEvalMs, the first require('vscode'): the extension host building this extension's API object. */
  vscodeApiMs: number;
}

/** Set by the bundle's banner (esbuild.js); undefined when the sources are loaded unbundled. */
declare const __dndBundleStart: number | undefined;
declare const __dndVscodeApiMs: number | undefined;

export function activate(context: vscode.ExtensionContext): DockerNetworkDoctorApi {
  const started = performance.now();
  const bundleEvalMs = typeof __dndBundleStart === 'number' ? started - __dndBundleStart : NaN;
  const vscodeApiMs = typeof __dndVscodeApiMs === 'number' ? __dndVscodeApiMs : NaN;
  const output = vscode.window.createOutputChannel('Docker Network Doctor', { log: true });
  const session = new EngineSession(output);
  const exposure = new ExposureStore();
  context.subscriptions.push(output, session, exposure);
  const views = registerViews(context, output, session, exposure);
  const inspectDocuments = registerInspectDocuments(context, session);
  registerTreeCommands(context, output, session, inspectDocuments);
  registerNetworkCommands(context, output, session);
  registerEngineCommands(context, output);
  const consent = registerFirewall(context, output, session, exposure);
  registerCompose(context, output, session, exposure);
  registerReachCommands(context, output, session, exposure, consent);
  registerMatrix(context, output, session, exposure);
  registerWalkthrough(context, output);
  return { session, networksTree: views.networksTree, portsTree: views.portsTree, watcher: views.watcher, activationMs: performance.now() - started, bundleEvalMs, vscodeApiMs };
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
