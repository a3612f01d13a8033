// host-port-conflict across projects (src/core/compose/crossProjectConflicts.ts) on test/fixtures/compose/projects:
// shop and blog are two projects on the same host ports; an included file and `name: shop` in another folder are
// not other projects. That `up` of the second project is refused is checked on the engine by
// test/engine/crossProjectPorts.test.ts.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { composeFileReader, composeInputsSync } from '../../../src/adapters/composeFiles';
import { analyzeCompose } from '../../../src/core/compose';
import type { ComposeAnalysisOptions } from '../../../src/core/compose';
import { crossProjectConflicts, maxOtherProjects, projectNameOf, sameComposeProject } from '../../../src/core/compose/crossProjectConflicts';
import { fixturePath } from '../../paths';

const cwd = fixturePath('compose', 'projects');

/** The project of `files` (relative to projects/) as `check` reads it. */
function project(files: string[], options: ComposeAnalysisOptions = {}) {
  const inputs = composeInputsSync({ cwd, env: {}, files, envFiles: [], profiles: [] });
  assert.deepEqual(inputs.unread, []);
  return analyzeCompose(inputs.sources, { env: inputs.env, readFile: composeFileReader({ cwd }), projectDir: inputs.projectDir, ...options });
}

const shop = project(['shop/compose.yaml', 'shop/compose.override.yaml']);
const blog = project(['blog/compose.yaml']);

describe('host-port-conflict across projects', () => {
  it('names compose\'s projects: the folder, or name:', () => {
    assert.equal(projectNameOf(shop), 'shop');
    assert.equal(projectNameOf(blog), 'blog');
    assert.equal(projectNameOf(project(['shop-copy/compose.yaml'])), 'shop');
  });

  it('shop and blog: each entry on a port the other publishes gets a finding naming the other side, with its place', () => {
    const mine = crossProjectConflicts(shop, [blog]);
    assert.deepEqual(mine.map((f) => [f.range.file, f.service, f.severity, f.message]), [
      ['shop/compose.override.yaml', 'api', 'error', 'host port 18091/tcp on 0.0.0.0 is also published by admin of project "blog" (blog/compose.yaml): '
        + 'whichever project starts second fails with "port is already allocated".'],
      ['shop/compose.yaml', 'web', 'error', 'host port 18080/tcp on 0.0.0.0 is also published by web of project "blog" (blog/compose.yaml): '
        + 'whichever project starts second fails with "port is already allocated".'],
    ]);
    const blogText = blog.files.find((f) => f.fileName === 'blog/compose.yaml')!.text;
    const related = mine[1]!.related;
    assert.equal(related.length, 1);
    assert.equal(related[0]!.message, 'also published by web of project "blog" (blog/compose.yaml): "18080:80"');
    assert.equal(related[0]!.range.file, 'blog/compose.yaml');
    assert.equal(blogText.slice(related[0]!.range.start, related[0]!.range.end), '"18080:80"');
    // the finding is on shop's own entry
    const shopText = shop.files.find((f) => f.fileName === 'shop/compose.yaml')!.text;
    assert.equal(shopText.slice(mine[1]!.range.start, mine[1]!.range.end), '"18080:80"');

    const theirs = crossProjectConflicts(blog, [shop]);
    assert.deepEqual(theirs.map((f) => [f.service, f.message.replace(/:.*/, ''), f.related.map((r) => r.range.file)]), [
      ['web', 'host port 18080/tcp on 0.0.0.0 is also published by web of project "shop" (shop/compose.yaml)', ['shop/compose.yaml']],
      ['admin', 'host port 18091/tcp on 0.0.0.0 is also published by api of project "shop" (shop/compose.override.yaml)', ['shop/compose.override.yaml']],
    ]);
    // 127.0.0.1:18081 and 127.0.0.2:18081: two specific addresses, no clash
    assert.ok(![...mine, ...theirs].some((f) => f.message.includes('18081')));
  });

  it('files of one project are not checked against each other here: an override alone, an included file alone', () => {
    const override = project(['shop/compose.override.yaml']);
    assert.ok(sameComposeProject(shop, override));
    assert.deepEqual(crossProjectConflicts(shop, [override]), []);
    // stats/compose.yaml on its own would be project "stats"; blog includes it, so it is blog's
    const stats = project(['blog/stats/compose.yaml']);
    assert.equal(projectNameOf(stats), 'stats');
    assert.ok(sameComposeProject(blog, stats));
    assert.ok(!sameComposeProject(shop, stats));
    assert.deepEqual(crossProjectConflicts(stats, [blog]), []);
  });

  it('name: shop in another folder is project shop (not checked against it), and another project for blog', () => {
    const copy = project(['shop-copy/compose.yaml']);
    assert.ok(sameComposeProject(shop, copy));
    assert.deepEqual(crossProjectConflicts(copy, [shop]), []);
    assert.deepEqual(crossProjectConflicts(copy, [blog]).map((f) => f.service), ['web']);
    // two analyses of one project among the others count once
    const twice = crossProjectConflicts(blog, [shop, copy]);
    assert.deepEqual(twice.map((f) => f.service), ['web', 'admin']);
    assert.ok(twice.every((f) => !f.message.includes('Also published')));
  });

  it('follows the target\'s severity setting and engine version', () => {
    assert.deepEqual(crossProjectConflicts(project(['shop/compose.yaml'], { severities: { 'host-port-conflict': 'off' } }), [blog]), []);
    const warned = crossProjectConflicts(project(['shop/compose.yaml'], { severities: { 'host-port-conflict': 'warning' }, engineVersion: '20.10.24' }),
      [blog]);
    assert.deepEqual(warned.map((f) => f.severity), ['warning']);
  });

  it(`compares at most ${maxOtherProjects} other projects, and names the first few`, () => {
    // blog's web as if in 25 folders (one file read as two projects would be one project: they share the file)
    const text = fs.readFileSync(path.join(cwd, 'blog', 'compose.yaml'), 'utf8').replace(/^include:\n.*\n/m, '');
    const many = Array.from({ length: maxOtherProjects + 5 },
      (_, i) => analyzeCompose([{ fileName: `blog${i}/compose.yaml`, text }], { projectDir: `/w/blog${i}` }));
    const web = crossProjectConflicts(shop, many).find((f) => f.service === 'web')!;
    assert.match(web.message,
      new RegExp(`Also published by ${maxOtherProjects - 1} others: web of project "blog1" \\(blog1/compose.yaml\\), .*, web of project "blog10" ` +
      `\\(blog10/compose.yaml\\), …\\.$`));
    assert.equal(web.related.length, 10);
  });
});
