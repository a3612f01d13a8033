// Entry of the webview bundle (dist/webview.js, built by esbuild.js for the browser). Loads only the
// @vscode-elements components the view uses, then hands the page to FirewallApp.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { FirewallApp, type HostApi } from './app';

declare function acquireVsCodeApi(): HostApi;

const host = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  // kept on window for the e2e test and the benchmark, which read the view's state
  (window as unknown as { firewallApp: FirewallApp }).firewallApp = new FirewallApp(root, host);
  host.postMessage({ type: 'ready' });
}
