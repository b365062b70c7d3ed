// The runs list: filters, sortable columns, server-side pagination (thousands of runs stay one query per page).
import { escapeHtml } from '../../../core/report/index.ts';
import type { RunRecord } from '../../store/index.ts';
import { fmtNum, fmtPct, layout } from './layout.ts';

export interface RunsQuery {
  model?: string;
  gpu?: string;
  recipe?: string;
  state?: string;
  name?: string;
  sort: string;
  limit: number;
  offset: number;
}

const FILTERS = ['name', 'model', 'gpu', 'recipe', 'state'] as const;
const COLUMNS: [string, string | null][] = [
  ['', null], ['Name', 'name'], ['State', 'state'], ['Model', 'model'], ['GPU', 'gpu'], ['GPUs', 'gpus'], ['Recipe', 'recipe'],
  ['Engine', null], ['Step time (s)', 'step-time'], ['Tokens/s', 'tokens-per-s'], ['MFU', 'mfu'], ['Created', 'created'],
];

export function queryString(q: RunsQuery, patch: Partial<RunsQuery> = {}): string {
  const all = { ...q, ...patch };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== '') params.set(k, String(v));
  return `?${params.toString()}`;
}

function row(r: RunRecord): string {
  const cells = [r.state, r.model, r.gpu, r.numGpus === null ? '' : String(r.numGpus), r.recipeId, r.engine,
    fmtNum(r.stepTimeS), r.tokensPerS === null ? '' : String(Math.round(r.tokensPerS)), fmtPct(r.mfu), r.createdAt.slice(0, 19).replace('T', ' ')];
  return `<tr data-run="${escapeHtml(r.id)}"><td><input type="checkbox" name="ids" value="${escapeHtml(r.id)}" form="compare-form"></td>` +
    `<td><a href="/runs/${encodeURIComponent(r.id)}">${escapeHtml(r.name)}</a></td>` +
    cells.map((c, i) => `<td${i === 0 ? ` class="state-${escapeHtml(r.state)}"` : ''}>${escapeHtml(c ?? '')}</td>`).join('') + '</tr>';
}

export function runsPage(runs: RunRecord[], total: number, q: RunsQuery, token: string, storeNote: string | null): string {
  const inputs = FILTERS.map((f) => `<label>${f} <input name="${f}" value="${escapeHtml(q[f] ?? '')}" size="12"></label>`).join('');
  const form = `<form class="filters" method="get" action="/">${inputs}<input type="hidden" name="sort" value="${escapeHtml(q.sort)}"><button type="submit">Filter</button> <a href="/">clear</a></form>`;
  const head = COLUMNS.map(([label, key]) => {
    if (!key) return `<th>${label}</th>`;
    const next = q.sort === `-${key}` ? key : `-${key}`;
    const mark = q.sort === key ? ' ▲' : q.sort === `-${key}` ? ' ▼' : '';
    return `<th><a href="/${escapeHtml(queryString(q, { sort: next, offset: 0 }))}">${label}${mark}</a></th>`;
  }).join('');
  const from = total === 0 ? 0 : q.offset + 1;
  const to = Math.min(q.offset + q.limit, total);
  const prev = q.offset > 0 ? `<a rel="prev" href="/${escapeHtml(queryString(q, { offset: Math.max(0, q.offset - q.limit) }))}">← newer</a>` : '<span></span>';
  const next = to < total ? `<a rel="next" href="/${escapeHtml(queryString(q, { offset: q.offset + q.limit }))}">older →</a>` : '<span></span>';
  const filtered = FILTERS.some((f) => q[f]);
  const empty = storeNote ?? (filtered ? 'No run matches these filters.' : 'No runs stored yet. Runs appear here after `trainbench run`, `trainbench launch` or `trainbench results import`.');
  const table = runs.length === 0
    ? `<p class="empty" id="runs-empty">${escapeHtml(empty)}</p>`
    : `<form id="compare-form" method="get" action="/compare"><button type="submit">Compare selected</button></form>
<table class="runs"><thead><tr>${head}</tr></thead><tbody>${runs.map(row).join('\n')}</tbody></table>`;
  const body = `<h1>Runs</h1>${form}<p class="pager" id="pager">Showing ${from}–${to} of ${total}. ${prev} ${next}</p>${table}`;
  return layout('Runs', body, token);
}
