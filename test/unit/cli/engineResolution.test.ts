// The engine the CLI and the extension use, from a real docker config folder: contexts live in
// contexts/meta/<sha256 of name>/meta.json, config.json names the current one.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveEngineFromEnvironment } from '../../../src/adapters/dockerConfigFiles';
import { fixturePath } from '../../paths';
import { runBuiltCli } from './runBuiltCli';

const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-docker-config-'));
after(() => fs.rmSync(configDir, { recursive: true, force: true }));

function writeContext(name: string, host: string): void {
  const dir = path.join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
}
writeContext('foo', 'unix:///nonexistent/foo.sock');
writeContext('remote', 'tcp://192.0.2.7:2375');
fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ auths: {}, currentContext: 'remote' }));

const env = (extra: Record<string, string>) => ({ PATH: process.env.PATH, HOME: configDir, DOCKER_CONFIG: configDir, ...extra });

describe('engine resolution (one adapter for the extension and the CLI)', () => {
  it('DOCKER_CONTEXT names a context from the config folder', () => {
    const r = resolveEngineFromEnvironment(env({ DOCKER_CONTEXT: 'foo' }));
    assert.deepEqual([r.source, r.contextName, r.endpoint.host], ['context', 'foo', 'unix:///nonexistent/foo.sock']);
  });
  it('without it, config.json\'s current context', () => {
    const r = resolveEngineFromEnvironment(env({}));
    assert.deepEqual([r.source, r.contextName, r.endpoint.host], ['context', 'remote', 'tcp://192.0.2.7:2375']);
  });
  it('DOCKER_HOST wins over both', () => {
    const r = resolveEngineFromEnvironment(env({ DOCKER_HOST: 'unix:///tmp/x.sock', DOCKER_CONTEXT: 'foo' }));
    assert.deepEqual([r.source, r.endpoint.host], ['DOCKER_HOST', 'unix:///tmp/x.sock']);
  });
  it('no context anywhere: the default socket; the extension\'s settings still come first', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-docker-config-empty-'));
    try {
      const r = resolveEngineFromEnvironment({ HOME: empty, DOCKER_CONFIG: empty });
      assert.equal(r.source, 'default');
      assert.match(r.endpoint.host, /^unix:\/\/.*docker\.sock$/);
      assert.equal(resolveEngineFromEnvironment(env({}), { host: 'tcp://198.51.100.1:2375' }).source, 'setting');
      assert.equal(resolveEngineFromEnvironment(env({}), { context: 'foo' }).endpoint.host, 'unix:///nonexistent/foo.sock');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
  it('an unknown context is an error that names it', () => {
    assert.throws(() => resolveEngineFromEnvironment(env({ DOCKER_CONTEXT: 'nope' })), /docker context "nope" was not found/);
  });

  it('the CLI follows DOCKER_CONTEXT: networks and check --engine try the context\'s socket (exit 2, engine unreachable)', () => {
    for (const args of [['networks'], ['check', '--engine']]) {
      const r = runBuiltCli(args, { env: env({ DOCKER_CONTEXT: 'foo' }), cwd: fixturePath('compose', 'extends') });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /No Docker engine answers at unix:\/\/\/nonexistent\/foo\.sock \(docker context foo\)/);
      assert.doesNotMatch(r.stderr, /not found/);
    }
    const unknown = runBuiltCli(['networks'], { env: env({ DOCKER_CONTEXT: 'nope' }) });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /docker context "nope" was not found/);
  });
});
