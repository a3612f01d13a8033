// Entry of the reachability matrix bundle (dist/matrix.js, built by esbuild.js for the browser).
import { MatrixApp, type MatrixHostApi } from './matrixApp';

declare function acquireVsCodeApi(): MatrixHostApi;

const host = acquireVsCodeApi();
const root = document.getElementById('app');
if (root) {
  new MatrixApp(root, host);
  host.postMessage({ type: 'ready' });
}
