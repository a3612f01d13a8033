// The Docker engine used by tests and the demo. When DOCKER_HOST is given it is used as it is; otherwise (root only)
// a private dockerd is started with its own socket and state folders, and stopped afterwards by its pid.
// It cannot pull images: the test image `dnd-test/busybox` is made with `docker import` from busybox-static.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { log, ensureAptPackages } = require('./proc');

const TEST_IMAGE = 'dnd-test/busybox:latest';
/** Every object a test or the demo makes carries this label, so leftovers can always be found and removed. */
const TEST_LABEL = 'dev.docker-network-doctor.test';

function docker(host, args, opts = {}) {
  return spawnSync('docker', ['-H', host, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
}

async function waitFor(predicate, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
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

/**
 * Gives an engine: DOCKER_HOST when set, else a private dockerd (root only). Returns { host, private, stop() }.
 * `dir` holds the private engine's socket, state and log; keep it short (unix socket paths max out at 107 bytes).
 */
async function acquireEngine({ dir = path.join(os.tmpdir(), `dnd-engine-${process.pid}`), requireEngine = !!process.env.CI, userlandProxy = true } = {}) {
  if (process.env.DOCKER_HOST) {
    const host = process.env.DOCKER_HOST;
    if (docker(host, ['version', '--format', '{{.Server.Version}}']).status !== 0) {
      throw new Error(`DOCKER_HOST=${host} is set but no engine answers there`);
    }
    ensureTestImage(host);
    return { host, private: false, runId: RUN_ID, stop: async () => { removeLabelled(host, RUN_ID); } };
  }
  if (!process.getuid || process.getuid() !== 0) {
    if (requireEngine) throw new Error('no DOCKER_HOST given and not root, so no private engine can be started');
    return null;
  }
  ensureAptPackages(['docker.io', 'iptables', 'busybox-static']);
  fs.mkdirSync(dir, { recursive: true });
  const host = `unix://${dir}/docker.sock`;
  const logFd = fs.openSync(path.join(dir, 'dockerd.log'), 'a');
  const args = ['--host', host, '--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'),
    '--pidfile', path.join(dir, 'docker.pid')];
  if (!userlandProxy) args.push('--userland-proxy=false');
  const proc = spawn('dockerd', args, { stdio: ['ignore', logFd, logFd], detached: true });
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
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (e) {
      log(`could not remove ${dir} (${e.code}); remove it by hand once its mounts are gone`);
    }
  };
  try {
    await waitFor(() => exited || docker(host, ['version']).status === 0, 30000, 'dockerd to answer');
    if (exited) throw new Error(`dockerd exited at start; see ${dir}/dockerd.log:\n${fs.readFileSync(path.join(dir, 'dockerd.log'), 'utf8').slice(-2000)}`);
    ensureTestImage(host);
  } catch (e) {
    await stop();
    throw e;
  }
  log(`private engine up: ${host} (pid ${proc.pid})`);
  return { host, private: true, pid: proc.pid, dir, runId: RUN_ID, stop };
}

module.exports = { acquireEngine, ensureTestImage, removeLabelled, TEST_IMAGE, TEST_LABEL, RUN_ID };

if (require.main === module) {
  // `node scripts/lib/engine.js`: start a private engine for a development session and keep it until Ctrl-C.
  acquireEngine({ dir: process.argv[2] || '/tmp/dnd-dev-engine' }).then((e) => {
    console.log(`export DOCKER_HOST=${e.host}`);
    const bye = () => e.stop().then(() => process.exit(0));
    process.on('SIGINT', bye); process.on('SIGTERM', bye);
    setInterval(() => {}, 1 << 30);
  }, (err) => { console.error(err.message); process.exit(1); });
}
