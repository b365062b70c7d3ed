// GPU and host telemetry samples (nvidia-smi dmon, vmstat, ...). Keyed by (run, source, node, gpu, time), so
// re-ingesting a capture adds nothing.
import type { StoreContext } from './context.ts';
import { jsonColumn, parseJson, runExists, unknownRun } from './context.ts';
import type { TelemetryRow, TelemetrySample } from './types.ts';

const num = (v: number | null | undefined) => (v === undefined || v === null || Number.isNaN(v) ? null : v);

export function addTelemetry(ctx: StoreContext, runId: string, samples: readonly TelemetrySample[]): { inserted: number; duplicates: number } {
  if (!runExists(ctx, runId)) throw unknownRun(ctx, runId);
  const insert = ctx.db.prepare(
    `INSERT INTO telemetry (run_id, source, node, gpu, ts, util_pct, mem_util_pct, power_w, mem_used_bytes,
       sm_clock_mhz, mem_clock_mhz, temp_c, metrics_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  let inserted = 0;
  for (const s of samples) {
    inserted += insert.run(
      runId,
      s.source,
      s.node ?? '',
      s.gpu ?? -1,
      s.ts,
      num(s.utilPct),
      num(s.memUtilPct),
      num(s.powerW),
      num(s.memUsedBytes),
      num(s.smClockMhz),
      num(s.memClockMhz),
      num(s.tempC),
      s.metrics && Object.keys(s.metrics).length ? jsonColumn(ctx, s.metrics) : null,
    ).changes;
  }
  return { inserted, duplicates: samples.length - inserted };
}

export function getTelemetry(ctx: StoreContext, runId: string, source?: string): TelemetryRow[] {
  const rows = ctx.db
    .prepare(
      `SELECT source, node, gpu, ts, util_pct AS utilPct, mem_util_pct AS memUtilPct, power_w AS powerW,
         mem_used_bytes AS memUsedBytes, sm_clock_mhz AS smClockMhz, mem_clock_mhz AS memClockMhz, temp_c AS tempC,
         metrics_json FROM telemetry WHERE run_id = ? AND (? IS NULL OR source = ?) ORDER BY ts, source, node, gpu`,
    )
    .all(runId, source ?? null, source ?? null) as (Omit<TelemetryRow, 'metrics'> & { metrics_json: string | null })[];
  return rows.map(({ metrics_json, ...row }) => ({ ...row, metrics: (parseJson(metrics_json) ?? {}) as Record<string, unknown> }));
}

export function countTelemetry(ctx: StoreContext, runId: string): number {
  return (ctx.db.prepare('SELECT count(*) AS n FROM telemetry WHERE run_id = ?').get(runId) as { n: number }).n;
}
