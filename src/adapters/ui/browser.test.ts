// Headless Chromium (Debian's, never downloaded) against a live dashboard and a written HTML report: the charts
// render with the right number of points, filters work, live runs update; screenshots land in test-results/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStore, type SeededStore } from './__tests__/seed-store.ts';
import { startDashboard, type Dashboard } from './server.ts';
import { writeReport } from './write-report.ts';

// Debian's chromium (scripts/setup.sh installs it for the tests); without it these tests are skipped, loudly.
const CHROMIUM = '/usr/bin/chromium';
const noBrowser = !existsSync(CHROMIUM);
if (noBrowser) console.error(`\n*** SKIPPING the browser tests: ${CHROMIUM} is missing (apt-get install chromium) ***\n`);
const artefacts = fileURLToPath(new URL('../../../test-results/', import.meta.url));
let seeded: SeededStore;
let dash: Dashboard;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  if (noBrowser) return;
  mkdirSync(artefacts, { recursive: true });
  seeded = seedStore(120);
  dash = await startDashboard({ storeFile: seeded.file, port: 0, env: {} });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await dash?.close();
  seeded?.cleanup();
});

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

/** Every drawn chart's series point counts, read back from echarts itself. */
async function chartPoints(page: Page): Promise<Record<string, number[]>> {
  await page.waitForSelector('body[data-charts-ready]');
  // A string, evaluated in the page: this project's TypeScript has no DOM types.
  return page.evaluate(`(() => {
    const out = {};
    document.querySelectorAll('.chart').forEach((el) => {
      const chart = echarts.getInstanceByDom(el);
      if (chart) out[el.id.replace(/^chart-/, '')] = chart.getOption().series.map((s) => s.data.length);
    });
    return out;
  })()`);
}

describe.skipIf(noBrowser)('dashboard in a browser', () => {
  it('lists runs a page at a time and filters them', async () => {
    const page = await newPage();
    await page.goto(dash.url);
    expect(await page.locator('table.runs tbody tr').count()).toBe(50);
    expect(await page.textContent('#pager')).toContain('Showing 1–50 of 125');
    await page.fill('input[name=name]', 'h200');
    await Promise.all([page.waitForURL(/name=h200/), page.click('form.filters button[type=submit]')]);
    expect(await page.locator('table.runs tbody tr').count()).toBe(3);
    await page.screenshot({ path: join(artefacts, 'dashboard-runs.png'), fullPage: true });
    await page.click('a[rel=next]').catch(() => undefined); // no next page for 3 runs: the link must not exist
    expect(await page.locator('a[rel=next]').count()).toBe(0);
    await page.close();
  });

  it('draws one run with telemetry lanes per step and the scaling of its recipe', async () => {
    const page = await newPage();
    await page.goto(`${dash.url}runs/${seeded.ids.h200}`);
    // 80 steps on every lane (dmon's 4 missing seconds are gaps, not dropped points); 31 steps power-capped.
    const points = await chartPoints(page);
    expect(points).toEqual({
      'step-time': [80], loss: [80], 'gpu-util': [80], 'gpu-power': [80, 31], 'gpu-memory': [80], 'sm-clock': [80], cpu: [80, 80, 80], baseline: [3, 3], scaling: [3, 3, 3, 3],
    });
    // Against the seed's published 8x H100 figures for this recipe: step time, tokens/s, MFU as % of baseline.
    expect(await page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-baseline')).getOption().series[0].data")).toEqual([78, 100.7, 97.6]);
    await page.screenshot({ path: join(artefacts, 'dashboard-run.png'), fullPage: true });
    await page.close();
  });

  it('updates a live run as steps arrive', async () => {
    const page = await newPage();
    await page.goto(`${dash.url}runs/${seeded.ids.running}`);
    expect((await chartPoints(page))['step-time']).toEqual([5]);
    const t0 = Date.parse('2026-11-26T04:53:30Z') / 1000;
    seeded.store.appendSteps(seeded.ids.running, Array.from({ length: 7 }, (_, i) => ({ step: 6 + i, timeS: 1, loss: 9, timestamp: String(t0 + 6 + i) })));
    // A function, not a string: the dashboard's CSP forbids eval, and playwright evals strings in waitForFunction.
    await page.waitForFunction(() => {
      const g = globalThis as unknown as { echarts: { getInstanceByDom(el: unknown): { getOption(): { series: { data: unknown[] }[] } } | undefined }; document: { getElementById(id: string): unknown } };
      return g.echarts.getInstanceByDom(g.document.getElementById('chart-step-time'))?.getOption().series[0]?.data.length === 12;
    }, undefined, { timeout: 15_000 });
    await page.close();
  });

  it('renames a run through the token-guarded POST', async () => {
    const page = await newPage();
    await page.goto(`${dash.url}runs/${seeded.ids.scale32}`);
    page.once('dialog', (d) => void d.accept('h200 32x sft (renamed)'));
    await page.click('#rename');
    await page.waitForFunction(() => (globalThis as unknown as { document: { title: string } }).document.title.startsWith('h200 32x sft (renamed)'));
    expect(seeded.store.getRun(seeded.ids.scale32)?.name).toBe('h200 32x sft (renamed)');
    await page.close();
  });

  it('compares runs side by side', async () => {
    const page = await newPage();
    const { h200, scale16, scale32 } = seeded.ids;
    await page.goto(`${dash.url}compare?ids=${h200},${scale16}&ids=${scale32}`);
    expect(await chartPoints(page)).toEqual({ 'compare-step-time': [80, 40, 20], 'compare-loss': [80, 40, 20], 'compare-throughput': [3, 3] });
    expect(await page.locator('table.summary thead th').count()).toBe(4);
    await page.screenshot({ path: join(artefacts, 'dashboard-compare.png'), fullPage: true });
    await page.close();
  });
});

describe.skipIf(noBrowser)('HTML report in a browser', () => {
  it('opens from file:// with no network and draws every chart', async () => {
    const out = join(seeded.dir, 'report.html');
    await writeReport(seeded.ids.h200, out, { storePath: seeded.file, env: {} });
    const page = await newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${out}`);
    const points = await chartPoints(page);
    expect(points).toEqual({
      'step-time': [80], loss: [80], 'gpu-util': [80], 'gpu-power': [80, 31], 'gpu-memory': [80], 'sm-clock': [80], cpu: [80, 80, 80], baseline: [3, 3], scaling: [3, 3, 3, 3],
    });
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await page.screenshot({ path: join(artefacts, 'report.png'), fullPage: true });
    await page.close();
    expect(errors).toEqual([]);
  });
});
