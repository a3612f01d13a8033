#!/usr/bin/env node
// UI end-to-end: the real workbench (code-server) in headless chromium, the extension in development mode, a real
// engine (DOCKER_HOST). Each check prints ✔/✘; screenshots go to test-results/. Ends with `N passed, N failed`.
//   DOCKER_HOST=unix://… node test/e2e/run.js        (normally run by `npm run test:e2e`)
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { startCodeServer, workbenchUrl, launchBrowser, guardNetwork } = require('../../scripts/lib/vscode-driver');
const { runtimePaths } = require('../../scripts/lib/vscode-runtime');
const { TEST_IMAGE, TEST_LABEL } = require('../../scripts/lib/engine');

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'test-results');
const RUN_ID = process.env.DND_TEST_RUN || `e2e-${process.pid}`;
const host = process.env.DOCKER_HOST;
const results = [];

function docker(args) {
  const r = spawnSync('docker', ['-H', host, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`  ✘ ${name}: ${e.message.split('\n')[0]}`);
    throw e;
  }
}

(async () => {
  if (!host) throw new Error('DOCKER_HOST is not set (run through `npm run test:e2e`)');
  fs.mkdirSync(OUT, { recursive: true });
  const runtime = process.env.DND_RUNTIME ? JSON.parse(process.env.DND_RUNTIME) : runtimePaths();
  const netName = `dnd-e2e-${RUN_ID}`.slice(0, 60);
  let cs, browser, page;
  try {
    docker(['network', 'create', '--label', `${TEST_LABEL}=${RUN_ID}`, '--subnet', '10.98.7.0/24', netName]);
    docker(['run', '-d', '--label', `${TEST_LABEL}=${RUN_ID}`, '--network', netName, '--name', `${netName}-web`,
      '-p', '127.0.0.1:18080:80', '-p', '41000-41099:41000-41099/udp', TEST_IMAGE, 'sleep', '600']);
    cs = await startCodeServer(runtime, { env: { DOCKER_HOST: host } });
    browser = await launchBrowser(runtime);
    page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    await guardNetwork(page);
    await page.goto(workbenchUrl(cs, { folder: path.join(ROOT, 'test/fixtures/workspace'), extensionDevelopmentPath: ROOT }));
    await check('workbench loads', () => page.locator('.monaco-workbench').waitFor({ timeout: 60_000 }));
    await check('activity bar shows Docker Network Doctor', async () => {
      const tab = page.getByRole('tab', { name: /Docker Network Doctor/ });
      await tab.waitFor({ timeout: 60_000 });
      await tab.click();
    });
    await check('Networks view lists the engine\'s networks', async () => {
      await page.locator('.monaco-list-row', { hasText: netName }).first().waitFor({ timeout: 30_000 });
      await page.locator('.monaco-list-row', { hasText: 'bridge' }).first().waitFor();
      await page.locator('.monaco-list-row', { hasText: '10.98.7.0/24' }).first().waitFor();
    });
    await check('screenshot of the Networks view', () => page.screenshot({ path: path.join(OUT, 'e2e-networks-view.png') }));
    await check('tree expands network → container → one compacted port range', async () => {
      const row = (...texts) => texts.reduce((l, t) => l.filter({ hasText: t }), page.locator('.monaco-list-row'));
      await row(netName, '10.98.7.0/24').first().click();
      await row(`${netName}-web`, 'running').first().click();
      await row('41000-41099/udp', '100 ports', '200 docker-proxy').first().waitFor({ timeout: 10_000 });
      await row('127.0.0.1 18080/tcp', '1 docker-proxy').first().waitFor();
      // widen the side bar (drag its sash) so the port rows are readable in full
      const bar = await page.locator('.part.sidebar').boundingBox();
      if (bar) {
        await page.mouse.move(bar.x + bar.width + 1, bar.y + bar.height / 2);
        await page.mouse.down();
        await page.mouse.move(bar.x + 900, bar.y + bar.height / 2, { steps: 5 });
        await page.mouse.up();
      }
      await page.screenshot({ path: path.join(OUT, 'e2e-tree-expanded.png') });
    });
  } catch (e) {
    if (!results.some((r) => !r.ok)) { results.push({ name: 'e2e set-up', ok: false }); console.log(`  ✘ e2e set-up: ${e.message}`); }
    if (page) await page.screenshot({ path: path.join(OUT, 'e2e-failure.png') }).catch(() => {});
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (cs) await cs.stop();
    spawnSync('docker', ['-H', host, 'rm', '-f', `${netName}-web`], { stdio: 'ignore' });
    spawnSync('docker', ['-H', host, 'network', 'rm', netName], { stdio: 'ignore' });
    const failed = results.filter((r) => !r.ok).length;
    console.log(`${results.length - failed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  }
})();
