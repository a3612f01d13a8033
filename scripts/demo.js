#!/usr/bin/env node
// `npm run demo`: builds and packages the extension, uses DOCKER_HOST, a private engine (root) or the engine the
// docker CLI uses, creates a few sample networks and containers (one publishing a 100-port range), and opens VS Code (code-server) with the extension
// installed and a sample workspace holding a compose file. Prints the URL to open; Ctrl-C stops everything it started.
//   DND_DEMO_PORT=8090 npm run demo
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { log, run } = require('./lib/proc');
const { acquireEngine, TEST_IMAGE, TEST_LABEL } = require('./lib/engine');
const { ensureVsCodeRuntime } = require('./lib/vscode-runtime');
const { startCodeServer } = require('./lib/vscode-driver');

const ROOT = path.resolve(__dirname, '..');
const DEMO_RUN = 'demo';

function docker(host, args) {
  const r = spawnSync('docker', ['-H', host, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** The sample: three networks (one internal, one with icc off) and four containers, all labelled for removal. */
function createSamples(host) {
  const label = ['--label', `${TEST_LABEL}=${DEMO_RUN}`];
  const nets = [
    ['demo-front', '--subnet', '10.201.0.0/24'],
    ['demo-back', '--internal', '--subnet', '10.202.0.0/24'],
    ['demo-quiet', '-o', 'com.docker.network.bridge.enable_icc=false', '--subnet', '10.203.0.0/24'],
  ];
  for (const [name, ...opts] of nets) docker(host, ['network', 'create', ...label, ...opts, name]);
  const containers = [
    ['demo-web', '--network', 'demo-front', '-p', '8080:80', '-p', '127.0.0.1:8443:443'],
    ['demo-turn', '--network', 'demo-front', '-p', '3478:3478/udp', '-p', '40000-40099:40000-40099/udp'],
    ['demo-db', '--network', 'demo-back', '--expose', '5432'],
    ['demo-worker', '--network', 'demo-quiet'],
  ];
  for (const [name, ...opts] of containers) {
    log(`starting ${name}${name === 'demo-turn' ? ' (100-port range: ~200 docker-proxy processes, takes a while)' : ''}`);
    docker(host, ['run', '-d', ...label, '--name', name, ...opts, TEST_IMAGE, 'sleep', '86400']);
  }
  docker(host, ['network', 'connect', 'demo-back', 'demo-web']);
}

function removeSamples(host) {
  const ids = spawnSync('docker', ['-H', host, 'ps', '-aq', '--filter', `label=${TEST_LABEL}=${DEMO_RUN}`],
    { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  if (ids.length) spawnSync('docker', ['-H', host, 'rm', '-f', ...ids], { stdio: 'ignore' });
  const nets = spawnSync('docker', ['-H', host, 'network', 'ls', '-q', '--filter', `label=${TEST_LABEL}=${DEMO_RUN}`],
    { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  if (nets.length) spawnSync('docker', ['-H', host, 'network', 'rm', ...nets], { stdio: 'ignore' });
}

async function main() {
  log('building and packaging the extension');
  run('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const runtime = ensureVsCodeRuntime();
  const engine = await acquireEngine({ dir: path.join(os.tmpdir(), 'dnd-demo-engine'), requireEngine: true });
  let cs;
  let workspace;
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    log('stopping: code-server, sample containers and networks' + (engine.private ? ', private engine' : ''));
    if (cs) await cs.stop().catch(() => {});
    removeSamples(engine.host);
    await engine.stop().catch(() => {});
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  try {
    removeSamples(engine.host); // leftovers of an earlier demo on a shared engine
    if (!engine.private) {
      log(`the demo creates 3 networks (demo-front, demo-back, demo-quiet, subnets 10.201-203.0.0/24) and 4 containers ` +
        `(demo-web, demo-turn, demo-db, demo-worker) labelled ${TEST_LABEL}=${DEMO_RUN} on ${engine.host}; Ctrl-C removes them`);
    }
    createSamples(engine.host);
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dnd-demo-ws-'));
    fs.cpSync(path.join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });
    const port = Number(process.env.DND_DEMO_PORT || 8090);
    cs = await startCodeServer(runtime, { port, smokeTestDriver: false, env: { DOCKER_HOST: engine.host },
      settings: { 'workbench.startupEditor': 'none' } });
    const r = cs.installExtension(path.join(ROOT, 'dist/docker-network-doctor.vsix'));
    if (r.status !== 0) throw new Error(`installing the .vsix failed:\n${r.stdout}${r.stderr}`);
    console.log(`\nDocker Network Doctor demo is running (engine ${engine.host}).`);
    console.log(`Open: http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    console.log('Press Ctrl-C to stop everything the demo started.\n');
    await new Promise(() => {}); // until a signal
  } catch (e) {
    console.error(`[dnd] demo failed: ${e.message}`);
    await stop(1);
  }
}

main();
