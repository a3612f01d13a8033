// Small process helpers for the scripts. Commands are always argument arrays: no shell strings.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');

function log(...args) { console.log('[dnd]', ...args); }

/** Runs a command to completion with inherited output; throws with the command line when it fails. */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
  return r;
}

/** Runs a command and returns its stdout (trimmed); throws with stderr when it fails. */
function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}: ${(r.stderr || '').trim()}`);
  return (r.stdout || '').trim();
}

function hasCommand(name) {
  return (process.env.PATH || '').split(':').some((d) => d && fs.existsSync(`${d}/${name}`));
}

let aptUpdated = false;
/** Installs Debian packages that are missing (root only); a no-op when all are present. */
function ensureAptPackages(packages) {
  const missing = packages.filter((p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout !== 'install ok installed');
  if (!missing.length) return;
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} (install them with apt-get as root)`);
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) { run('apt-get', ['update', '-qq'], { env }); aptUpdated = true; }
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

module.exports = { log, run, capture, hasCommand, ensureAptPackages };
