import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { negotiateApiVersion, ApiVersionError } from '../../../src/core/engine/apiVersion';
import { browserUrlFor } from '../../../src/core/engine/browserUrl';
import { contextDirName, listDockerContexts, resolveEngine, type DockerConfigReader } from '../../../src/core/engine/endpoint';
import { classifyEngineError } from '../../../src/core/engine/engineError';

/** An in-memory docker config folder. */
function files(map: Record<string, string>, sockets: string[] = []): DockerConfigReader {
  return {
    readFile: (p) => map[p],
    exists: (p) => p in map || sockets.includes(p),
    listDir: (p) => [...new Set(Object.keys(map).filter((k) => k.startsWith(`${p}/`)).map((k) => k.slice(p.length + 1).split('/')[0]!))],
  };
}
const meta = (name: string, host: string, extra: object = {}) => ({
  [`/home/u/.docker/contexts/meta/${contextDirName(name)}/meta.json`]: JSON.stringify({ Name: name, Metadata: { Description: `${name} ctx` },
    Endpoints: { docker: { Host: host, ...extra } } }),
});
const base = { platform: 'linux', homeDir: '/home/u' };

describe('resolveEngine: the docker CLI\'s order', () => {
  const reader = files({ '/home/u/.docker/config.json': JSON.stringify({ currentContext: 'remote' }), ...meta('remote', 'ssh://me@box:2222'),
    ...meta('tls', 'tcp://10.0.0.5'), [`/home/u/.docker/contexts/tls/${contextDirName('tls')}/docker/ca.pem`]: 'x' });

  it('the setting wins over everything', () => {
    const r = resolveEngine({ ...base, setting: 'unix:///s.sock', env: { DOCKER_HOST: 'tcp://x:1' }, reader });
    assert.deepEqual([r.source, r.endpoint.host], ['setting', 'unix:///s.sock']);
  });

  it('then a context chosen in the extension, then DOCKER_HOST with TLS files from DOCKER_CERT_PATH', () => {
    assert.equal(resolveEngine({ ...base, contextSetting: 'tls', env: { DOCKER_HOST: 'tcp://x:1' }, reader }).contextName, 'tls');
    const r = resolveEngine({ ...base, env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/c' }, reader });
    assert.equal(r.source, 'DOCKER_HOST');
    assert.deepEqual(r.endpoint.kind === 'tcp' && [r.endpoint.tls, r.endpoint.tlsFiles?.ca], [true, '/c/ca.pem']);
  });

  it('then DOCKER_CONTEXT, then config.json\'s currentContext (meta under the SHA-256 of the name)', () => {
    const viaEnv = resolveEngine({ ...base, env: { DOCKER_CONTEXT: 'tls' }, reader });
    assert.deepEqual(viaEnv.endpoint.kind === 'tcp' && [viaEnv.endpoint.tls, viaEnv.endpoint.port, viaEnv.endpoint.tlsFiles?.ca],
      [true, 2376, `/home/u/.docker/contexts/tls/${contextDirName('tls')}/docker/ca.pem`]);
    const current = resolveEngine({ ...base, env: {}, reader });
    assert.deepEqual([current.source, current.contextName, current.endpoint.kind], ['context', 'remote', 'ssh']);
    assert.deepEqual(current.endpoint.kind === 'ssh' && [current.endpoint.username, current.endpoint.port], ['me', 2222]);
  });

  it('an unknown context is a configuration error', () => {
    assert.throws(() => resolveEngine({ ...base, env: { DOCKER_CONTEXT: 'gone' }, reader }), /docker context "gone" was not found/);
  });

  it('platform defaults: /var/run/docker.sock, Docker Desktop\'s socket when only that exists, the Windows pipe', () => {
    assert.equal(resolveEngine({ ...base, env: {} }).endpoint.host, 'unix:///var/run/docker.sock');
    assert.equal(resolveEngine({ ...base, env: {}, reader: files({}, ['/home/u/.docker/run/docker.sock']) }).endpoint.host,
      'unix:///home/u/.docker/run/docker.sock');
    const win = resolveEngine({ platform: 'win32', env: {} }).endpoint;
    assert.deepEqual([win.kind, win.kind === 'npipe' && win.socketPath], ['npipe', '\\\\.\\pipe\\docker_engine']);
    assert.equal(resolveEngine({ ...base, contextSetting: 'default', env: { DOCKER_HOST: 'tcp://x:1' }, reader }).source, 'default');
  });

  it('lists the stored contexts for the switch-engine pick', () => {
    assert.deepEqual(listDockerContexts('/home/u/.docker', reader).map((c) => [c.name, c.host]), [['remote', 'ssh://me@box:2222'], ['tls', 'tcp://10.0.0.5']]);
  });
});

describe('API version negotiation and engine problems', () => {
  it('pins to the engine\'s version within 1.41 .. 1.52, refuses older ones', () => {
    assert.equal(negotiateApiVersion('1.41'), '1.41');
    assert.equal(negotiateApiVersion('1.47'), '1.47');
    assert.equal(negotiateApiVersion('1.53'), '1.52');
    assert.throws(() => negotiateApiVersion('1.40'), ApiVersionError);
  });

  it('gives each failure its own kind and fix', () => {
    const kind = (err: object) => classifyEngineError(err, 'unix:///x').kind;
    assert.equal(kind({ code: 'ECONNREFUSED' }), 'unreachable');
    assert.equal(kind({ code: 'ENOENT', message: 'connect ENOENT /var/run/docker.sock' }), 'unreachable');
    assert.equal(kind({ code: 'EACCES' }), 'permission');
    assert.equal(kind({ code: 'ENOENT', path: '/c/ca.pem' }), 'tls');
    assert.equal(kind({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'tls');
    assert.equal(kind(new ApiVersionError('1.40')), 'api-version');
    assert.match(classifyEngineError({ code: 'EACCES' }, 'unix:///x').fix, /docker group/);
  });
});

describe('browserUrlFor', () => {
  const local = { kind: 'unix', socketPath: '/s', host: 'unix:///s' } as const;
  it('loopback for a local engine, the engine host for a remote one, the bound address when there is one', () => {
    assert.equal(browserUrlFor({ hostIps: ['0.0.0.0', '::'], protocol: 'tcp', hostStart: 8080 }, local), 'http://localhost:8080/');
    assert.equal(browserUrlFor({ hostIps: ['::'], protocol: 'tcp', hostStart: 443 },
      { kind: 'tcp', hostname: 'box', port: 2376, tls: true, host: 'tcp://box:2376' }), 'https://box:443/');
    assert.equal(browserUrlFor({ hostIps: ['::1'], protocol: 'tcp', hostStart: 81 }, local), 'http://[::1]:81/');
    assert.equal(browserUrlFor({ hostIps: ['0.0.0.0'], protocol: 'udp', hostStart: 53 }, local), undefined);
  });
});
