// Listing runs: filters and sorts that map onto indexes, paginated, so `results list` stays fast with many runs.
import { usageError } from '../../core/errors.ts';
import { didYouMean } from '../../core/suggest.ts';
import type { StoreContext } from './context.ts';
import { toRecord } from './runs.ts';
import type { ListOptions, RunFilter, RunRecord } from './types.ts';

/** Sortable fields and their columns. Nulls sort last in either direction. */
export const SORT_FIELDS = {
  created: 'created_at',
  started: 'started_at',
  finished: 'finished_at',
  name: 'name',
  model: 'model',
  gpu: 'gpu',
  recipe: 'recipe_id',
  state: 'state',
  gpus: 'num_gpus',
  'step-time': 'step_time_s',
  'tokens-per-s': 'tokens_per_s',
  mfu: 'mfu',
} as const;

const NOT_NULL: ReadonlySet<string> = new Set(['created_at', 'name', 'state']);

export const DEFAULT_SORT = '-created';
export const MAX_LIMIT = 10_000;

function where(filter: RunFilter): { sql: string; params: Record<string, string> } {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  const exact = { model: 'model', gpu: 'gpu', recipe: 'recipe_id', engine: 'engine' } as const;
  for (const [key, column] of Object.entries(exact)) {
    const value = filter[key as keyof typeof exact];
    if (value !== undefined) {
      clauses.push(`${column} = @${key} COLLATE NOCASE`);
      params[key] = value;
    }
  }
  if (filter.state !== undefined) {
    clauses.push('state = @state');
    params.state = filter.state.toUpperCase();
  }
  if (filter.name !== undefined) {
    clauses.push(`name LIKE @name ESCAPE '\\'`);
    params.name = `%${filter.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export function orderBy(sort: string = DEFAULT_SORT): string {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  const column = SORT_FIELDS[field as keyof typeof SORT_FIELDS];
  if (!column) {
    throw usageError(`unknown sort field '${field}'`, {
      code: 'unknown-sort-field',
      hint: `${didYouMean(field, Object.keys(SORT_FIELDS))} (prefix with - to sort descending)`,
    });
  }
  const dir = descending ? 'DESC' : 'ASC';
  // Runs without the figure go last. SQLite sorts NULL first ascending and last descending, so only an ascending
  // sort on a nullable column needs the extra term (which costs the index: a sort of the matching rows).
  const nullsLast = descending || NOT_NULL.has(column) ? '' : `${column} IS NULL, `;
  return `ORDER BY ${nullsLast}${column} ${dir}, id ${dir}`;
}

/** The listing query; exported so a test can check its plan uses the indexes. */
export function listSql(options: ListOptions = {}): { sql: string; params: Record<string, string> } {
  const { sql, params } = where(options);
  const limit = Math.min(Math.max(0, Math.floor(options.limit ?? 50)), MAX_LIMIT);
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  return { sql: `SELECT * FROM runs ${sql} ${orderBy(options.sort)} LIMIT ${limit} OFFSET ${offset}`, params };
}

export function listRuns(ctx: StoreContext, options: ListOptions = {}): RunRecord[] {
  const { sql, params } = listSql(options);
  return (ctx.db.prepare(sql).all(params) as Record<string, unknown>[]).map(toRecord);
}

export function countRuns(ctx: StoreContext, filter: RunFilter = {}): number {
  const { sql, params } = where(filter);
  return (ctx.db.prepare(`SELECT count(*) AS n FROM runs ${sql}`).get(params) as { n: number }).n;
}

/** Ids that start with `prefix` (at most `max`), for unique-prefix lookup and did-you-mean. */
export function idsWithPrefix(ctx: StoreContext, prefix: string, max = 10): string[] {
  // Range scan on the primary key instead of LIKE, which would not use the index for TEXT ids.
  const rows = ctx.db
    .prepare('SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT ?')
    .all(prefix, `${prefix}\uffff`, max) as { id: string }[];
  return rows.map((r) => r.id);
}

export type IdLookup =
  | { found: string; ambiguous?: never; suggestions?: never }
  | { found?: never; ambiguous: string[]; suggestions?: never }
  | { found?: never; ambiguous?: never; suggestions: string[] };

/**
 * A run id from what a user typed: the exact id, a unique id prefix (case-insensitive, like git), or a unique run
 * name. Otherwise the ids sharing the longest prefix with it, for "did you mean".
 */
export function lookupRunId(ctx: StoreContext, typed: string): IdLookup {
  const query = typed.trim();
  const upper = query.toUpperCase();
  if (ctx.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(query)) return { found: query };
  const byPrefix = upper ? idsWithPrefix(ctx, upper, 10) : [];
  if (byPrefix.length === 1) return { found: byPrefix[0]! };
  if (byPrefix.length > 1) return { ambiguous: byPrefix };
  const byName = ctx.db.prepare('SELECT id FROM runs WHERE name = ? LIMIT 2').all(query) as { id: string }[];
  if (byName.length === 1) return { found: byName[0]!.id };
  if (byName.length > 1) return { ambiguous: byName.map((r) => r.id) };
  for (let k = upper.length - 1; k >= 1; k--) {
    const close = idsWithPrefix(ctx, upper.slice(0, k), 3);
    if (close.length) return { suggestions: close };
  }
  return { suggestions: [] };
}
