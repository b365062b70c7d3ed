// Issue "See it", done-when 1, for real: a run made by `trainbench run` (2 PyTorch ranks of the reference workload on
// the local executor) shows in the dashboard while it runs — steps and vmstat lanes arriving through the store — and
// after it ends, in headless Chromium, without reloading the page.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/__tests__/run-cli.ts';
import { startDashboard, type Dashboard } from './server.ts';

const CHROMIUM = '/usr/bin/chromium';
const home = mkdtempSync(join(tmpdir(), 'tb-live-ui-'));
const env = { ...process.env, TRAINBENCH_HOME: home };
const STEPS = 40;
const artefacts = fileURLToPath(new URL('../../../test-results/', import.meta.url));
let dash: Dashboard | undefined;
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  await dash?.close();
  rmSync(home, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Report { state: string; live: boolean; charts: { id: string; option: { series: { data: unknown[] }[] } | null }[] }

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const points = (r: Report, chart: string): number[] => r.charts.find((c) => c.id === chart)?.option?.series.map((s) => s.data.length) ?? [];

// In the page: every chart's series point counts and the live note, read back from echarts (a function, not a
// string: the dashboard's CSP forbids eval).
function pageState(): { points: Record<string, number[]>; note: string } {
  const g = globalThis as unknown as {
    echarts: { getInstanceByDom(el: unknown): { getOption(): { series: { data: unknown[] }[] } } | undefined };
    document: { querySelectorAll(s: string): { id: string }[]; getElementById(id: string): { textContent: string } | null };
  };
  const out: Record<string, number[]> = {};
  for (const el of Array.from(g.document.querySelectorAll('.chart'))) {
    const chart = g.echarts.getInstanceByDom(el);
    if (chart) out[el.id.replace(/^chart-/, '')] = chart.getOption().series.map((s) => s.data.length);
  }
  return { points: out, note: g.document.getElementById('live')?.textContent ?? '' };
}

describe.skipIf(!existsSync(CHROMIUM) || !existsSync('/usr/bin/python3'))('a trainbench run in the dashboard', () => {
  it('draws its steps and vmstat lanes while it runs and after it ends', async () => {
    const running = runCli(['run', 'workload-mini-cpu', '--executor', 'local', '--steps', String(STEPS), '--json'], { env });
    const storeFile = join(home, 'store.sqlite');
    await until('the results store', async () => (existsSync(storeFile) ? true : undefined), 120_000);
    dash = await startDashboard({ storeFile, port: 0, env: {} });
    const api = async <T>(path: string) => (await (await fetch(new URL(path, dash!.url))).json()) as T;
    const id = await until('the run in the store', async () => (await api<{ runs: { id: string }[] }>('api/runs')).runs[0]?.id, 120_000);

    // While the job runs: settled steps and telemetry are already in the store, the report says live.
    // The moment wanted: some steps stored, not all of them (at the very end the final parse stores the last steps a
    // moment before the run is marked COMPLETED, so "RUNNING" alone does not make a moment live).
    const live = await until('live steps', async () => {
      const r = await api<Report>(`api/runs/${id}/report`);
      if (r.state !== 'RUNNING') return r; // ended before a live moment was seen: the expectations below say so
      const n = points(r, 'step-time')[0] ?? 0;
      return n >= 3 && n < STEPS && points(r, 'cpu').length > 0 ? r : undefined;
    }, 180_000);
    expect(live.state).toBe('RUNNING');
    expect(live.live).toBe(true);
    expect(points(live, 'step-time')[0]).toBeLessThan(STEPS);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${dash.url}runs/${id}`);
    await page.waitForSelector('body[data-charts-ready]');
    const first = await page.evaluate(pageState);
    expect(first.note).toContain('RUNNING');
    expect(first.points['step-time']![0]).toBeGreaterThanOrEqual(3);
    expect(first.points['step-time']![0]).toBeLessThan(STEPS);
    expect(first.points.cpu!.length).toBeGreaterThan(0);
    mkdirSync(artefacts, { recursive: true });
    await page.screenshot({ path: join(artefacts, 'dashboard-live-run.png'), fullPage: true });

    const r = await running;
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { steps: number }).steps).toBe(STEPS);
    // The page polls every 2 s while live: it reaches the finished run by itself.
    await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } | null } })
      .document.getElementById('live')?.textContent.includes('COMPLETED') === true, undefined, { timeout: 30_000 });
    const last = await page.evaluate(pageState);
    expect(last.points['step-time']).toEqual([STEPS]);
    expect(last.points.cpu![0]).toBe(STEPS);
    expect(errors).toEqual([]);
  });
});
