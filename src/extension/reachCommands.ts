// "Why Can't I Reach This?" on a container or a port of either view: asks where the connection comes from, runs the
// reach checklist (src/core/reach) on the engine's model, the container's listening sockets (an unprivileged probe
// container in its network namespace, always removed) and, when the firewall view has read them, the host's rules,
// and shows the steps in a read-only markdown document. Nothing runs in Restricted Mode (ensureClient throws).
import * as vscode from 'vscode';
import { connectProbeCommand, runConnectProbe } from '../adapters/connectProbe';
import { readListeners } from '../adapters/listenerProbe';
import { helperDocker } from '../adapters/shortLivedContainer';
import type { ContainerModel } from '../core/engine/model';
import type { Listener } from '../core/engine/procNet';
import { liveTarget, reachChecklist, type ReachInput, type ReachResult, type ReachSource } from '../core/reach/checklist';
import { registerCommand } from './commands';
import type { EngineSession } from './engineSession';
import type { HelperConsent } from './firewall/consent';
import type { ExposureStore } from './firewall/exposureStore';
import { errorMessage } from '../core/errorMessage';
import type { PortProtocol } from '../core/net/portInterval';
import { firewallSettings } from './settings';
import type { TreeNode } from './tree/nodes';

export const reachScheme = 'docker-network-doctor-reach';

function targetOf(node: TreeNode | undefined): { container: ContainerModel; port?: number; protocol?: PortProtocol } | undefined {
  switch (node?.kind) {
    case 'container': return { container: node.container };
    case 'binding': return { container: node.container, port: node.binding.containerStart, protocol: node.binding.protocol };
    case 'exposed': return { container: node.container, port: node.exposed.containerStart, protocol: node.exposed.protocol };
    default: return undefined;
  }
}

const mark = { ok: '✓', fail: '✗', unknown: '?' } as const;

/** The checklist as markdown (user text is put in code spans, so it never renders as markup). */
export function reachMarkdown(name: string, from: string, r: ReachResult, rulesReadAt?: Date): string {
  const code = (t: string) => `\`${t.replace(/`/g, "'")}\``;
  const lines = [`# Why can't ${from} reach ${code(name)}${r.port !== undefined ? ` on ${r.port}/${r.protocol}` : ''}?`, ''];
  for (const s of r.steps) {
    lines.push(`- ${mark[s.result]} **${s.title.replace(/[*_`[\]<>]/g, '')}**  `, `  ${code(s.evidence)}`);
    if (s.fix && s.result !== 'ok') lines.push(`  - fix: ${code(s.fix)}`);
  }
  lines.push('', r.cause ? `Likely cause: **${r.cause.title.replace(/[*_`[\]<>]/g, '')}**.` : 'No step failed.');
  lines.push('', rulesReadAt
    ? `The host's rules are those the firewall view read at ${rulesReadAt.toLocaleTimeString()}.`
    : 'The host\'s rules were not read: open the firewall view (Show Firewall Rules) and run this again to include them.');
  return `${lines.join('\n')}\n`;
}

class ReachDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
  dispose(): void {
    this.changed.dispose();
  }
}

export function registerReachCommands(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession, exposure: ExposureStore,
  consent: HelperConsent): void {
  const documents = new ReachDocuments();
  context.subscriptions.push(documents, vscode.workspace.registerTextDocumentContentProvider(reachScheme, documents));

  // `from`: 'outside', 'host' or a container's name, and `live`: also make a real connection (after the dialog);
  // both asked when not given (a keybinding or a test may give them)
  registerCommand(context, output, 'dockerNetworkDoctor.reach.check', async (node?: TreeNode, from?: string, live?: boolean) => {
    const target = targetOf(node);
    const state = session.state;
    if (!target || state.kind !== 'connected') return undefined;
    const others = state.model.containers.filter((c) => c.id !== target.container.id && c.state === 'running');
    const choice = from ?? (await vscode.window.showQuickPick(
      [{ label: 'outside', description: 'another machine' }, { label: 'host', description: 'the engine\'s host itself' },
        ...others.map((c) => ({ label: c.name, description: 'a container' }))],
      { placeHolder: `Why can't … reach ${target.container.name}? From where:` }))?.label;
    if (!choice) return undefined;
    const fromContainer = others.find((c) => c.name === choice);
    if (choice !== 'outside' && choice !== 'host' && !fromContainer) throw new Error(`no running container named ${choice}`);
    const source: ReachSource = fromContainer ? { kind: 'container', container: fromContainer } : { kind: choice as 'outside' | 'host' };
    const client = session.ensureClient();
    const to = liveTarget({ target: target.container, source, ...(target.port !== undefined ? { port: target.port } : {}),
      ...(target.protocol ? { protocol: target.protocol } : {}) });
    const image = firewallSettings().helperImage;
    let makeLive = live;
    if (makeLive === undefined && to && (target.protocol ?? 'tcp') === 'tcp') {
      const pick = await vscode.window.showQuickPick(['Check', `Check, and make a real connection from ${choice} to ${to.address}:${to.port}`],
        { placeHolder: 'A real connection is made by a short-lived container (asks first)' });
      if (!pick) return undefined;
      makeLive = pick !== 'Check';
    }
    let liveInput: ReachInput['live'];
    let runLive: (() => Promise<NonNullable<ReachInput['live']>>) | undefined;
    if (makeLive) {
      if (!to) liveInput = { unavailable: choice === 'outside' ? 'a live test from outside needs a machine outside this host' : 'nothing to connect to' };
      else {
        // asked every time, naming exactly what runs; nothing is remembered
        const where = fromContainer ? `in the network namespace of container ${fromContainer.name}` : 'in the host\'s network namespace';
        const allowed = await consent.prompt(`Make a test connection from ${choice} to ${to.address}:${to.port}?`,
          `A short-lived container of the image ${image} runs ${where}, with no capabilities and a read-only root, the command: `
          + `${connectProbeCommand(to.address, to.port)}. It is removed afterwards.`);
        liveInput = allowed ? undefined : { unavailable: 'the test connection was not allowed' };
        if (allowed) {
          const at = to;
          runLive = async () => {
            try {
              const result = await runConnectProbe(helperDocker(client.endpoint, process.env), image,
                fromContainer ? { kind: 'container', id: fromContainer.id } : { kind: 'host' }, at.address, at.port, `vscode-${process.pid}`);
              return { result, to: `${at.address}:${at.port}` };
            } catch (err) {
              return { unavailable: `the probe could not run: ${errorMessage(err)}` };
            }
          };
        }
      }
    }
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking ${target.container.name}` },
      async () => {
      let listeners: Listener[] | { error: string } | undefined;
      if (target.container.state === 'running') {
        try {
          listeners = await readListeners(helperDocker(client.endpoint, process.env), target.container.id, image, `vscode-${process.pid}`);
        } catch (err) {
          listeners = { error: errorMessage(err) };
        }
      }
      if (runLive) liveInput = await runLive();
      const ruleset = exposure.rulesOf(state.host);
      return reachChecklist({
        ...(liveInput ? { live: liveInput } : {}),
        model: state.model, target: target.container, source, ...(target.port !== undefined ? { port: target.port } : {}),
        ...(target.protocol ? { protocol: target.protocol } : {}), ...(listeners ? { listeners } : {}), ...(ruleset ? { ruleset } : {}),
      });
    });
    const uri = vscode.Uri.from({ scheme: reachScheme, path: `/reach ${target.container.name}.md`,
      query: `${target.container.id}/${target.port ?? ''}/${choice}` });
    documents.set(uri,
      reachMarkdown(target.container.name, choice === 'outside' ? 'outside' : choice === 'host' ? 'the host' : choice, result, exposure.readAt(state.host)));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
    return result;
  });
}
