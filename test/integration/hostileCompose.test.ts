// The hostile compose files of the hostile-input review, opened in the real editor: each must end in one clear
// diagnostic where it is written while the extension host stays responsive (the old reader froze it for 37 s and more
// on the first, and overflowed the stack on the deep ones). The waits are bounds, not timings: a freeze runs past them.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from './helpers';

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Docker Network Doctor');

async function openCompose(text: string): Promise<vscode.TextDocument> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-it-hostile-'));
  const file = path.join(dir, 'compose.yaml');
  fs.writeFileSync(file, text);
  const document = await vscode.workspace.openTextDocument(file);
  await vscode.window.showTextDocument(document);
  return document;
}

const repros: Array<{ name: string; text: string; expect: RegExp; count?: 0; severity?: vscode.DiagnosticSeverity }> = [
  { name: 'a service merging its own anchor three times', text: 'services:\n  web: &w\n    image: nginx\n    <<: [*w,*w,*w]\n', expect: /contains itself/ },
  {
    name: 'eight levels of nine merges each',
    text: `x-l0: &l0 {a: 1}\n${Array.from({ length: 8 }, (_, i) => `x-l${i + 1}: &l${i + 1} {<<: [${Array(9).fill(`*l${i}`).join(',')}]}`).join('\n')}`
      + '\nservices:\n  web:\n    <<: *l8\n    image: nginx\n    ports: ["8080:80"]\n',
    expect: /./, count: 0,
  },
  { name: 'a compact sequence 3,000 deep', text: `services:\n  web:\n    image: nginx\n    x:\n      ${'- '.repeat(3000)}a\n`,
    expect: /nested deeper than 256 levels/ },
  {
    name: 'interpolation nested 5,000 deep',
      text: `services:\n  web:\n    image: nginx\n    ports:\n      - "${'${A:-'.repeat(5000)}80${'}'.repeat(5000)}:80"\n`,
    expect: /nested deeper than 64 levels/, severity: vscode.DiagnosticSeverity.Warning,
  },
  { name: 'a Go template', text: `{{- range .Values.services }}\nservices:\n  {{ .name }}:\n\timage: {{ .image }}\n{{- end }}\n`.repeat(50),
    expect: /more problems/ },
];

describe('hostile compose files in the editor', function () {
  this.timeout(60_000);
  before(() => activateExtension());
  afterEach(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  it('a lens title keeps a `$(icon)` written in the file as text (escaped), not an icon', async () => {
    const document = await openCompose('services:\n  web:\n    image: nginx\n    network_mode: "container:$(zap)"\n    ports: ["8080:80"]\n');
    const lenses = await waitFor('the lens', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      return l && l.length > 0 && l;
    }, 20_000);
    const title = lenses.map((l) => l.command?.title ?? '').join(' | ');
    assert.ok(title.includes('container:\\$(zap)'), title);
  });

  for (const r of repros) {
    const what = r.count === 0 ? 'no error' : `one ${r.severity === vscode.DiagnosticSeverity.Warning ? 'warning' : 'error'} where it is written`;
    it(`${r.name}: analysed, with ${what}, and the host keeps answering`, async () => {
      const document = await openCompose(r.text);
      // the lens provider runs after the analysis: its answer means the analysis finished
      await waitFor('the analysis',
        async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) !== undefined, 20_000);
      const errors = await waitFor('the diagnostics', () => {
        const d = ours(document.uri).filter((x) => x.severity === (r.severity ?? vscode.DiagnosticSeverity.Error));
        return (r.count === 0 || d.length > 0) && d;
      }, 20_000);
      if (r.count === 0) {
        assert.deepEqual(errors.map((e) => e.message), [], 'merges that do not contain themselves are read, not refused');
        return;
      }
      assert.equal(errors.length, 1, errors.map((e) => e.message).join(' | '));
      assert.match(errors[0]!.message, r.expect);
      assert.ok(errors[0]!.range.start.line < document.lineCount, 'the error is placed inside the file');
    });
  }
});
