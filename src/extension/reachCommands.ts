// "Why Can't I Reach This?" on a container or a port of either view: asks where the connection comes from, runs the
// reach checklist (src/core/reach) on the engine's model, the container's listening sockets (an unprivileged probe
// container in its network namespace, always removed) and, when the firewall view has read them, the host's rules,
// and shows the steps in a read-only markdown document. Nothing runs in Restricted Mode (ensureClient throws).
import * as vscode from 'vscode';
import { readListeners } from '../adapters/listenerProbe';
import { helperDocker } from '../adapters/shortLivedContainer';
import type { ContainerModel, PortProtocol } from '../core/engine/model';
import type { Listener } from '../core/engine/procNet';
import { reachChecklist, type ReachResult, type ReachSource } from '../core/reach/checklist';
import { registerCommand } from './commands';
import type { EngineSession } from './engineSession';
import { firewallSettings } from './firewall/firewallPanel';
import type { ExposureStore } from './firewall/exposureStore';
import type { NetworksTreeNode } from './networksTree';
import type { PublishedPortsNode } from './publishedPortsTree';

export const reachScheme = 'docker-network-doctor-reach';

type AnyNode = NetworksTreeNode | PublishedPortsNode;

function targetOf(node: AnyNode | undefined): { container: ContainerModel; port?: number; protocol?: PortProtocol } | undefined {
  switch (node?.kind) {
    case 'container': return { container: node.container };
    case 'ports': return { container: node.container, port: node.binding.containerStart, protocol: node.binding.protocol };
    case 'range': return { container: node.range.container, port: node.range.binding.containerStart, protocol: node.range.binding.protocol };
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

export function registerReachCommands(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, session: EngineSession, exposure: ExposureStore): void {
  const documents = new ReachDocuments();
  context.subscriptions.push(documents, vscode.workspace.registerTextDocumentContentProvider(reachScheme, documents));

  // `from`: 'outside', 'host' or a container's name; asked when not given (a keybinding or a test may give it)
  registerCommand(context, output, 'dockerNetworkDoctor.reach.check', async (node?: AnyNode, from?: string) => {
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
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking ${target.container.name}` }, async () => {
      let listeners: Listener[] | { error: string } | undefined;
      if (target.container.state === 'running') {
        try {
          listeners = await readListeners(helperDocker(client.endpoint, process.env), target.container.id, firewallSettings().helperImage, `vscode-${process.pid}`);
        } catch (err) {
          listeners = { error: err instanceof Error ? err.message : String(err) };
        }
      }
      const ruleset = exposure.rulesOf(state.host);
      return reachChecklist({
        model: state.model, target: target.container, source, ...(target.port !== undefined ? { port: target.port } : {}),
        ...(target.protocol ? { protocol: target.protocol } : {}), ...(listeners ? { listeners } : {}), ...(ruleset ? { ruleset } : {}),
      });
    });
    const uri = vscode.Uri.from({ scheme: reachScheme, path: `/reach ${target.container.name}.md`, query: `${target.container.id}/${target.port ?? ''}/${choice}` });
    documents.set(uri, reachMarkdown(target.container.name, choice === 'outside' ? 'outside' : choice === 'host' ? 'the host' : choice, result, exposure.readAt(state.host)));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
    return result;
  });
}
