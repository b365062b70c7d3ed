import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStore, type SeededStore } from './__tests__/seed-store.ts';
import { startDashboard, type Dashboard } from './server.ts';

let seeded: SeededStore;
let dash: Dashboard;

beforeAll(async () => {
  seeded = seedStore(1200);
  dash = await startDashboard({ storeFile: seeded.file, port: 0, env: {} });
});
afterAll(async () => {
  await dash.close();
  seeded.cleanup();
});

interface Reply { status: number; body: string; headers: Record<string, unknown> }
function call(path: string, init: { method?: string; host?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const host = init.host ?? `127.0.0.1:${dash.port}`;
    // An empty host means no Host header at all (node would otherwise add one).
    const headers = { ...(host ? { host } : {}), ...init.headers };
    const req = request({ host: '127.0.0.1', port: dash.port, path, method: init.method ?? 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
const api = async (path: string) => JSON.parse((await call(path)).body);

describe('dashboard security', () => {
  it('binds loopback and accepts only loopback Host headers with the bound port', async () => {
    expect(dash.host).toBe('127.0.0.1');
    for (const host of [`localhost:${dash.port}`, `127.0.0.1:${dash.port}`, `[::1]:${dash.port}`]) expect((await call('/', { host })).status).toBe(200);
    for (const host of ['evil.example', `evil.example:${dash.port}`, `127.0.0.1:${dash.port + 1}`, `localhost.evil.example:${dash.port}`, '']) {
      // No Host at all is already refused by node's HTTP parser (400); a foreign one by our guard (403).
      expect([host, (await call('/api/runs', { host })).status]).toEqual([host, host ? 403 : 400]);
    }
  });

  it('refuses path traversal in the static route in every encoding', async () => {
    expect((await call('/static/echarts.min.js')).status).toBe(200);
    for (const p of ['/static/..%2f..%2fpackage.json', '/static/..%2F..%2F..%2Fetc%2Fpasswd', '/static/%2e%2e/%2e%2e/package.json',
      '/static/../../package.json', '/static/..%5c..%5cpackage.json', '/static/echarts.min.js%00.png', '/static/%252e%252e%252fpackage.json', '/static/echarts.js', '/static/']) {
      const r = await call(p);
      expect([400, 404]).toContain(r.status);
      expect(r.body).not.toContain('"name": "trainbench"');
    }
  });

  it('changes state only by POST with the per-start token', async () => {
    const path = `/api/runs/${seeded.ids.empty}/name`;
    const body = JSON.stringify({ name: 'renamed' });
    expect((await call(path, { method: 'POST', body })).status).toBe(403);
    expect((await call(path, { method: 'POST', body, headers: { 'x-trainbench-token': 'nope' } })).status).toBe(403);
    expect((await call(path, { method: 'PUT', body, headers: { 'x-trainbench-token': dash.token } })).status).toBe(405);
    expect((await call(path, { method: 'GET' })).status).toBe(404);
    const ok = await call(path, { method: 'POST', body, headers: { 'x-trainbench-token': dash.token, 'content-type': 'application/json' } });
    expect(ok.status).toBe(200);
    expect((await api(`/api/runs/${seeded.ids.empty}`)).name).toBe('renamed');
  });

  it('sends CSP and nosniff headers', async () => {
    const r = await call('/');
    expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    // Inline scripts run only with this response's nonce; no 'unsafe-inline' for scripts.
    const nonce = /'nonce-([\w-]+)'/.exec(String(r.headers['content-security-policy']))?.[1];
    expect(nonce).toBeTruthy();
    expect(r.body.match(/<script(?! nonce=")/g)).toBeNull();
    expect(r.body).toContain(`<script nonce="${nonce}"`);
    expect(String(r.headers['content-security-policy'])).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('dashboard API', () => {
  it('paginates and filters on the server', async () => {
    const page = await api('/api/runs?limit=50&offset=100');
    expect(page.total).toBe(1205);
    expect(page.runs).toHaveLength(50);
    const filtered = await api('/api/runs?model=gpt-tiny&limit=500');
    expect(filtered.total).toBe(602);
    const byName = await api('/api/runs?name=h200&sort=gpus');
    expect(byName.runs.map((r: { numGpus: number }) => r.numGpus)).toEqual([8, 16, 32]);
    expect((await call('/api/runs?limit=100000')).status).toBe(400);
    expect((await call('/api/runs?sort=bogus')).status).toBe(400);
    expect((await call('/api/runs?state=nope')).status).toBe(400);
  });

  it('serves one run, its steps, telemetry and report charts', async () => {
    const id = seeded.ids.h200;
    expect((await api(`/api/runs/${id}`)).name).toBe('h200 8x sft');
    expect((await api(`/api/runs/${id}/steps`)).steps).toHaveLength(80);
    expect((await api(`/api/runs/${id}/telemetry`)).telemetry).toHaveLength(102 + 106);
    expect(await api(`/api/runs/${id}/telemetry?source=vmstat&limit=10&offset=100`)).toMatchObject({ total: 106, offset: 100 });
    expect((await api(`/api/runs/${id}/steps?limit=5&offset=78`)).steps.map((s: { step: number }) => s.step)).toEqual([79, 80]);
    expect((await call(`/api/runs/${id}/steps?limit=-1`)).status).toBe(400);
    const report = await api(`/api/runs/${id}/report`);
    expect(report.charts.map((c: { id: string }) => c.id)).toEqual(['step-time', 'loss', 'gpu-util', 'gpu-power', 'gpu-memory', 'sm-clock', 'cpu', 'baseline', 'scaling']);
    expect((await call('/api/runs/NOPE')).status).toBe(404);
  });

  it('renders pages with empty states', async () => {
    expect((await call(`/runs/${seeded.ids.empty}`)).body).toContain('No training steps were found');
    expect((await call('/?name=zzzz')).body).toContain('No run matches these filters.');
    expect((await call('/compare')).body).toContain('Pick two or more runs');
    expect((await call('/runs/missing')).status).toBe(404);
    expect((await call('/?limit=0')).status).toBe(400);
    const reflected = await call('/?state=%3Cimg%20src=x%3E');
    expect(reflected.status).toBe(400);
    expect(reflected.body).toContain('&lt;IMG SRC=X&gt;');
    expect((await call('/runs/%E0%A4%A')).status).toBe(404);
    // Sorted and filtered on the server; column headers link to the reverse order; names are escaped.
    const sorted = (await call('/?name=h200&sort=-gpus')).body;
    const order = [...sorted.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([seeded.ids.scale32, seeded.ids.scale16, seeded.ids.h200]);
    expect(sorted).toContain('href="/?name=h200&amp;sort=gpus&amp;limit=50&amp;offset=0">GPUs ▼</a>');
    seeded.store.createRun({ name: 'xss <img src=x onerror=alert(1)>' });
    const listed = (await call('/?name=xss')).body;
    expect(listed).toContain('xss &lt;img src=x onerror=alert(1)&gt;');
    expect(listed).not.toContain('<img');
  });
});

describe('dashboard without a store', () => {
  it('explains that no store exists yet instead of creating one', async () => {
    const d = await startDashboard({ storeFile: `${seeded.dir}/none/store.sqlite`, port: 0, env: {} });
    try {
      const r = await new Promise<string>((resolve) => {
        request({ host: '127.0.0.1', port: d.port, path: '/', headers: { host: `localhost:${d.port}` } }, (res) => {
          let b = '';
          res.on('data', (c) => (b += c));
          res.on('end', () => resolve(b));
        }).end();
      });
      expect(r).toContain('No results store at');
    } finally {
      await d.close();
    }
  });
});
