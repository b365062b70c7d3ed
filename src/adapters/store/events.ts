// Verdicts against baselines and the event log of a run (state changes, diagnoses, warnings).
import type { StoreContext } from './context.ts';
import { jsonColumn, parseJson, runExists, textColumn, unknownRun } from './context.ts';
import type { RunEvent, Verdict } from './types.ts';

export function addVerdict(ctx: StoreContext, runId: string, verdict: Verdict, now = new Date()): void {
  if (!runExists(ctx, runId)) throw unknownRun(ctx, runId);
  ctx.db
    .prepare('INSERT INTO verdicts (run_id, against, metric, ratio, verdict, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(
      runId,
      textColumn(ctx, verdict.against),
      textColumn(ctx, verdict.metric),
      verdict.ratio,
      textColumn(ctx, verdict.verdict),
      verdict.createdAt ?? now.toISOString(),
    );
}

export function getVerdicts(ctx: StoreContext, runId: string): Required<Verdict>[] {
  return ctx.db
    .prepare('SELECT against, metric, ratio, verdict, created_at AS createdAt FROM verdicts WHERE run_id = ? ORDER BY id')
    .all(runId) as Required<Verdict>[];
}

export function addEvent(ctx: StoreContext, runId: string, event: RunEvent, now = new Date()): void {
  if (!runExists(ctx, runId)) throw unknownRun(ctx, runId);
  ctx.db
    .prepare('INSERT INTO events (run_id, ts, kind, json) VALUES (?, ?, ?, ?)')
    .run(runId, event.ts ?? now.toISOString(), textColumn(ctx, event.kind), jsonColumn(ctx, event.data));
}

export function getEvents(ctx: StoreContext, runId: string): Required<RunEvent>[] {
  const rows = ctx.db.prepare('SELECT ts, kind, json FROM events WHERE run_id = ? ORDER BY ts, id').all(runId) as {
    ts: string;
    kind: string;
    json: string | null;
  }[];
  return rows.map((r) => ({ ts: r.ts, kind: r.kind, data: parseJson(r.json) }));
}
