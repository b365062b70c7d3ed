// JSON API under /api: runs (filter/sort/limit/offset), one run, its steps, telemetry and report charts.
import { buildCharts, renderSummaryTable } from '../../core/report/index.ts';
import { TrainbenchError } from '../../core/errors.ts';
import { RUN_STATES, type ListOptions, type RunState } from '../store/index.ts';
import { LIVE_STATES } from './pages/run-page.ts';
import { publishedFigures, runReportInput } from './run-report.ts';
import type { StoreAccess } from './store-access.ts';

export interface ApiResponse {
  status: number;
  body: unknown;
}

export const MAX_PAGE = 500;

const bad = (message: string): ApiResponse => ({ status: 400, body: { error: message } });

/** Query parameters -> store list options, validated (a bad number or state is a 400, not a crash). */
export function listOptions(params: URLSearchParams): ListOptions | string {
  const opts: ListOptions = {};
  for (const key of ['model', 'gpu', 'recipe', 'engine', 'name'] as const) {
    const v = params.get(key)?.trim();
    if (v) opts[key] = v;
  }
  const state = params.get('state')?.trim().toUpperCase();
  if (state) {
    if (!(RUN_STATES as readonly string[]).includes(state)) return `unknown state '${state}' (one of ${RUN_STATES.join(', ')})`;
    opts.state = state as RunState;
  }
  const limit = Number(params.get('limit') ?? 50);
  const offset = Number(params.get('offset') ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) return `limit must be a whole number 1..${MAX_PAGE}`;
  if (!Number.isInteger(offset) || offset < 0) return 'offset must be a whole number >= 0';
  opts.limit = limit;
  opts.offset = offset;
  opts.sort = params.get('sort') || '-created';
  return opts;
}

export async function handleApi(access: StoreAccess, path: string, params: URLSearchParams): Promise<ApiResponse> {
  const store = access.get();
  if (path === '/api/runs') {
    const opts = listOptions(params);
    if (typeof opts === 'string') return bad(opts);
    if (!store) return { status: 200, body: { total: 0, limit: opts.limit, offset: opts.offset, runs: [], note: `no results store at ${access.file} yet` } };
    try {
      const { limit, offset, sort, ...filter } = opts;
      const runs = store.listRuns(opts).map(({ spec: _s, result: _r, diagnosis: _d, ...rest }) => rest);
      return { status: 200, body: { total: store.countRuns(filter), limit, offset, sort, runs } };
    } catch (error) {
      if (error instanceof TrainbenchError && error.kind === 'usage') return bad(error.message);
      throw error;
    }
  }
  const m = /^\/api\/runs\/([^/]+)(?:\/(steps|telemetry|report))?$/.exec(path);
  if (!m) return { status: 404, body: { error: `no API route ${path}` } };
  let id: string;
  try {
    id = decodeURIComponent(m[1] ?? '');
  } catch {
    return bad('malformed run id');
  }
  const run = store?.getRun(id);
  if (!store || !run) return { status: 404, body: { error: `no run '${id}' in the results store` } };
  // Steps and telemetry can be long (a sample a second per GPU): optional limit/offset pages over them.
  const page = <T>(rows: T[]) => {
    const limit = Number(params.get('limit') ?? rows.length);
    const offset = Number(params.get('offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(offset) || offset < 0) return null;
    return { total: rows.length, offset, rows: rows.slice(offset, offset + limit) };
  };
  switch (m[2]) {
    case 'steps': {
      const p = page(store.getSteps(id));
      return p ? { status: 200, body: { id, total: p.total, offset: p.offset, steps: p.rows } } : bad('limit and offset must be whole numbers >= 0');
    }
    case 'telemetry': {
      const p = page(store.getTelemetry(id, params.get('source') ?? undefined));
      return p ? { status: 200, body: { id, total: p.total, offset: p.offset, telemetry: p.rows } } : bad('limit and offset must be whole numbers >= 0');
    }
    case 'report': {
      const input = runReportInput(store, run, await publishedFigures(run.recipeId));
      return { status: 200, body: { id, state: run.state, live: LIVE_STATES.has(run.state), summaryHtml: renderSummaryTable(input.summary), charts: buildCharts(input) } };
    }
    default:
      return { status: 200, body: run };
  }
}
