// Loaded by the benchmark as extensionTestsPath inside the real VS Code extension host: activates the extension
// (not yet active: the bench workspace has no compose file) and prints how long that took from outside (module
// load + activate()) and inside (activate() alone).
'use strict';
const vscode = require('vscode');
const { performance } = require('perf_hooks');

exports.run = async function run() {
  // the baseline extension of the bench has the same id, so this probe serves both
  const ext = vscode.extensions.getExtension('docker-network-doctor.docker-network-doctor');
  if (!ext) throw new Error('extension not loaded');
  const wasActive = ext.isActive;
  const t0 = performance.now();
  const { testing } = await ext.activate();
  const outsideMs = performance.now() - t0;
  // the timings come from the test seam (src/extension/testing.ts), on here: VS Code runs the extension's tests
  if (!testing) throw new Error('the extension runs without its test seam');
  const { activationMs: activateMs, bundleEvalMs, vscodeApiMs } = testing;
  console.log(`DND_ACTIVATION ${JSON.stringify({ wasActive, outsideMs, activateMs, bundleEvalMs, vscodeApiMs })}`);
};
