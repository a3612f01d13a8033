// What the CLI's check reads, chosen as docker-compose 2.40.3 chooses it (src/adapters/composeFiles.ts
// composeInputsSync), on test/fixtures/compose/include (include:, an included folder's .env, COMPOSE_PROFILES from
// .env; what compose makes of it is in that folder's README and in test/engine/composeReference.test.ts).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { composeFileReader, composeInputsSync, projectFilesFor } from '../../../src/adapters/composeFiles';
import { analyzeCompose } from '../../../src/core/compose';
import { isServiceActive } from '../../../src/core/compose/profiles';
import { fixturePath } from '../../paths';

const fixture = fixturePath('compose', 'include');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-compose-inputs-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function analyse(cwd: string, options: { env?: Record<string, string>; files?: string[]; envFiles?: string[]; profiles?: string[] } = {}) {
  const inputs = composeInputsSync({ cwd, env: options.env ?? {}, files: options.files ?? [], envFiles: options.envFiles ?? [], profiles: options.profiles
    ?? [] });
  const analysis = analyzeCompose(inputs.sources, {
    env: inputs.env, readFile: composeFileReader({ cwd }), projectDir: inputs.projectDir,
      ...(inputs.activeProfiles ? { activeProfiles: inputs.activeProfiles } : {}),
  });
  const active = [...analysis.project.services.values()].filter((s) => isServiceActive(s, inputs.activeProfiles ?? []));
  const ports = Object.fromEntries(active.map((s) => [s.name, s.ports.map((p) => `${p.hostIp ? `${p.hostIp}:` : ''}${p.published?.start}:${p.target.start}`)]));
  return { inputs, analysis, ports };
}

describe('compose inputs as docker-compose 2.40.3 reads them', () => {
  it('include: short and long form, each with its variables; COMPOSE_PROFILES from .env', () => {
    const { inputs, analysis, ports } = analyse(fixture);
    assert.deepEqual(inputs.activeProfiles, ['debug']);
    assert.deepEqual(analysis.findings.filter((f) => f.severity === 'error').map((f) => f.message), []);
    assert.deepEqual(ports, { web: ['8080:80'], tools: ['8001:80'], db: ['5433:5432'], cache: ['6380:6379', '127.0.0.1:16379:6379'] });
    assert.deepEqual(analysis.project.services.get('db')?.networks?.map((n) => n.name), ['data']);
    assert.ok(analysis.project.networks.has('data'));
    // the included files are among the analysis' files (lenses and findings there)
    assert.deepEqual(analysis.files.map((f) => f.fileName).sort(), ['cache/compose.yaml', 'cache/ports.yaml', 'compose.yaml', 'db/compose.yaml']);
  });

  it('the shell wins over .env: COMPOSE_PROFILES=admin, WEB_PORT=9090', () => {
    const { ports } = analyse(fixture, { env: { COMPOSE_PROFILES: 'admin', WEB_PORT: '9090' } });
    assert.deepEqual(Object.keys(ports).sort(), ['admin', 'cache', 'db', 'web']);
    assert.deepEqual(ports.web, ['9090:80']);
  });

  it('--profile replaces COMPOSE_PROFILES; * enables every profile', () => {
    assert.deepEqual(Object.keys(analyse(fixture, { profiles: ['*'] }).ports).sort(), ['admin', 'cache', 'db', 'tools', 'web']);
  });

  it('COMPOSE_FILE names the files (":" or COMPOSE_PATH_SEPARATOR), relative to the current folder', () => {
    const dir = path.join(tmp, 'compose-file');
    fs.mkdirSync(path.join(dir, 'ops'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'base.yaml'), 'services:\n  web:\n    image: nginx\n    ports: ["8000:80"]\n');
    fs.writeFileSync(path.join(dir, 'ops/extra.yaml'), 'services:\n  web:\n    ports: ["8443:443"]\n');
    assert.deepEqual(analyse(dir, { env: { COMPOSE_FILE: 'base.yaml:ops/extra.yaml' } }).inputs.files, ['base.yaml', path.join('ops', 'extra.yaml')]);
    fs.writeFileSync(path.join(dir, '.env'), 'COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=base.yaml;ops/extra.yaml\n');
    assert.deepEqual(analyse(dir).ports, { web: ['8000:80', '8443:443'] });
  });

  it('--env-file replaces .env (a missing one is refused)', () => {
    const dir = path.join(tmp, 'env-file');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    ports: ["${P:-1}:80"]\n');
    fs.writeFileSync(path.join(dir, '.env'), 'P=2\n');
    fs.writeFileSync(path.join(dir, 'ci.env'), 'P=3\n');
    assert.deepEqual(analyse(dir).ports, { web: ['2:80'] });
    assert.deepEqual(analyse(dir, { envFiles: ['ci.env'] }).ports, { web: ['3:80'] });
    assert.deepEqual(analyse(dir, { envFiles: ['nope.env'] }).inputs.unread, [{ fileName: 'nope.env', reason: 'not found' }]);
  });

  it('the editor: COMPOSE_FILE makes an open file part of the project it names', async () => {
    const dir = path.join(tmp, 'editor');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'services:\n  a:\n    image: nginx\n');
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'services:\n  b:\n    image: nginx\n');
    const alone = await projectFilesFor(path.join(dir, 'b.yaml'));
    assert.deepEqual(alone.sources.map((s) => path.basename(s.fileName)), ['b.yaml']);
    const named = await projectFilesFor(path.join(dir, 'b.yaml'), undefined, { COMPOSE_FILE: 'a.yaml:b.yaml' });
    assert.deepEqual(named.sources.map((s) => path.basename(s.fileName)), ['a.yaml', 'b.yaml']);
  });
});
