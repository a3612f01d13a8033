// Which files form the project of an open compose file, in the real editor: the files it `include:`s (read from disk
// without blocking) and, when COMPOSE_FILE in the folder's `.env` names it, the files listed there.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from './helpers';

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Docker Network Doctor');
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

/** Writes `files` into a fresh temp folder and opens `open` among them. */
async function openIn(files: Record<string, string>, open: string): Promise<vscode.TextDocument> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-it-project-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const document = await vscode.workspace.openTextDocument(path.join(dir, open));
  await vscode.window.showTextDocument(document);
  return document;
}

describe('the project of an open compose file', function () {
  this.timeout(60_000);
  before(() => activateExtension());
  afterEach(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  it('include: a service the included file defines differently is an error at the including file\'s service', async () => {
    const document = await openIn({
      'compose.yaml': 'include:\n  - lib.yaml\nservices:\n  web:\n    image: nginx\n',
      'lib.yaml': 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n',
    }, 'compose.yaml');
    const d = await waitFor('the include conflict', () => ours(document.uri).find((x) => codeOf(x) === 'invalid-compose-file'));
    assert.match(d.message, /services\.web conflicts with imported resource/);
    assert.equal(d.range.start.line, 3);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  });

  it('COMPOSE_FILE in .env: the open file is merged with the files it names', async () => {
    const document = await openIn({
      // names the editor takes for compose files (or add others with the compose.files setting)
      '.env': 'COMPOSE_FILE=compose.base.yaml:compose.extra.yaml\n',
      'compose.base.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n',
      'compose.extra.yaml': 'services:\n  admin:\n    image: nginx\n    ports: ["8080:80"]\n',
    }, 'compose.extra.yaml');
    // the clash needs compose.base.yaml's web: it is found only when that file is part of the project (without
    // COMPOSE_FILE a compose.<name>.yaml stands alone)
    const d = await waitFor('the clash with base.yaml', () => ours(document.uri).find((x) => codeOf(x) === 'host-port-conflict'));
    assert.match(d.message, /also published by web/);
  });
});
