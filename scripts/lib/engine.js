// The Docker engine used by tests, the demo and the bench. When DOCKER_HOST is given it is used as it is; without
// root, the engine the docker CLI would use (its current context, else the default socket); otherwise (root) a private
// dockerd of the build DND_ENGINE names (bookworm 20.10, trixie 26.1, sid 28.5 today; default
// sid, see engine-builds.js) is started in a network namespace of its own (netns.js) with its own socket and state
// folders, and stopped afterwards by its pid.
// It cannot pull images: the test image `dnd-test/busybox` is made with `docker import` from busybox-static.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { log, ensureAptPackages } = require('./proc');
const { engineBin, suiteFromEnv } = require('./engine-builds');
const { createEngineNetns } = require('./netns');
const { waitFor } = require('./waitFor');

/** Every object a test or the demo makes carries TEST_LABEL, so leftovers can always be found and removed. */
const { image: TEST_IMAGE, label: TEST_LABEL } = require('../../test/support/testObjects.json');

function docker(host, args, opts = {}) {
  return spawnSync('docker', ['-H', host, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
}

/** Imports the busybox test image into the engine unless it is there already. */
function ensureTestImage(host) {
  if (docker(host, ['image', 'inspect', TEST_IMAGE]).status === 0) return;
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p));
  if (!busybox) throw new Error('busybox-static is needed to build the test image (apt-get install busybox-static)');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-rootfs-'));
  try {
    for (const d of ['bin', 'tmp', 'etc']) fs.mkdirSync(path.join(root, d));
    fs.copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
    fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    const applets = spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter((a) => a && a !== 'busybox');
    for (const a of applets) fs.symlinkSync('busybox', path.join(root, 'bin', a));
    fs.writeFileSync(path.join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    const tar = path.join(root, '..', `${path.basename(root)}.tar`);
    const t = spawnSync('tar', ['-C', root, '-cf', tar, '.']);
    if (t.status !== 0) throw new Error('tar of the busybox rootfs failed');
    const r = docker(host, ['import', '-c', 'ENV PATH=/bin', '-c', 'CMD ["/bin/sh"]', '--message', TEST_LABEL, tar, TEST_IMAGE]);
    fs.rmSync(tar, { force: true });
    if (r.status !== 0) throw new Error(`docker import failed: ${r.stderr}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** This run's id: the value of TEST_LABEL on everything this run makes (tests read DND_TEST_RUN). */
const RUN_ID = process.env.DND_TEST_RUN || `run-${process.pid}-${Date.now().toString(36)}`;

/**
 * Removes containers and networks carrying the test label: with `runId`, only that run's (an engine given by
 * DOCKER_HOST may be shared with other runs); without, every labelled one (a private engine).
 */
function removeLabelled(host, runId) {
  const filter = runId ? `label=${TEST_LABEL}=${runId}` : `label=${TEST_LABEL}`;
  const ids = docker(host, ['ps', '-aq', '--filter', filter]).stdout.split('\n').filter(Boolean);
  if (ids.length) docker(host, ['rm', '-f', '-v', ...ids]);
  const nets = docker(host, ['network', 'ls', '-q', '--filter', filter]).stdout.split('\n').filter(Boolean);
  if (nets.length) docker(host, ['network', 'rm', ...nets]);
  return ids.length + nets.length;
}

/** The engine's version as it reports it (`28.5.2+dfsg4` → `28.5.2`). */
function engineVersion(host) {
  const r = docker(host, ['version', '--format', '{{.Server.Version}}']);
  if (r.status !== 0) throw new Error(`no engine answers at ${host}: ${(r.stderr || '').trim()}`);
  return r.stdout.trim().replace(/\+.*$/, '');
}

/**
 * The engine the docker CLI would use, for a machine where no private engine can be started (no root): DOCKER_CONTEXT
 * or the current context, else the default socket. Throws with what to do when there is none.
 */
function dockerCliEngine() {
  const r = spawnSync('docker', ['context', 'inspect', '--format', '{{.Name}} {{.Endpoints.docker.Host}}'], { encoding: 'utf8' });
  if (r.error && r.error.code === 'ENOENT') {
    throw new Error('not root, so no private engine can be started, and the docker CLI is not installed: install Docker (or Docker Desktop), or set ' +
      'DOCKER_HOST');
  }
  const [name, host] = (r.stdout || '').trim().split(' ');
  if (r.status === 0 && host) return { host, source: `docker context "${name}"` };
  if (fs.existsSync('/var/run/docker.sock')) return { host: 'unix:///var/run/docker.sock', source: 'the default socket' };
  throw new Error(`not root, so no private engine can be started, and the docker CLI names no engine (${(r.stderr || '').trim() || 'no context'}): start ` +
    `Docker, or set DOCKER_HOST`);
}

/** An engine this run does not own: only this run's labelled objects are made on it and removed afterwards. */
function useGivenEngine(host, source) {
  const answer = docker(host, ['version', '--format', '{{.Server.Version}}']);
  if (answer.status !== 0) {
    throw new Error(`no engine answers at ${host} (from ${source}): ${(answer.stderr || '').trim().split('\n')[0]}; start Docker, or set DOCKER_HOST to one ` +
      `that runs`);
  }
  log(`using the engine at ${host} (from ${source}). This run creates containers and networks labelled ${TEST_LABEL}=${RUN_ID} ` +
    `and removes them afterwards; it imports the image ${TEST_IMAGE} if missing and leaves it.`);
  ensureTestImage(host);
  const given = { host, private: false, suite: 'given', version: engineVersion(host), runId: RUN_ID, stop: async () => { removeLabelled(host, RUN_ID); } };
  return { ...given, testEnv: testEnvFor(given) };
}

/**
 * Gives an engine: DOCKER_HOST when set, else a private dockerd (root only) of the build `engine` names
 * (bookworm, trixie or sid; default DND_ENGINE, then sid), in a network namespace of its own with an "outside" peer
 * (scripts/lib/netns.js). Returns { host, private, suite, version, pid, netns, runId, testEnv, stop() };
 * `testEnv` is what test processes get to find the engine's namespaces (see testEnvFor).
 * `dir` holds the private engine's socket, state and log; keep it short (unix socket paths max out at 107 bytes).
 */
async function acquireEngine({ engine, dir, requireEngine = !!process.env.CI, userlandProxy = true } = {}) {
  if (process.env.DOCKER_HOST) return useGivenEngine(process.env.DOCKER_HOST, 'DOCKER_HOST');
  if (!process.getuid || process.getuid() !== 0) {
    try {
      const { host, source } = dockerCliEngine();
      return useGivenEngine(host, source);
    } catch (e) {
      if (requireEngine) throw e;
      return null;
    }
  }
  const suite = engine || suiteFromEnv();
  const bin = engineBin(suite);
  ensureAptPackages(['iptables', 'busybox-static', 'iproute2']);
  dir = dir || path.join(os.tmpdir(), `dnd-${suite}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  const netns = createEngineNetns(`${suite}${userlandProxy ? '' : 'np'}`);
  const host = `unix://${dir}/docker.sock`;
  const logFd = fs.openSync(path.join(dir, 'dockerd.log'), 'a');
  const args = ['--host', host, '--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'),
    '--pidfile', path.join(dir, 'docker.pid')];
  if (!userlandProxy) args.push('--userland-proxy=false');
  // nsenter switches only the network namespace and execs dockerd (its pid is dockerd's); the socket is a file, so
  // clients in the machine's own namespace reach it
  const env = { ...process.env, PATH: bin ? `${bin}:${process.env.PATH}` : process.env.PATH };
  const proc = spawn('nsenter', [`--net=${netns.path}`, '--', 'dockerd', ...args], { stdio: ['ignore', logFd, logFd], detached: true, env });
  fs.closeSync(logFd);
  let exited = false;
  proc.on('exit', () => { exited = true; });
  const stop = async () => {
    removeLabelled(host);
    if (!exited) {
      try { process.kill(proc.pid, 'SIGTERM'); } catch { /* already gone */ }
      await waitFor(() => exited, 20000, 'dockerd to stop').catch(() => { try { process.kill(proc.pid, 'SIGKILL'); } catch { /* gone */ } });
    }
    // dockerd leaves mounts below its folders (e.g. exec/netns/default): unmount every one, deepest first
    const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4])
      .filter((m) => m && (m === dir || m.startsWith(`${dir}/`))).sort((a, b) => b.length - a.length);
    for (const m of mounts) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
    netns.remove();
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (e) {
      log(`could not remove ${dir} (${e.code}); remove it by hand once its mounts are gone`);
    }
  };
  let version;
  try {
    await waitFor(() => exited || docker(host, ['version']).status === 0, 60000, 'dockerd to answer');
    if (exited) throw new Error(`dockerd exited at start; see ${dir}/dockerd.log:\n${fs.readFileSync(path.join(dir, 'dockerd.log'), 'utf8').slice(-2000)}`);
    version = engineVersion(host);
    ensureTestImage(host);
  } catch (e) {
    await stop();
    throw e;
  }
  log(`private engine up: ${suite} Engine ${version}${userlandProxy ? '' : ' (userland proxy off)'}, ${host} (pid ${proc.pid}, network ` +
    `namespace ${netns.name})`);
  const made = { host, private: true, suite, version, pid: proc.pid, dir, netns, runId: RUN_ID, stop };
  return { ...made, testEnv: testEnvFor(made) };
}

/**
 * The environment a test process gets to reach the engine (test/support/engineRig.ts reads it):
 * DOCKER_HOST, DND_TEST_RUN, the engine's version and build, its dockerd pid, and for a private engine its network
 * namespace and the outside peer's (`nsenter --net=<path>`), with the engine host's address on that link.
 */
function testEnvFor(e) {
  const env = { DOCKER_HOST: e.host, DND_TEST_RUN: e.runId, DND_TEST_ENGINE_VERSION: e.version, DND_TEST_ENGINE_SUITE: e.suite,
    DND_TEST_ENGINE_PID: String(e.pid || '') };
  if (e.netns) {
    Object.assign(env, { DND_TEST_ENGINE_NETNS: e.netns.path, DND_TEST_OUTSIDE_NETNS: e.netns.outsidePath,
      DND_TEST_ENGINE_LAN_IPV4: e.netns.engine4, DND_TEST_ENGINE_LAN_IPV6: e.netns.engine6 });
  }
  return env;
}

module.exports = { acquireEngine, ensureTestImage, removeLabelled, engineVersion, testEnvFor, TEST_IMAGE, TEST_LABEL, RUN_ID };

if (require.main === module) {
  // `node scripts/lib/engine.js`: start a private engine for a development session and keep it until Ctrl-C.
  acquireEngine({ dir: process.argv[2] || `/tmp/dnd-dev-${suiteFromEnv()}` }).then((e) => {
    console.log(`export DOCKER_HOST=${e.host}`);
    console.log(Object.entries(e.testEnv).filter(([k]) => k !== 'DOCKER_HOST').map(([k, v]) => `export ${k}=${v}`).join('\n'));
    const bye = () => e.stop().then(() => process.exit(0));
    process.on('SIGINT', bye); process.on('SIGTERM', bye);
    setInterval(() => {}, 1 << 30);
  }, (err) => { console.error(err.message); process.exit(1); });
}
