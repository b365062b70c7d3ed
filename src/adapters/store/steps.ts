// Step series. Keyed by (run, attempt, step): re-ingesting the same log adds nothing, a restart that repeats steps
// is kept as a new attempt, and a stored step is never overwritten with different values.
import type { StoreContext } from './context.ts';
import { runExists, textColumn, unknownRun } from './context.ts';
import type { AppendResult, StepInput, StepRow } from './types.ts';

const num = (v: number | null | undefined) => (v === undefined || v === null || Number.isNaN(v) ? null : v);

function toRow(ctx: StoreContext, step: StepInput, attempt: number): StepRow {
  return {
    step: step.step,
    attempt,
    timeS: num(step.timeS),
    loss: num(step.loss),
    peakMemoryBytes: num(step.peakMemoryBytes),
    consumedSamples: num(step.consumedSamples),
    timestamp: textColumn(ctx, step.timestamp),
  };
}

const same = (a: StepRow, b: StepRow) =>
  a.timeS === b.timeS &&
  a.loss === b.loss &&
  a.peakMemoryBytes === b.peakMemoryBytes &&
  a.consumedSamples === b.consumedSamples &&
  a.timestamp === b.timestamp;

/**
 * Adds steps in the caller's transaction. A step without its own `attempt` takes `firstAttempt`, and a step number
 * lower than the one before it (a restart from a checkpoint, in one batch) starts the next attempt.
 */
export function appendSteps(ctx: StoreContext, runId: string, steps: readonly StepInput[], firstAttempt = 0): AppendResult {
  if (!runExists(ctx, runId)) throw unknownRun(ctx, runId);
  const insert = ctx.db.prepare(
    `INSERT INTO steps (run_id, attempt, step, time_s, loss, peak_memory_bytes, consumed_samples, timestamp)
     VALUES (@runId, @attempt, @step, @timeS, @loss, @peakMemoryBytes, @consumedSamples, @timestamp)
     ON CONFLICT DO NOTHING`,
  );
  const existing = ctx.db.prepare(`${SELECT} WHERE run_id = ? AND attempt = ? AND step = ?`);
  const result: AppendResult = { inserted: 0, duplicates: 0, conflicts: [] };
  let attempt = firstAttempt;
  let previous = -Infinity;
  for (const step of steps) {
    if (step.attempt !== undefined) attempt = step.attempt;
    else if (step.step < previous) attempt += 1;
    previous = step.step;
    const row = toRow(ctx, step, attempt);
    if (insert.run({ runId, ...row }).changes === 1) {
      result.inserted += 1;
      continue;
    }
    const stored = existing.get(runId, attempt, step.step) as StepRow;
    if (same(stored, row)) result.duplicates += 1;
    else result.conflicts.push(stored);
  }
  return result;
}

const SELECT = `SELECT step, attempt, time_s AS timeS, loss, peak_memory_bytes AS peakMemoryBytes,
  consumed_samples AS consumedSamples, timestamp FROM steps`;

export function getSteps(ctx: StoreContext, runId: string): StepRow[] {
  return ctx.db.prepare(`${SELECT} WHERE run_id = ? ORDER BY attempt, step`).all(runId) as StepRow[];
}

export function countSteps(ctx: StoreContext, runId: string): number {
  return (ctx.db.prepare('SELECT count(*) AS n FROM steps WHERE run_id = ?').get(runId) as { n: number }).n;
}
