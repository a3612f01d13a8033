// Which files form the project of an open compose file, in the real editor: the files it `include:`s (read from disk
// without blocking) and, when COMPOSE_FILE in the folder's `.env` names it, the files listed there.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { fixturePath } from '../paths';
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

describe('compose projects of two folders open side by side', function () {
  this.timeout(60_000);
  before(() => activateExtension());

  it('two compose projects on one host port: each file gets host-port-conflict with the other file as related information', async () => {
    // test/fixtures/compose/projects: shop and blog both publish 18080 (web); the files are only read
    const projects = fixturePath('compose', 'projects');
    const shop = await vscode.workspace.openTextDocument(path.join(projects, 'shop', 'compose.yaml'));
    const blog = await vscode.workspace.openTextDocument(path.join(projects, 'blog', 'compose.yaml'));
    try {
      await vscode.window.showTextDocument(shop, { preview: false });
      await vscode.window.showTextDocument(blog, { preview: false });
      const clashOn = (document: vscode.TextDocument, port: string) => () => ours(document.uri).find((x) =>
        codeOf(x) === 'host-port-conflict' && document.getText(x.range) === `"${port}:80"` && /of project/.test(x.message));
      const onShop = await waitFor('shop\'s finding against blog', clashOn(shop, '18080'));
      const onBlog = await waitFor('blog\'s finding against shop', clashOn(blog, '18080'));
      assert.match(onShop.message, new RegExp('^host port 18080/tcp on 0\\.0\\.0\\.0 is also published by web of project "blog" '
        + '\\(.*blog[\\\\/]compose\\.yaml\\): whichever project starts second fails with .*port is already allocated'));
      assert.match(onBlog.message, /also published by web of project "shop" \(.*shop[\\/]compose\.yaml\)/);
      assert.equal(onShop.severity, vscode.DiagnosticSeverity.Error);
      // the related place is the other file's entry, at its line
      for (const [d, other] of [[onShop, blog], [onBlog, shop]] as const) {
        const related = d.relatedInformation ?? [];
        assert.equal(related.length, 1, JSON.stringify(related));
        assert.equal(related[0]!.location.uri.fsPath, other.uri.fsPath);
        assert.equal(other.getText(related[0]!.location.range), '"18080:80"');
      }
      // blog's admin publishes 18091, which shop publishes only in its override (not open, but part of the project)
      const admin = await waitFor('blog\'s admin against shop\'s override', () => ours(blog.uri).find((x) => blog.getText(x.range) === '"18091:91"'));
      assert.match(admin.message, /also published by api of project "shop" \(.*compose\.override\.yaml\)/);
      assert.equal(admin.relatedInformation?.[0]?.location.range.start.line, 4);
      // blog's tab closed: shop is no longer checked against it
      await vscode.window.showTextDocument(blog);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await waitFor('shop without findings against blog', () => !ours(shop.uri).some((x) => /of project "blog"/.test(x.message)) || undefined);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
