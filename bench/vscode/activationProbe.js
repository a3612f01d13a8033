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
  const api = await ext.activate();
  const outsideMs = performance.now() - t0;
  const figures = { wasActive, outsideMs, activateMs: api.activationMs, bundleEvalMs: api.bundleEvalMs, vscodeApiMs: api.vscodeApiMs };
  console.log(`DND_ACTIVATION ${JSON.stringify(figures)}`);
};
