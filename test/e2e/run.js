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

/** Runs a command from the palette by its title. */
async function runCommand(page, title) {
  // keys typed while a webview has focus stay in its iframe: give the workbench the focus first
  await page.locator('.part.statusbar').click({ position: { x: 700, y: 10 } });
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await input.press('Enter');
}

/** Opens a dump file through the command and VS Code's own file dialog. */
async function openDump(page, file) {
  await runCommand(page, 'Docker Network Doctor: Open Firewall Dump…');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  // the file dialog fills in the workspace folder once it has read it, which can overwrite what was typed: type
  // until the dialog shows the file with the path intact
  const picked = page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) });
  for (let attempt = 0; ; attempt++) {
    await input.fill(file);
    const ok = await picked.waitFor({ timeout: 2000 }).then(() => true, () => false);
    if (ok && (await input.inputValue()) === file) break;
    if (attempt === 10) throw new Error(`the file dialog does not take the path (it shows ${await input.inputValue()})`);
  }
  await input.press('Enter');
}

/**
 * The firewall view: consent in the real modal, the engine's rules through the helper, a trace from outside to a
 * published port with its steps linked to the rules; then a dump whose rule comment holds markup renders as text.
 */
async function firewallSteps(page, netName) {
  // the webview's document sits in nested iframes
  const view = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await check('firewall view asks for consent, then shows the engine\'s rules', async () => {
    await runCommand(page, 'Docker Network Doctor: Show Firewall Rules');
    const allow = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Allow on This Engine' });
    await allow.waitFor({ timeout: 30_000 });
    const detail = await page.locator('.monaco-dialog-box').innerText();
    if (!/dnd-test\/busybox:latest/.test(detail) || !/nsenter/.test(detail)) throw new Error(`the consent dialog does not say what runs: ${detail}`);
    await allow.click();
    await view().locator('.rule-row').first().waitFor({ timeout: 60_000 });
    const rows = await view().locator('.row').count();
    await view().locator('vscode-textfield.filter input').fill('18081');
    await view().locator('.rule-row', { hasText: 'DNAT' }).first().waitFor();
    await view().locator('vscode-textfield.filter input').fill('');
    if (rows > 200) throw new Error(`${rows} row elements: the list is not virtual`);
  });
  await check('trace from outside to a published port ends at the container, steps linked to rules', async () => {
    await view().locator('vscode-textfield.port input').fill('18081');
    await view().locator('vscode-button.trace-button').click();
    await view().locator('.verdict.verdict-container').waitFor({ timeout: 20_000 });
    const verdict = await view().locator('.verdict').innerText();
    if (!verdict.includes(`${netName}-fw`)) throw new Error(`verdict names another container: ${verdict}`);
    await view().locator('.step.effect-dnat .step-link').first().click();
    await view().locator('.rule-row.flash', { hasText: 'DNAT' }).waitFor();
  });
  await check('screenshot of the firewall view with a trace', () => page.screenshot({ path: path.join(OUT, 'e2e-firewall-trace.png') }));
  await check('the rules are keyboard navigable: arrows, fold and unfold, Enter follows a jump, End', async () => {
    const rules = view().locator('.rules');
    const active = view().locator('.row.active');
    const expectActive = async (what, test) => {
      for (let i = 0; i < 40; i++) {
        // one read of the list in the webview's frame (a locator would wait for a missing element)
        const row = await rules.evaluate((list) => {
          const a = list.querySelector('.row.active');
          return a && { id: a.id, cls: a.className, expanded: a.getAttribute('aria-expanded'), name: a.querySelector('.name')?.textContent ?? '',
            desc: list.getAttribute('aria-activedescendant') };
        });
        if (row && row.desc === row.id && test(row)) return row;
        await page.waitForTimeout(50);
      }
      throw new Error(`the active row is not ${what}`);
    };
    await rules.focus();
    await rules.press('Home');
    await expectActive('the first table, unfolded', (r) => r.id === 'row-0' && r.cls.includes('table-row') && r.expanded === 'true');
    await rules.press('ArrowLeft');
    await expectActive('the first table, folded', (r) => r.id === 'row-0' && r.expanded === 'false');
    await rules.press('ArrowRight');
    await expectActive('the first table, unfolded again', (r) => r.id === 'row-0' && r.expanded === 'true');
    await rules.press('ArrowDown');
    await expectActive('the table\'s first chain', (r) => r.id === 'row-1' && r.cls.includes('chain-row'));
    // down to the first drawn rule that jumps to a chain; Enter goes to that chain
    const jumpRow = view().locator('.rule-row:has(.target.jump)').first();
    const jumpId = await jumpRow.getAttribute('id');
    const target = await jumpRow.locator('.target.jump').textContent();
    for (let i = 1; i < Number(jumpId.slice(4)); i++) await rules.press('ArrowDown');
    await expectActive(`the rule that jumps to ${target}`, (r) => r.id === jumpId);
    await rules.press('Enter');
    await expectActive(`the chain ${target}`, (r) => r.cls.includes('chain-row') && r.name === target);
    await rules.press('End');
    const last = await expectActive('the last row', (r) => Number(r.id.slice(4)) > 1);
    const [box, list] = [await active.boundingBox(), await rules.boundingBox()];
    if (!box || !list || box.y < list.y || box.y + box.height > list.y + list.height
      + 1) throw new Error(`the last row (${last.id}) is not scrolled into view`);
  });
  await check('a rule comment with markup renders as text (XSS)', async () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'dnd-e2e-fw-'));
    try {
      const file = path.join(dir, 'xss.iptables-save');
      const comment = '<img src=x onerror=window.__dndXss=1><b id=dnd-injected>bold</b>';
      fs.writeFileSync(file, ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]',
        `-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "${comment}" -j ACCEPT`, 'COMMIT', ''].join('\n'));
      await openDump(page, file);
      const row = view().locator('.rule-row', { hasText: '<img src=x onerror=' });
      await row.waitFor({ timeout: 30_000 });
      const text = await row.locator('.text').textContent();
      if (!text.includes(comment)) throw new Error(`the comment is not shown verbatim: ${text}`);
      const injected = await view().locator('img, #dnd-injected').count();
      const ran = await view().locator('body').evaluate(() => window.__dndXss === 1);
      if (injected || ran) throw new Error(`markup from the dump became DOM (${injected} elements, handler ran: ${ran})`);
      await page.screenshot({ path: path.join(OUT, 'e2e-firewall-xss.png') });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Panel revival: a window reload brings the firewall view back with the dump it showed (the panel serializer). */
async function revivalStep(page) {
  const view = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await check('the view comes back after a window reload, with the dump it showed', async () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'dnd-e2e-fw-'));
    try {
      const file = path.join(dir, 'revive.iptables-save');
      fs.writeFileSync(file, ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]',
        '-A INPUT -p tcp -m tcp --dport 2222 -m comment --comment "dnd-revive-marker" -j ACCEPT', 'COMMIT', ''].join('\n'));
      await openDump(page, file);
      await view().locator('.rule-row', { hasText: 'dnd-revive-marker' }).waitFor({ timeout: 30_000 });
      // Reload Window shuts the workbench down properly, so it saves the editors' state (a bare page reload may not)
      await runCommand(page, 'Developer: Reload Window');
      await page.waitForEvent('framenavigated', { timeout: 30_000 }).catch(() => undefined);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // no command runs: VS Code restores the panel and the extension's serializer reloads the file
      await view().locator('.rule-row', { hasText: 'dnd-revive-marker' }).waitFor({ timeout: 60_000 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  await check('a view restored with the engine\'s rules waits for a click: no helper runs on reload', async () => {
    await runCommand(page, 'Docker Network Doctor: Show Firewall Rules');
    // the header names the engine (a dump's names the file)
    await view().locator('.fact .label', { hasText: /^Engine$/ }).waitFor({ timeout: 60_000 });
    const since = Math.floor(Date.now() / 1000);
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('framenavigated', { timeout: 30_000 }).catch(() => undefined);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await view().getByText('Refresh to read the engine\'s firewall rules.').waitFor({ timeout: 60_000 });
    // the engine's own record: no helper container was created since the reload began
    const created = docker(['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1),
      '--filter', 'label=dev.docker-network-doctor.helper', '--filter', 'event=create', '--format', '{{.ID}}']);
    if (created) throw new Error(`the restored view ran the helper without a click: ${created}`);
  });
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
    docker(['run', '-d', '--label', `${TEST_LABEL}=${RUN_ID}`, '--network', netName, '--name', `${netName}-fw`,
      '-p', '18081:80', TEST_IMAGE, 'sleep', '600']);
    cs = await startCodeServer(runtime, { env: { DOCKER_HOST: host }, settings: { 'dockerNetworkDoctor.firewall.helperImage': TEST_IMAGE } });
    browser = await launchBrowser(runtime);
    page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    await guardNetwork(page);
    await page.goto(workbenchUrl(cs, { folder: path.join(ROOT, 'test/fixtures/workspace'), extensionDevelopmentPath: ROOT }));
    await check('workbench loads', () => page.locator('.monaco-workbench').waitFor({ timeout: 60_000 }));
    await check('the Get Started walkthrough opens on the first activation, with its four steps', async () => {
      const walkthrough = page.locator('.gettingStartedContainer', { hasText: 'Get started with Docker Network Doctor' }).first();
      await walkthrough.waitFor({ timeout: 60_000 });
      for (const step of ['Connect to your engine', 'Browse networks and published ports', 'Open a compose file and see its costs',
        'Read the firewall rules and trace a port']) await walkthrough.locator('.getting-started-step', { hasText: step }).first().waitFor();
      await page.locator('.getting-started-media img').first().waitFor({ timeout: 15_000 });
      await page.screenshot({ path: path.join(OUT, 'e2e-walkthrough.png') });
      await runCommand(page, 'View: Close Editor');
      await walkthrough.waitFor({ state: 'detached', timeout: 15_000 });
    });
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
    await check('screenshot of the Networks view', async () => {
      await page.screenshot({ path: path.join(OUT, 'e2e-networks-view.png') });
      // the side bar alone, for the walkthrough's first step (media/screenshots/)
      const bar = await page.locator('.part.sidebar').boundingBox();
      if (!bar) throw new Error('no side bar to photograph');
      await page.screenshot({ path: path.join(OUT, 'e2e-networks-sidebar.png'),
        clip: { x: 0, y: 0, width: bar.x + bar.width, height: Math.min(bar.y + bar.height, 600) } });
    });
    await check('compose file shows the cost lens and the port hover', async () => {
      // before any webview exists (one would keep the keyboard); the side bar is hidden for the shot, then restored
      await page.keyboard.press('Control+B');
      const quickOpen = page.locator('.quick-input-widget input');
      for (let i = 0; i < 5 && !(await quickOpen.isVisible()); i++) {
        await page.keyboard.press('Control+P');
        await quickOpen.waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
      }
      await quickOpen.fill('compose.yaml');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'compose.yaml' }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      await page.locator('.codelens-decoration', { hasText: '10,001 ports → 20,002 docker-proxy' }).first().waitFor({ timeout: 30_000 });
      // cursor into the port entry, then the Show Hover keybinding (a mouse hover depends on pointer timing)
      await page.locator('.view-line span span', { hasText: '40000-49999:40000-49999/udp' }).first().click();
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      await page.locator('.monaco-hover', { hasText: 'one docker-proxy per host port and address family' }).first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(400); // let the hover fade in before the screenshot
      await page.screenshot({ path: path.join(OUT, 'e2e-compose-lens-hover.png') });
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+B');
    });
    await firewallSteps(page, netName);
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
      const wide = await page.locator('.part.sidebar').boundingBox();
      if (wide) await page.screenshot({ path: path.join(OUT, 'e2e-tree-expanded-sidebar.png'), clip: { x: 0, y: 0, width: wide.x + wide.width, height: 560 } });
    });
    await check('Published ports view says who can reach a port once the host\'s rules are read', async () => {
      // a host firewall of INPUT rules (policy DROP) in the engine's own network namespace, as ufw would set it; with
      // an engine given by DOCKER_HOST (no namespace known) the row only says who can reach it
      const netns = process.env.DND_TEST_ENGINE_NETNS;
      const ipt = (tool, args) => spawnSync('nsenter', [`--net=${netns}`, '--', tool, ...args], { encoding: 'utf8' });
      const input = [['-i', 'lo', '-j', 'ACCEPT'], ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT']];
      try {
        if (netns) for (const tool of ['iptables', 'ip6tables']) { for (const r of input) ipt(tool, ['-A', 'INPUT', ...r]); ipt(tool,
          ['-P', 'INPUT', 'DROP']); }
        await runCommand(page, 'Docker Network Doctor: Refresh Firewall Rules');
        const header = page.locator('.pane-header', { hasText: 'Published ports' });
        if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
        const row = page.locator('.monaco-list-row', { hasText: '18081/tcp' }).filter({ hasText: netns ? 'an INPUT policy of DROP bypassed' : 'outside:' });
        await row.first().waitFor({ timeout: 60_000 });
        const bar = await page.locator('.part.sidebar').boundingBox();
        await page.screenshot({ path: path.join(OUT, 'e2e-published-ports-exposure.png') });
        if (bar) await page.screenshot({ path: path.join(OUT, 'e2e-published-ports-exposure-sidebar.png'),
          clip: { x: 0, y: 0, width: bar.x + bar.width, height: bar.y + bar.height } });
      } finally {
        if (netns) for (const tool of ['iptables', 'ip6tables']) { ipt(tool, ['-P', 'INPUT', 'ACCEPT']); for (const r of input) ipt(tool,
          ['-D', 'INPUT', ...r]); }
      }
    });
    await check('the reachability matrix grids the containers, and a cell opens its trace (mouse and keyboard)', async () => {
      await runCommand(page, 'Docker Network Doctor: Show Reachability Matrix');
      const matrix = page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
      await matrix.locator('.row .cell').first().waitFor({ timeout: 60_000 });
      const summary = await matrix.locator('.summary').innerText();
      if (!/\d+ containers, \d+ pairs to 80\/tcp/.test(summary)) throw new Error(`the summary says: ${summary}`);
      await matrix.locator('.row .cell:not(.reach--)').first().click();
      await matrix.locator('.detail h3').waitFor({ timeout: 20_000 });
      if ((await matrix.locator('.detail .steps li').count()) === 0) throw new Error('the opened cell shows no trace steps');
      const first = await matrix.locator('.detail h3').innerText();
      // the keyboard: the cell below (past a container's own), opened with Enter; with two containers there is none
      await matrix.locator('.grid').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      if (Number(/^(\d+) containers/.exec(summary)[1]) > 2) await matrix.locator('.detail h3', { hasNotText: first }).waitFor({ timeout: 20_000 });
      await page.screenshot({ path: path.join(OUT, 'e2e-reachability-matrix.png') });
    });
    await revivalStep(page);
    // last: `npm run package` rebuilds dist/ for production. This is the demo's path (README: `npm run demo`), which
    // no other test takes: vsce refuses a README whose relative links it cannot rewrite, among others.
    await check('the extension packages into a .vsix that VS Code installs (the demo\'s path)', () => {
      const vsix = path.join(ROOT, 'dist/docker-network-doctor.vsix');
      fs.rmSync(vsix, { force: true });
      const pack = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, encoding: 'utf8' });
      if (pack.status !== 0) {
        const said = pack.stdout + pack.stderr;
        // vsce says why on an ERROR line: put it first (check() prints a failure's first line)
        throw new Error(`npm run package failed (${pack.status ?? pack.signal}): ${/ERROR.*/.exec(said)?.[0] ?? ''}\n${said.slice(-2000)}`);
      }
      const installed = cs.installExtension(vsix);
      if (installed.status !== 0 || !/successfully installed/i.test(installed.stdout + installed.stderr)) {
        throw new Error(`installing the .vsix failed (${installed.status}):\n${(installed.stdout + installed.stderr).slice(-2000)}`);
      }
    });
    await check('the installed .vsix runs in Production mode, without the test seam', async () => {
      // a page of its own: the installed extension next to an empty one under development that runs installedProbe/run.js
      const probeDir = path.join(__dirname, 'installedProbe');
      const probePage = await browser.newPage();
      try {
        await guardNetwork(probePage);
        await probePage.exposeFunction('codeAutomationExit', () => undefined);
        const reported = /DND_INSTALLED_EXPORTS (\{.*\})/;
        const message = probePage.waitForEvent('console', { predicate: (m) => reported.test(m.text()), timeout: 60_000 });
        await probePage.goto(workbenchUrl(cs, { folder: path.join(ROOT, 'test/fixtures/workspace'), extensionDevelopmentPath: probeDir,
          extensionTestsPath: path.join(probeDir, 'run.js') }));
        const said = JSON.parse(reported.exec((await message).text())[1]);
        if (said.path.startsWith(ROOT)) throw new Error(`the extension ran from the sources (${said.path}), not from the .vsix`);
        if (said.keys.length) throw new Error(`the installed extension exports ${said.keys.join(', ')}`);
      } finally {
        await probePage.close().catch(() => {});
      }
    });
    await check('the npm package holds the CLI, and the built CLI checks a compose file (README: npx docker-network-doctor)', () => {
      const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
      const files = pack.status === 0 ? JSON.parse(pack.stdout)[0].files.map((f) => f.path) : [];
      const bin = require(path.join(ROOT, 'package.json')).bin['docker-network-doctor'].replace(/^\.\//, '');
      for (const f of [bin, 'package.json', 'README.md']) if (!files.includes(f)) throw new Error(`npm pack leaves out ${f} (has: ${files.join(', ')})`);
      const cli = spawnSync(process.execPath, [path.join(ROOT, bin), 'check', 'compose.yaml'],
        { cwd: path.join(ROOT, 'test/fixtures/workspace'), encoding: 'utf8' });
      if (cli.status !== 0 || !/turn publishes 10,001 host ports/.test(cli.stdout)) throw new Error(`the CLI said (${cli.status}): ${cli.stdout}${cli.stderr}`);
    });
  } catch (e) {
    if (!results.some((r) => !r.ok)) { results.push({ name: 'e2e set-up', ok: false }); console.log(`  ✘ e2e set-up: ${e.message}`); }
    if (page) await page.screenshot({ path: path.join(OUT, 'e2e-failure.png') }).catch(() => {});
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (cs) await cs.stop();
    spawnSync('docker', ['-H', host, 'rm', '-f', `${netName}-web`, `${netName}-fw`], { stdio: 'ignore' });
    spawnSync('docker', ['-H', host, 'network', 'rm', netName], { stdio: 'ignore' });
    const failed = results.filter((r) => !r.ok).length;
    console.log(`${results.length - failed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  }
})();
