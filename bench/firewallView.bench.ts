// The firewall view with 100,000 rules: time to the first rendered rows in the real webview bundle (dist/webview.js,
// in chromium through playwright-core), from the moment the data message is posted (structured clone, validation,
// search index, row list, virtual list, layout and paint included). Target: under 1 s, also counted from the dump's
// text (textToFirstRowsMs: parse, view model and JSON on the extension side, plus the webview's part). Also:
// re-filtering on a keystroke, and a jump to the last rule.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFirewall } from '../src/core/firewall';
import { buildViewData } from '../src/core/firewall/present/viewModel';
import { generateIptablesSave } from './firewall.bench';
import { median, round, type BenchContext } from './util';

const ruleCount = 100_000;
const runs = Number(process.env.DND_BENCH_VIEW_RUNS || 5);

interface PageSample { firstRowsMs: number; renderedMs: number; rowElements: number; rows: number; filterMs: number; jumpMs: number }

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const { ensureVsCodeRuntime } = require('../scripts/lib/vscode-runtime');
  const { launchBrowser } = require('../scripts/lib/vscode-driver');
  const bundle = path.join(ctx.root, 'dist/webview.js');
  const css = path.join(ctx.root, 'media/firewall.css');
  if (!fs.existsSync(bundle)) throw new Error('dist/webview.js is missing: run node esbuild.js');

  const text = generateIptablesSave(ruleCount);
  // each run parses afresh: rules read their fields lazily, so a view model built twice from one ruleset would find
  // the second time's reads done
  const parseTimes: number[] = [];
  const modelTimes: number[] = [];
  let data: ReturnType<typeof buildViewData>['data'] | undefined;
  for (let i = 0; i < 5; i++) {
    const p0 = performance.now();
    const ruleset = parseFirewall(text);
    const t0 = performance.now();
    data = buildViewData(ruleset, { origin: 'file', source: 'generated.iptables-save' }).data;
    modelTimes.push(performance.now() - t0);
    parseTimes.push(t0 - p0);
  }
  const serializeTimes: number[] = [];
  let json = '';
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    json = JSON.stringify(data);
    serializeTimes.push(performance.now() - t0);
  }
  ctx.log(`firewallView: ${data!.rules.count} rules, view model ${round(median(modelTimes), 1)} ms, ${round(json.length / 1e6, 1)} MB of JSON`);

  const browser = await launchBrowser(ensureVsCodeRuntime());
  const samples: PageSample[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.route('**/*', (r: { abort(): unknown }) => r.abort());
      await page.setContent('<!DOCTYPE html><html><head></head><body><div id="app"></div></body></html>');
      // the host side of acquireVsCodeApi(): records what the view posts
      await page.evaluate(() => {
        const w = window as unknown as { acquireVsCodeApi: () => unknown; posted: unknown[] };
        w.posted = [];
        let state: unknown;
        w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.posted.push(m), getState: () => state, setState: (s: unknown) => { state = s; } });
      });
      await page.addStyleTag({ path: css });
      await page.addScriptTag({ path: bundle });
      await page.evaluate((d: string) => { (window as unknown as { benchData: string }).benchData = d; }, json);
      const sample = await page.evaluate(async () => {
        const w = window as unknown as { benchData: string; posted: Array<{ type: string; ms?: number }> };
        const frame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));
        const t0 = performance.now();
        window.postMessage({ type: 'data', json: w.benchData }, '*');
        while (!w.posted.some((m) => m.type === 'rendered')) await new Promise((r) => setTimeout(r, 1));
        const renderedMs = performance.now() - t0;
        await frame();
        const firstRowsMs = performance.now() - t0;
        const rowElements = document.querySelectorAll('.rules .row').length;
        const rendered = { ...(w.posted.find((m) => m.type === 'rendered') as unknown as { rows: number }),
          rules: Number(document.querySelector('.count')?.textContent?.replace(/\D/g, '')) };
        // one keystroke in the filter box: rebuilds the row list over every rule
        const filter = document.querySelector('vscode-textfield.filter') as HTMLElement & { value: string };
        const f0 = performance.now();
        filter.value = '40999';
        filter.dispatchEvent(new Event('input'));
        await frame();
        const filterMs = performance.now() - f0;
        filter.value = '';
        filter.dispatchEvent(new Event('input'));
        // a trace step's jump to the last rule: reveal, scroll, draw
        const app = (window as unknown as { firewallApp: { jumpToRule(i: number): void } }).firewallApp;
        const j0 = performance.now();
        app.jumpToRule(rendered.rules - 1);
        await frame();
        const jumpMs = performance.now() - j0;
        return { firstRowsMs, renderedMs, rowElements, rows: rendered.rows, filterMs, jumpMs };
      });
      samples.push(sample);
      ctx.log(`firewallView run ${i + 1}/${runs}: first rows ${sample.firstRowsMs.toFixed(0)} ms, ${sample.rowElements} row elements for ${sample.rows} rows`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const med = (k: keyof PageSample) => round(median(samples.map((s) => s[k])), 1);
  // from the dump's text to rows on screen: parse, view model, JSON for postMessage (extension host), then the
  // webview's first rows (the message's trip between the two processes is not included)
  const endToEnd = median(parseTimes) + median(modelTimes) + median(serializeTimes) + med('firstRowsMs');
  return {
    rules: data!.rules.count,
    firstRenderedRowsMs: med('firstRowsMs'),
    textToFirstRowsMs: round(endToEnd, 1),
    targetFirstRowsMs: 1000,
    meetsTargetFromText: endToEnd < 1000,
    viewMessageHandledMs: med('renderedMs'),
    rowElementsInDom: med('rowElements'),
    rowsInList: med('rows'),
    filterKeystrokeMs: med('filterMs'),
    jumpToLastRuleMs: med('jumpMs'),
    parseMs: round(median(parseTimes), 1),
    viewModelBuildMs: round(median(modelTimes), 1),
    serializeMs: round(median(serializeTimes), 1),
    messageMB: round(json.length / 1e6, 1),
    runs,
    measuredIn: 'dist/webview.js in headless chromium (playwright-core), data posted as the panel posts it (JSON text)',
  };
}
