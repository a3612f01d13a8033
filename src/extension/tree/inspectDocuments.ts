// Raw inspect JSON in a read-only editor: a TextDocumentContentProvider on its own scheme (documents of such a
// provider cannot be edited). The engine is asked only when a document is opened: inspect is never part of a refresh.
import * as vscode from 'vscode';
import type { EngineSession } from '../engineSession';

export const inspectScheme = 'docker-network-doctor-inspect';

export class InspectDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly session: EngineSession) {}

  /** Asks the engine again for a document that is already open (showing it again re-inspects). */
  reload(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [kind, id] = uri.query.split('/') as [string, string];
    const client = this.session.ensureClient();
    const body = kind === 'network' ? await client.inspectNetwork(id) : await client.inspectContainer(id);
    return `${JSON.stringify(body, null, 2)}\n`;
  }
}

/** `docker-network-doctor-inspect:/container/web.json?container/<id>` (the path gives the tab its title). */
export function inspectUri(kind: 'network' | 'container', name: string, id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: inspectScheme, path: `/${kind}/${name}.json`, query: `${kind}/${id}` });
}

export function registerInspectDocuments(context: vscode.ExtensionContext, session: EngineSession): InspectDocumentProvider {
  const provider = new InspectDocumentProvider(session);
  context.subscriptions.push(provider, vscode.workspace.registerTextDocumentContentProvider(inspectScheme, provider));
  return provider;
}

/** Opens (or re-reads and shows) the inspect JSON of a network or container. */
export async function showInspect(provider: InspectDocumentProvider, kind: 'network' | 'container', name: string, id: string): Promise<vscode.TextEditor> {
  const uri = inspectUri(kind, name, id);
  if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) provider.reload(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'json');
  return vscode.window.showTextDocument(doc, { preview: true });
}
