// Composition root: builds the pieces and registers them. No domain logic here.
import * as vscode from 'vscode';
import { registerCompose } from './compose/registerCompose';
import { registerEngineCommands } from './engineCommands';
import { EngineSession } from './engineSession';
import { ExposureStore } from './firewall/exposureStore';
import { registerFirewall } from './firewall/registerFirewall';
import { registerInspectDocuments } from './tree/inspectDocuments';
import { registerMatrix } from './matrix/registerMatrix';
import { registerNetworkCommands } from './tree/networkCommands';
import { modalPrompts } from './prompts';
import { registerReachCommands } from './reachCommands';
import { prepareTestSeam, type TestSeam } from './testing';
import { registerTreeCommands } from './tree/treeCommands';
import { registerViews } from './tree/views';
import { registerWalkthrough } from './walkthrough';

/**
 * What the extension hands to other extensions (`vscode.extensions.getExtension(...).exports`): nothing yet. Whatever
 * is added here is a promise to other extensions, so it is added on purpose and documented. The integration tests and
 * the benchmark use the test seam (`testing.ts`), which exists only outside an installed extension.
 */
export interface DockerNetworkDoctorApi {}

/** Set by the bundle's banner (esbuild.js); undefined when the sources are loaded unbundled. */
declare const __dndBundleStart: number | undefined;
declare const __dndVscodeApiMs: number | undefined;

export function activate(context: vscode.ExtensionContext): DockerNetworkDoctorApi & { testing?: TestSeam } {
  const started = performance.now();
  const bundleEvalMs = typeof __dndBundleStart === 'number' ? started - __dndBundleStart : NaN;
  const vscodeApiMs = typeof __dndVscodeApiMs === 'number' ? __dndVscodeApiMs : NaN;
  const seam = prepareTestSeam(context);
  const prompts = seam?.prompts ?? modalPrompts;
  const output = vscode.window.createOutputChannel('Docker Network Doctor', { log: true });
  const session = new EngineSession(output);
  const exposure = new ExposureStore();
  context.subscriptions.push(output, session, exposure);
  const views = registerViews(context, output, session, exposure);
  const inspectDocuments = registerInspectDocuments(context, session);
  registerTreeCommands(context, output, session, inspectDocuments);
  registerNetworkCommands(context, output, session, prompts.confirm);
  registerEngineCommands(context, output);
  const firewall = registerFirewall(context, output, session, exposure, prompts);
  registerCompose(context, output, session, exposure);
  registerReachCommands(context, output, session, exposure, firewall.consent);
  const matrix = registerMatrix(context, output, session, exposure);
  registerWalkthrough(context, output);
  const api: DockerNetworkDoctorApi = {};
  if (!seam) return api;
  const timings = { activationMs: performance.now() - started, bundleEvalMs, vscodeApiMs };
  return { ...api,
    testing: seam.attach({ session, networksTree: views.networksTree, portsTree: views.portsTree, watcher: views.watcher, firewall, matrix, timings }) };
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
