// Loaded as extensionTestsPath next to the installed .vsix (test/e2e/run.js): the installed extension is not under
// development, so VS Code runs it in ExtensionMode.Production and activate() must return the public API alone,
// without the test seam (src/extension/testing.ts).
'use strict';
const vscode = require('vscode');

exports.run = async function run() {
  const ext = vscode.extensions.getExtension('docker-network-doctor.docker-network-doctor');
  if (!ext) throw new Error('the .vsix is not installed');
  const api = await ext.activate();
  console.log(`DND_INSTALLED_EXPORTS ${JSON.stringify({ path: ext.extensionPath, keys: Object.keys(api ?? {}) })}`);
};
