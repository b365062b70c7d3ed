// A small reader for the reference workload's `TRAINBENCH_EVENT {json}` lines, so a report can be built straight
// from a log. (Engine logs go through src/core/ingest; this covers the contract our own workload prints.)
import type { ReportStep } from './types.ts';

export interface EventLog {
  steps: ReportStep[];
  /** Tokens processed per step, from the `step` events' `tokens` (or start's global_batch x seq_len). */
  tokensPerStep: number | null;
  start: Record<string, unknown> | null;
  end: Record<string, unknown> | null;
  warnings: string[];
}

const PREFIX = 'TRAINBENCH_EVENT ';
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function readEventLog(text: string): EventLog {
  const out: EventLog = { steps: [], tokensPerStep: null, start: null, end: null, warnings: [] };
  const byStep = new Map<number, ReportStep>();
  let bad = 0;
  for (const line of text.split(/\r?\n|\r/)) {
    const at = line.indexOf(PREFIX);
    if (at < 0) continue;
    let data: unknown;
    try {
      data = JSON.parse(line.slice(at + PREFIX.length));
    } catch {
      bad += 1;
      continue;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) continue;
    const e = data as Record<string, unknown>;
    if (e.event === 'start') out.start = e;
    if (e.event === 'end') out.end = e;
    if (e.event !== 'step' || finite(e.step) === null) continue;
    // A repeated step number (restart from a checkpoint) keeps the latest line: the one that counted.
    byStep.set(e.step as number, { step: e.step as number, stepTimeS: finite(e.step_time_s), loss: finite(e.loss), time: finite(e.time) });
    out.tokensPerStep = finite(e.tokens) ?? out.tokensPerStep;
  }
  out.steps = [...byStep.values()].sort((a, b) => a.step - b.step);
  if (out.tokensPerStep === null && out.start) {
    const gbs = finite(out.start.global_batch);
    const seq = finite(out.start.seq_len);
    if (gbs !== null && seq !== null) out.tokensPerStep = gbs * seq;
  }
  if (bad > 0) out.warnings.push(`${bad} TRAINBENCH_EVENT line(s) did not hold valid JSON and were skipped`);
  return out;
}
