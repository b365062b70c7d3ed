// Builds a ReportInput from steps alone (a log without a stored measurement): a stated averaging window and the
// headline figures that follow from it. The window rule is printed as an assumption.
import type { AlignedTelemetry } from '../telemetry/align.ts';
import { summaryTable } from './summary.ts';
import type { ReportInput, ReportStep } from './types.ts';

export interface FromLogOptions {
  title: string;
  subtitle?: string;
  steps: ReportStep[];
  tokensPerStep: number | null;
  gpus: number | null;
  gpuName: string | null;
  telemetry: AlignedTelemetry | null;
  warnings: string[];
  /** Steps to skip as warm-up; default 10% of the steps (at least 1 when there are more than 2). */
  warmupSteps?: number;
}

/** Steps [from, to] averaged: everything after the warm-up. */
export function defaultWindow(steps: ReportStep[], warmup?: number): { from: number; to: number } | null {
  const timed = steps.filter((s) => s.stepTimeS !== null);
  if (timed.length === 0) return null;
  const skip = Math.min(timed.length - 1, warmup ?? (timed.length > 2 ? Math.max(1, Math.floor(timed.length / 10)) : 0));
  return { from: timed[skip]!.step, to: timed[timed.length - 1]!.step };
}

export function reportFromLog(o: FromLogOptions): ReportInput {
  const window = defaultWindow(o.steps, o.warmupSteps);
  const inWindow = window ? o.steps.filter((s) => s.step >= window.from && s.step <= window.to && s.stepTimeS !== null) : [];
  const stepTimeS = inWindow.length ? inWindow.reduce((a, s) => a + (s.stepTimeS ?? 0), 0) / inWindow.length : null;
  const tokensPerS = stepTimeS && o.tokensPerStep ? o.tokensPerStep / stepTimeS : null;
  const days = tokensPerS ? 1e12 / tokensPerS / 86_400 : null;
  const label = o.gpus ? `Throughput on ${o.gpus}x ${o.gpuName ?? 'GPU'}${o.gpus === 1 ? '' : 's'}` : 'This run';
  const assumptions = [
    window
      ? `Averaging window: steps ${window.from} to ${window.to} (${inWindow.length} steps; the first ${o.warmupSteps ?? '10%'} of steps are skipped as warm-up).`
      : 'No averaging window: no step carried a step time.',
    o.tokensPerStep ? `Tokens per step: ${o.tokensPerStep} (from the log).` : 'Tokens per step unknown: throughput is not computed.',
    'MFU is not computed from a bare log (no peak FLOPS or model FLOPs given); `trainbench report RUN` computes it for a stored run.',
    'Time to train counts 1T tokens at the measured throughput.',
  ];
  if (o.telemetry) assumptions.push(`Telemetry clock: local time = UTC ${o.telemetry.clock.utcOffsetHours >= 0 ? '+' : ''}${o.telemetry.clock.utcOffsetHours} h${o.telemetry.clock.zone ? ` (vmstat zone ${o.telemetry.clock.zone})` : ''}.`);
  return {
    title: o.title,
    ...(o.subtitle ? { subtitle: o.subtitle } : {}),
    summary: stepTimeS === null ? null : summaryTable(o.title, [{ label, stepTimeS, tokensPerS, mfu: null, days }]),
    assumptions,
    steps: o.steps,
    window,
    metrics: { stepTimeS, tokensPerS, mfu: null },
    telemetry: o.telemetry,
    warnings: o.warnings,
  };
}
