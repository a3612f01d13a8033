// Docker Engine builds for the test rig, named by the Debian suite they come from (the version is read from the
// engine once it runs), so that when sid's docker.io moves to 29.x the newest engine comes into CI instead of breaking
// it:
//   bookworm  this machine's own `docker.io` (Engine 20.10.24), installed with apt-get
//   trixie    Debian trixie's docker.io (Engine 26.1.5 when written), downloaded into a cache
//   sid       Debian sid's docker.io (Engine 28.5.2 when written) with containerd and docker-compose v2
// The downloads never touch the system's apt configuration: apt-get runs with a private sources list, lists and
// cache folder under the cache, and the packages are only extracted (dpkg-deb -x), never installed. Their dockerd,
// docker-proxy, containerd and containerd-shim run on bookworm's glibc; sid's runc needs glibc 2.38, so bookworm's
// runc is linked instead. (Proven in ../shared/recipes/docker-engine/fetch-engine.sh; this is the project's own.)
//   node scripts/lib/engine-builds.js sid     -> fetches if missing, prints the bin folder
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { capture, ensureAptPackages, log, run } = require('./proc');

const SUITES = ['bookworm', 'trixie', 'sid'];
/** The rig's default: the newest engine Debian ships. */
const DEFAULT_SUITE = 'sid';
const CACHE = path.join(process.env.DND_CACHE || path.join(os.homedir(), '.cache', 'docker-network-doctor'), 'engines');
/** What a fetched build links into its bin/ folder (the folder goes first on dockerd's PATH). */
const LINKED = ['usr/sbin/dockerd', 'usr/sbin/docker-proxy', 'usr/bin/containerd', 'usr/bin/containerd-shim-runc-v2', 'usr/bin/docker-compose'];

/** `DND_ENGINE`, checked; the default is the newest (sid). */
function suiteFromEnv(env = process.env) {
  const suite = env.DND_ENGINE || DEFAULT_SUITE;
  if (!SUITES.includes(suite)) throw new Error(`DND_ENGINE=${suite} is not one of ${SUITES.join(', ')}`);
  return suite;
}

/** The Debian archive this machine already uses (its first main-archive URI). */
function debianMirror() {
  const uris = [];
  const dir = '/etc/apt/sources.list.d';
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.sources')) : []) {
    for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/^URIs:\s*(\S+)/gm)) uris.push(m[1]);
  }
  if (fs.existsSync('/etc/apt/sources.list')) {
    for (const m of fs.readFileSync('/etc/apt/sources.list', 'utf8').matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)) uris.push(m[1]);
  }
  const uri = uris.find((u) => !/security/.test(u));
  if (!uri) throw new Error('no Debian archive found in /etc/apt (needed to download newer engines)');
  return uri;
}

function fetchSuite(suite) {
  const out = path.join(CACHE, suite);
  const bin = path.join(out, 'bin');
  if (fs.existsSync(path.join(bin, 'dockerd')) && fs.existsSync(path.join(bin, 'runc'))) return bin;
  ensureAptPackages(['runc', 'iptables', 'busybox-static', 'iproute2']);
  const t0 = Date.now();
  log(`downloading Debian ${suite}'s docker.io into ${out} (first time only)`);
  fs.rmSync(out, { recursive: true, force: true });
  const apt = path.join(out, 'apt');
  for (const d of [path.join(apt, 'lists', 'partial'), path.join(apt, 'cache', 'archives', 'partial'), path.join(out, 'debs'), path.join(out, 'root'), bin]) {
    fs.mkdirSync(d, { recursive: true });
  }
  fs.writeFileSync(path.join(apt, 'sources.list'), `deb ${debianMirror()} ${suite} main\n`);
  const opts = ['-o', `Dir::Etc::sourcelist=${path.join(apt, 'sources.list')}`, '-o', 'Dir::Etc::sourceparts=/dev/null',
    '-o', `Dir::State::Lists=${path.join(apt, 'lists')}`, '-o', `Dir::Cache=${path.join(apt, 'cache')}`,
    // the cache is root's: apt's unprivileged download user could not write there (and warned on every file)
    '-o', 'APT::Sandbox::User=root'];
  run('apt-get', [...opts, 'update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const packages = ['docker.io', 'containerd'];
  // docker-compose (v2) is in sid; fetch it where the suite has it
  if (capture('apt-cache', [...opts, 'policy', 'docker-compose']).includes('Candidate: 2')) packages.push('docker-compose');
  run('apt-get', [...opts, 'download', ...packages], { cwd: path.join(out, 'debs'), stdio: ['ignore', 'ignore', 'inherit'] });
  for (const deb of fs.readdirSync(path.join(out, 'debs')).filter((f) => f.endsWith('.deb'))) {
    run('dpkg-deb', ['-x', path.join(out, 'debs', deb), path.join(out, 'root')]);
  }
  for (const f of LINKED) {
    const target = path.join(out, 'root', f);
    if (fs.existsSync(target)) fs.symlinkSync(target, path.join(bin, path.basename(f)));
  }
  fs.symlinkSync(capture('sh', ['-c', 'command -v runc']), path.join(bin, 'runc'));
  const version = capture(path.join(bin, 'dockerd'), ['--version']);
  fs.writeFileSync(path.join(out, 'fetched.json'),
    JSON.stringify({ suite, version, packages, at: new Date().toISOString(), seconds: (Date.now() - t0) / 1000 }, null, 2));
  log(`${suite}: ${version} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return bin;
}

/**
 * The folder to put first on dockerd's PATH for `suite`, after making sure the build is there; `undefined` for
 * bookworm, whose engine is this machine's own (installed with apt-get when missing).
 */
function engineBin(suite) {
  if (!SUITES.includes(suite)) throw new Error(`unknown engine "${suite}" (${SUITES.join(', ')})`);
  if (suite === 'bookworm') {
    ensureAptPackages(['docker.io', 'iptables', 'busybox-static', 'iproute2']);
    return undefined;
  }
  return fetchSuite(suite);
}

module.exports = { SUITES, DEFAULT_SUITE, suiteFromEnv, engineBin };

if (require.main === module) {
  const suite = process.argv[2] || suiteFromEnv();
  console.log(engineBin(suite) || path.dirname(capture('sh', ['-c', 'command -v dockerd'])));
}
