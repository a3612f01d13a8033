#!/usr/bin/env node
// `npm run test:desktop`: the same integration suite in desktop VS Code through @vscode/test-electron, for machines
// that can download VS Code (this project's CI machine cannot; it uses code-server: see scripts/test.js).
'use strict';
const path = require('path');
const { run } = require('./lib/proc');
const { acquireEngine } = require('./lib/engine');

const ROOT = path.resolve(__dirname, '..');

(async () => {
  run(process.execPath, [path.join(ROOT, 'esbuild.js'), '--tests'], { cwd: ROOT });
  const { runTests } = require('@vscode/test-electron');
  const engine = await acquireEngine({ requireEngine: true });
  try {
    await runTests({
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'out/test/integration/index.js'),
      launchArgs: [path.join(ROOT, 'test/fixtures/workspace'), '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { DOCKER_HOST: engine.host, DND_TEST_RUN: engine.runId },
    });
  } catch (e) {
    console.error(`[dnd] desktop tests failed: ${e.message || e}`);
    process.exitCode = 1;
  } finally {
    await engine.stop();
  }
})();
