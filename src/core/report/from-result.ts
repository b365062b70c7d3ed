// A parsed log plus its measured Result (core/measure) -> ReportInput: the seeds' table, the Result's assumptions
// and window verbatim, and every step for the charts.
import type { StepRecord } from '../ingest/types.ts';
import type { Result } from '../measure/index.ts';
import type { AlignedTelemetry } from '../telemetry/align.ts';
import { summaryTable, throughputLabel } from './summary.ts';
import type { ReportInput, ReportStep } from './types.ts';

/** Step records in log order -> one point per step; a step repeated after a restart keeps its latest record. */
export function reportSteps(records: readonly StepRecord[]): ReportStep[] {
  const byStep = new Map<number, ReportStep>();
  for (const r of records) byStep.set(r.step, { step: r.step, stepTimeS: r.stepTimeS ?? null, loss: r.loss ?? null, time: r.time ?? null });
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

export interface FromResultOptions {
  title: string;
  subtitle?: string;
  steps: ReportStep[];
  result: Result;
  telemetry: AlignedTelemetry | null;
  warnings: string[];
}

export function reportFromResult(o: FromResultOptions): ReportInput {
  const r = o.result;
  const f = r.facts;
  const gpus = f.numGpus;
  const label = throughputLabel(gpus, f.gpu);
  const stepTimeS = r.stepTime?.meanS ?? null;
  const days = r.daysToTrain ?? null;
  const tokens = r.totalTokens === 1e12 ? '1T' : `${(r.totalTokens / 1e9).toPrecision(3)}B`;
  const header = [f.model, f.dtype?.toUpperCase()].filter(Boolean).join(' ') || o.title;
  const assumptions = [...r.assumptions, ...r.missing.map((m) => `not computed: ${m}`)];
  if (o.telemetry) {
    const c = o.telemetry.clock;
    assumptions.push(`telemetry clock: local time = UTC ${c.utcOffsetHours >= 0 ? '+' : ''}${c.utcOffsetHours} h${c.zone ? ` (vmstat zone ${c.zone})` : ''}; a step spans [time - step_time, time]`);
  }
  const first = r.window.firstStep;
  const last = r.window.lastStep;
  return {
    title: o.title,
    ...(o.subtitle ? { subtitle: o.subtitle } : {}),
    summary: stepTimeS === null ? null : summaryTable(header, [{ label, stepTimeS, tokensPerS: r.tokensPerS ?? null, mfu: r.mfu ?? null, days }], `Time to train ${tokens} tokens in days`),
    assumptions,
    steps: o.steps,
    window: first !== undefined && last !== undefined ? { from: first, to: last } : null,
    metrics: { stepTimeS, tokensPerS: r.tokensPerS ?? null, mfu: r.mfu ?? null },
    telemetry: o.telemetry,
    warnings: o.warnings,
  };
}
