// Engines that print throughput instead of time (DeepSpeed CurrSamplesPerSec): step time = GBS / samples per second,
// once the global batch is known (from --gbs when the log does not state it).
import type { ParseOutput, StepRecord } from '../ingest/index.ts';

export function fillStepTimes(
  out: Pick<ParseOutput, 'steps' | 'restarts'>,
  gbs: number | undefined,
): { steps: StepRecord[]; restarts: ParseOutput['restarts']; derived: number } {
  if (!gbs || !out.steps.some((s) => s.stepTimeS === undefined && s.samplesPerS !== undefined)) {
    return { steps: out.steps, restarts: out.restarts, derived: 0 };
  }
  let derived = 0;
  const steps = out.steps.map((s) => {
    if (s.stepTimeS !== undefined || s.samplesPerS === undefined) return s;
    derived += 1;
    return { ...s, stepTimeS: gbs / s.samplesPerS };
  });
  return { steps, restarts: out.restarts, derived };
}
