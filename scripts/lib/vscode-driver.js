// Starts the real VS Code (code-server: VS Code's server and web workbench) in a throwaway profile, and Debian's
// chromium to drive it. Used by the integration tests (extension tests in the Node extension host), the e2e tests
// (screenshots), the benchmarks and the demo.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { log } = require('./proc');
const { waitFor } = require('./waitFor');

/** A free loopback port, chosen by the kernel. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

const userSettings = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Starts code-server. `smokeTestDriver` enables the `?payload=` development options (extensionDevelopmentPath,
 * extensionTestsPath), which a built workbench otherwise ignores; it also hides notification toasts.
 */
async function startCodeServer(runtime, { port, smokeTestDriver = true, env: extraEnv = {}, bindAddr = '127.0.0.1', settings = {} } = {}) {
  port = port || await freePort();
  // Short base path: VS Code's IPC sockets live under TMPDIR and unix socket paths max out at 107 bytes.
  const base = path.join(require('os').tmpdir(), 'dnd-vsc');
  fs.mkdirSync(base, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(base, 'r-'));
  fs.mkdirSync(path.join(tmp, 't'));
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...userSettings, ...settings }, null, 2));
  fs.writeFileSync(path.join(tmp, 'config.yaml'), 'auth: none\n');
  const env = {
    ...process.env, ...extraEnv,
    TMPDIR: path.join(tmp, 't'), XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    // the extension gallery points at a dead loopback port: nothing reaches for the marketplace
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item',
      resourceUrlTemplate: 'http://127.0.0.1:9/r/{publisher}/{name}/{version}/{path}' }),
  };
  const serverArgs = ['--config', path.join(tmp, 'config.yaml'), '--auth', 'none',
    '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', '--log', 'info'];
  const args = [runtime.codeServerEntry, ...serverArgs, '--bind-addr', `${bindAddr}:${port}`,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : [])];
  // own process group, so stop() also takes down the extension host, pty host and file watchers
  const proc = spawn(runtime.node, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const keep = (d) => { out = (out + d).slice(-200_000); if (process.env.VERBOSE) process.stdout.write(`[code-server] ${d}`); };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const healthy = async () => {
    if (proc.exitCode !== null) throw new Error('exited');
    try { return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok; } catch { return false; /* not up yet */ }
  };
  await waitFor(healthy, 60_000, 'code-server', 250).catch(() => { throw new Error(`code-server did not start:\n${out.slice(-4000)}`); });
  return {
    port, tmp, proc, authority: `127.0.0.1:${port}`, output: () => out,
    /** Installs a .vsix into this instance's extensions folder. */
    installExtension(vsix) {
      const { spawnSync } = require('child_process');
      return spawnSync(runtime.node, [runtime.codeServerEntry, ...serverArgs, '--install-extension', path.resolve(vsix)], { env, encoding: 'utf8' });
    },
    async stop() {
      const exited = new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* stragglers of the group, if any */ }
      if (!process.env.KEEP_TMP) {
        fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
        try { fs.rmdirSync(base); } catch { /* another instance still uses it */ }
      }
    },
  };
}

function workbenchUrl(cs, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${cs.authority}${path.resolve(extensionDevelopmentPath)}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${cs.authority}${path.resolve(extensionTestsPath)}`]);
  let url = `http://${cs.authority}/?folder=${encodeURIComponent(path.resolve(folder))}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

async function launchBrowser(runtime) {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: runtime.chromium, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      // resolve nothing but loopback names: no DNS traffic at all
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      '--force-webrtc-ip-handling-policy=disable_non_proxied_udp'] });
}

/** Only loopback traffic leaves the page. */
async function guardNetwork(page) {
  await page.route('**/*', (r) => {
    const u = r.request().url();
    if (/^(https?|wss?):\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(u) || /^(data|blob):/.test(u)) return r.continue();
    log('blocked', u);
    return r.abort();
  });
}

// Workbench chatter on the page console that is not test output.
const consoleNoise = new RegExp('^(Resolving connection|Resolved connection|Creating a socket|\\[reconnection-grace|\\[Service Worker\\]|\\[AgentHost'
  + '|\\[AccountPolicyGate\\]|Updating additional builtin|The web worker extension host|An iframe which has)');

/**
 * Runs an extension-tests module (the @vscode/test-electron contract: it exports `run()`) inside the Node extension
 * host with the extension in development mode. Resolves to the exit code the workbench reports.
 */
async function runExtensionTests(runtime, { extensionPath, testsPath, folder, env, timeoutMs = 600_000, onLine = (l) => console.log(l) }) {
  let cs, browser;
  try {
    cs = await startCodeServer(runtime, { env });
    browser = await launchBrowser(runtime);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await guardNetwork(page);
    let exitWith;
    const done = new Promise((r) => { exitWith = r; });
    await page.exposeFunction('codeAutomationExit', (code) => exitWith(code));
    const util = require('util');
    page.on('console', async (m) => {
      let a;
      try { a = await Promise.all(m.args().map((x) => x.jsonValue())); } catch { a = [m.text()]; }
      if (typeof a[0] === 'string' && a[0].startsWith('%c')) a = a.slice(2);
      if (!a.length) return;
      const line = a.some((x) => x && typeof x === 'object') ? m.text().replace(/%c\s*|color: #\w+\s*/g, '') : util.format(...a);
      // the gallery points at a dead port on purpose; its refusals are not test output
      if (process.env.VERBOSE || !(consoleNoise.test(line) || line.includes('ECONNREFUSED 127.0.0.1:9'))) onLine(line);
    });
    await page.goto(workbenchUrl(cs, { folder, extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath }));
    let timer;
    const timeout = new Promise((_,
      rej) => { timer = setTimeout(() => rej(new Error(`no result from the extension tests within ${timeoutMs} ms`)), timeoutMs); });
    try {
      return await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } catch (e) {
    console.error(`[dnd] ${e.message}`);
    if (cs && process.env.VERBOSE) console.error(cs.output().slice(-4000));
    return 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (cs) await cs.stop();
  }
}

module.exports = { startCodeServer, workbenchUrl, launchBrowser, guardNetwork, runExtensionTests, freePort };
