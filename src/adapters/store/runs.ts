// Run records: create, update with checked state transitions, attach a result, read back.
import { TrainbenchError, inputError } from '../../core/errors.ts';
import type { StoreContext } from './context.ts';
import { jsonColumn, parseJson, textColumn, unknownRun } from './context.ts';
import { newRunId } from './ids.ts';
import { summariseResult } from './summary.ts';
import { RUN_STATES } from './types.ts';
import type { NewRun, ResultSummary, RunPatch, RunRecord, RunState } from './types.ts';

/** Scalar fields and their columns; JSON fields (spec, diagnosis, result) are handled apart. */
const COLUMNS = {
  name: 'name',
  state: 'state',
  recipeId: 'recipe_id',
  engine: 'engine',
  executor: 'executor',
  jobId: 'job_id',
  reason: 'reason',
  model: 'model',
  gpu: 'gpu',
  numGpus: 'num_gpus',
  dtype: 'dtype',
  task: 'task',
  seqLen: 'seq_len',
  gbs: 'gbs',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  runDir: 'run_dir',
  sourceLog: 'source_log',
} as const satisfies Partial<Record<keyof NewRun, string>>;

const TERMINAL: ReadonlySet<RunState> = new Set(RUN_STATES.filter((s) => s !== 'PENDING' && s !== 'RUNNING'));
/** Final for good; the other terminal states may be requeued by Slurm (back to PENDING). */
const FINAL: ReadonlySet<RunState> = new Set<RunState>(['COMPLETED', 'CANCELLED', 'IMPORTED']);

export function isTerminal(state: RunState): boolean {
  return TERMINAL.has(state);
}

export function canTransition(from: RunState, to: RunState): boolean {
  if (from === to) return true;
  if (FINAL.has(from)) return false;
  if (TERMINAL.has(from)) return to === 'PENDING';
  return true;
}

function assertState(ctx: StoreContext, state: string): asserts state is RunState {
  if (!(RUN_STATES as readonly string[]).includes(state)) {
    throw inputError(`unknown run state '${state}'`, { code: 'unknown-state', file: ctx.file, hint: `use one of ${RUN_STATES.join(', ')}` });
  }
}

function columnValues(ctx: StoreContext, fields: RunPatch): Record<string, string | number | null> {
  const values: Record<string, string | number | null> = {};
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = fields[field as keyof typeof COLUMNS];
    if (value === undefined) continue;
    values[column] = typeof value === 'string' ? textColumn(ctx, value) : value;
  }
  if (fields.spec !== undefined) values.spec_json = jsonColumn(ctx, fields.spec);
  if (fields.diagnosis !== undefined) values.diagnosis_json = jsonColumn(ctx, fields.diagnosis);
  return values;
}

export function createRun(ctx: StoreContext, run: NewRun, now = new Date()): RunRecord {
  const state = run.state ?? 'PENDING';
  assertState(ctx, state);
  const id = run.id ?? newRunId(now.getTime());
  const values = { id, created_at: run.createdAt ?? now.toISOString(), ...columnValues(ctx, { ...run, state }) };
  const names = Object.keys(values);
  try {
    ctx.db.prepare(`INSERT INTO runs (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`).run(values);
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw inputError(`a run with id '${id}' is already stored`, { code: 'duplicate-run', file: ctx.file });
    }
    throw error;
  }
  return getRun(ctx, id)!;
}

export function updateRun(ctx: StoreContext, id: string, patch: RunPatch, now = new Date()): RunRecord {
  const current = getRun(ctx, id);
  if (!current) throw unknownRun(ctx, id);
  const fields: RunPatch = { ...patch };
  if (patch.state !== undefined && patch.state !== current.state) {
    assertState(ctx, patch.state);
    if (!canTransition(current.state, patch.state)) {
      throw new TrainbenchError('internal', `run ${id} cannot go from ${current.state} to ${patch.state}`, {
        code: 'invalid-transition',
        hint: `${current.state} is final; record a new run instead`,
      });
    }
    if (patch.state === 'RUNNING' && current.startedAt === null) fields.startedAt ??= now.toISOString();
    if (isTerminal(patch.state)) fields.finishedAt ??= now.toISOString();
    if (patch.state === 'PENDING') fields.finishedAt ??= null; // requeued: not finished any more
  }
  const values = columnValues(ctx, fields);
  const names = Object.keys(values);
  if (names.length) ctx.db.prepare(`UPDATE runs SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`).run({ ...values, id });
  return getRun(ctx, id)!;
}

/** Stores the whole result as JSON and its headline figures (given, or found in the result) as sortable columns. */
export function setResult(ctx: StoreContext, id: string, result: unknown, summary?: Partial<ResultSummary>): void {
  const found = { ...summariseResult(result), ...summary };
  const info = ctx.db
    .prepare('UPDATE runs SET result_json = ?, step_time_s = ?, tokens_per_s = ?, mfu = ? WHERE id = ?')
    .run(jsonColumn(ctx, result), found.stepTimeS, found.tokensPerS, found.mfu, id);
  if (info.changes === 0) throw unknownRun(ctx, id);
}

export function getRun(ctx: StoreContext, id: string): RunRecord | undefined {
  const row = ctx.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
  return row ? toRecord(row) : undefined;
}

export function toRecord(row: Record<string, unknown>): RunRecord {
  const record: Record<string, unknown> = { id: row.id };
  for (const [field, column] of Object.entries(COLUMNS)) record[field] = row[column] ?? null;
  record.createdAt = row.created_at;
  record.spec = parseJson(row.spec_json);
  record.result = parseJson(row.result_json);
  record.diagnosis = parseJson(row.diagnosis_json);
  record.stepTimeS = row.step_time_s ?? null;
  record.tokensPerS = row.tokens_per_s ?? null;
  record.mfu = row.mfu ?? null;
  return record as unknown as RunRecord;
}
