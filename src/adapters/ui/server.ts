// `trainbench ui`: a node:http server over the results store. Pages render on the server (pagination and filters
// are SQL queries); charts are echarts specs from the same builder as the HTML report.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import type { AddressInfo } from 'node:net';
import { TrainbenchError } from '../../core/errors.ts';
import { escapeHtml } from '../../core/report/index.ts';
import { handleApi, listOptions } from './api.ts';
import { comparePage } from './pages/compare-page.ts';
import { layout } from './pages/layout.ts';
import { runPage } from './pages/run-page.ts';
import { runsPage, type RunsQuery } from './pages/runs-page.ts';
import { publishedFigures, runReportInput } from './run-report.ts';
import { SECURITY_HEADERS, contentSecurityPolicy, hostAllowed, newToken, safeStaticPath, tokenMatches, withNonce } from './security.ts';
import { StoreAccess } from './store-access.ts';

export interface DashboardOptions {
  storeFile: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra Host names to accept (the machine's name when bound to 0.0.0.0 for a tunnel or a trusted network). */
  allowHosts?: readonly string[];
}

export interface Dashboard {
  url: string;
  port: number;
  host: string;
  /** The per-start token POST requests must send in `x-trainbench-token`. */
  token: string;
  close(): Promise<void>;
}

const ECHARTS = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
const STATIC_FILES = new Set([basename(ECHARTS)]);

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, head = false, csp?: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...(csp ? { 'content-security-policy': csp } : {}), 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}
/** A URL path segment decoded, or null when its %-escapes are malformed (a 404, not a 500). */
const decode = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
};
const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

function readBody(req: IncomingMessage, max = 4096): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const token = newToken();
  const access = new StoreAccess(options.storeFile, options.env ?? process.env);
  let port = 0;
  const echarts = readFileSync(ECHARTS);
  const html = (res: ServerResponse, status: number, body: string, head: boolean) => {
    const nonce = newToken();
    send(res, status, 'text/html; charset=utf-8', withNonce(body, nonce), head, contentSecurityPolicy(nonce));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host, port, host, options.allowHosts)) return json(res, 403, { error: 'Host header not allowed (DNS-rebinding guard): use http://127.0.0.1:' + port });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const head = req.method === 'HEAD';
    if (req.method === 'POST') {
      const m = /^\/api\/runs\/([^/]+)\/name$/.exec(path);
      if (!m) return json(res, 404, { error: `no POST route ${path}` });
      if (!tokenMatches(req.headers['x-trainbench-token'] as string | undefined, token)) return json(res, 403, { error: 'missing or wrong x-trainbench-token' });
      const store = access.get();
      const id = decode(m[1] ?? '');
      if (id === null || !store || !store.getRun(id)) return json(res, 404, { error: `no run '${id}'` });
      const body = JSON.parse(await readBody(req)) as { name?: unknown };
      if (typeof body.name !== 'string' || body.name.trim() === '' || body.name.length > 200) return json(res, 400, { error: 'name must be 1..200 characters' });
      return json(res, 200, store.updateRun(id, { name: body.name.trim() }));
    }
    if (req.method !== 'GET' && !head) return json(res, 405, { error: `method ${req.method} not allowed` });
    if (path.startsWith('/static/')) {
      const rest = path.slice('/static/'.length);
      const file = safeStaticPath(dirname(ECHARTS), rest);
      if (!file || !STATIC_FILES.has(basename(file)) || dirname(file) !== dirname(ECHARTS)) return json(res, 404, { error: 'not found' });
      return send(res, 200, 'text/javascript; charset=utf-8', echarts, head);
    }
    if (path.startsWith('/api/')) {
      const r = await handleApi(access, path, url.searchParams);
      return json(res, r.status, r.body);
    }
    const store = access.get();
    if (path === '/') {
      const opts = listOptions(url.searchParams);
      if (typeof opts === 'string') return html(res, 400, layout('Runs', `<h1>Runs</h1><p class="empty">${escapeHtml(opts)}</p><p><a href="/">show all runs</a></p>`, token), head);
      const filters = Object.fromEntries(['model', 'gpu', 'recipe', 'state', 'name'].flatMap((k) => (url.searchParams.get(k) ? [[k, url.searchParams.get(k)]] : [])));
      const q: RunsQuery = { ...filters, sort: opts.sort ?? '-created', limit: opts.limit ?? 50, offset: opts.offset ?? 0 };
      if (!store) return html(res, 200, runsPage([], 0, q, token, `No results store at ${access.file} yet. Run \`trainbench run\` or \`trainbench results import\` first, or pass --home.`), head);
      const { limit: _l, offset: _o, sort: _s, ...filter } = opts;
      return html(res, 200, runsPage(store.listRuns(opts), store.countRuns(filter), q, token, null), head);
    }
    const run = /^\/runs\/([^/]+)$/.exec(path);
    if (run) {
      const id = decode(run[1] ?? '');
      const record = id === null ? undefined : store?.getRun(id);
      if (!store || !record) return html(res, 404, layout('Not found', `<h1>No such run</h1><p class="empty">No run '${escapeHtml(id ?? '')}' in the results store.</p>`, token), head);
      return html(res, 200, runPage(record.id, record.state, runReportInput(store, record, await publishedFigures(record.recipeId)), token), head);
    }
    if (path === '/compare') {
      const ids = url.searchParams.getAll('ids').flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean).slice(0, 12);
      const found = ids.flatMap((id) => {
        const r = store?.getRun(id);
        return r && store ? [{ run: r, steps: runReportInput(store, r).steps }] : [];
      });
      return html(res, 200, comparePage(found, ids.filter((id) => !found.some((f) => f.run.id === id)), token), head);
    }
    return html(res, 404, layout('Not found', '<h1>Not found</h1><p class="empty">No such page. <a href="/">Back to the runs</a>.</p>', token), head);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof TrainbenchError ? (error.kind === 'usage' ? 400 : 500) : 500;
      if (!res.headersSent) json(res, status, { error: error instanceof Error ? error.message : String(error) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8686, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown === '0.0.0.0' || shown === '[::]' ? '127.0.0.1' : shown}:${port}/`,
    port,
    host,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          access.close();
          resolve();
        });
      }),
  };
}
