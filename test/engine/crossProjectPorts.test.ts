// host-port-conflict across projects against the real thing: test/fixtures/compose/projects' shop and blog, two
// folders, both publish host port 18080 (and 18091). `docker-compose -p A up -d` in shop, then `-p B up -d` in blog,
// with docker-compose 2.40.3 (DND_COMPOSE_BIN, from the sid engine cache) on the engine under test: the second is
// refused, and the product reports the clash on both projects' entries (crossProjectConflicts), in the words of that
// engine. Both projects are taken down afterwards (their containers and networks).
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { composeFileReader, composeInputsSync } from '../../src/adapters/composeFiles';
import { analyzeCompose } from '../../src/core/compose';
import { crossProjectConflicts } from '../../src/core/compose/crossProjectConflicts';
import { fixturePath } from '../paths';
import { composeVersion, runCompose } from './composeCli';
import { ENGINE, engineDocker, engineMinor, fact, rig, RUN_ID } from './support';

const projects = fixturePath('compose', 'projects');
const name = (side: string) => `dnd-xproj-${RUN_ID}-${side}`.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
const env = () => ({ DOCKER_HOST: process.env.DOCKER_HOST ?? '' });
/** `docker-compose -p NAME ARGS` in the folder, as a user runs it there (compose's own file discovery). */
const composeIn = (folder: string, project: string, args: string[]) =>
  runCompose({ cwd: `${projects}/${folder}`, files: [] }, ['-p', project, ...args], env());

/** The product's analysis of one folder's project, as `check` reads it (names relative to projects/). */
function analysis(files: string[]) {
  const inputs = composeInputsSync({ cwd: projects, env: {}, files, envFiles: [], profiles: [] });
  return analyzeCompose(inputs.sources,
    { env: inputs.env, readFile: composeFileReader({ cwd: projects }), projectDir: inputs.projectDir, engineVersion: rig.version });
}

describe(`two compose projects on one host port, on ${ENGINE} with docker-compose 2.40.3`, () => {
  const made: string[][] = [];
  // a failed test still takes its projects down
  after(() => {
    for (const [folder, project] of made) composeIn(folder!, project!, ['down', '--timeout', '0']);
  });

  it(`the second project's up is refused, and the product reports the clash on both (${ENGINE})`, async (t) => {
    assert.match(composeVersion(), /^2\.40\.3/);
    made.push(['shop', name('a')], ['blog', name('b')]);
    const first = composeIn('shop', name('a'), ['up', '-d', '--timeout', '0']);
    assert.equal(first.status, 0, first.stderr);
    const second = composeIn('blog', name('b'), ['up', '-d', '--timeout', '0']);
    assert.notEqual(second.status, 0, `blog started next to shop: ${second.stderr}`);
    const refusal = second.stderr.trim().split('\n').filter((l) => /port|bind/i.test(l)).pop() ?? second.stderr.trim();
    fact(t, `compose up of the second project: ${refusal}`);
    if (engineMinor() === '28.5') assert.match(second.stderr, /Bind for 0\.0\.0\.0:180(80|91) failed: port is already allocated/);
    else assert.match(second.stderr, /port is already allocated|address already in use/);
    // shop's containers are up and hold 18080: the engine shows who holds it
    const holders = (await engineDocker().listContainers({ filters: { label: [`com.docker.compose.project=${name('a')}`] } }))
      .filter((c) => c.Ports.some((p) => p.PublicPort === 18080));
    assert.deepEqual(holders.map((c) => c.Labels['com.docker.compose.service']), ['web']);

    const shop = analysis(['shop/compose.yaml', 'shop/compose.override.yaml']);
    const blog = analysis(['blog/compose.yaml']);
    const onShop = crossProjectConflicts(shop, [blog]);
    const onBlog = crossProjectConflicts(blog, [shop]);
    assert.deepEqual(onShop.map((f) => f.service).sort(), ['api', 'web']);
    assert.deepEqual(onBlog.map((f) => f.service).sort(), ['admin', 'web']);
    for (const f of [...onShop, ...onBlog]) {
      assert.equal(f.severity, 'error');
      // the words this engine refuses with (both clashes are on the same address: "port is already allocated")
      assert.match(f.message, /whichever project starts second fails with "port is already allocated"/);
    }
  });

  it(`takes both projects down: none of their containers or networks is left (${ENGINE})`, async () => {
    const docker = engineDocker();
    for (const [folder, project] of made.splice(0)) {
      const down = composeIn(folder!, project!, ['down', '--timeout', '0']);
      assert.equal(down.status, 0, down.stderr);
      const label = [`com.docker.compose.project=${project}`];
      assert.deepEqual((await docker.listContainers({ all: true, filters: { label } })).map((c) => c.Names), []);
      assert.deepEqual((await docker.listNetworks({ filters: { label } })).map((n) => n.Name), []);
    }
  });
});
