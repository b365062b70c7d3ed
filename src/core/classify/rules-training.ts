// Signals in the training itself: NaN loss, loss spikes, no progress.
import type { StepRecord } from '../ingest/index.ts';
import { cite, findAll } from './lines.ts';
import type { TailLine } from './lines.ts';
import type { FailureInput, Finding } from './types.ts';

const NAN_TEXT = /\b(?:loss|reduced_train_loss|lm loss)\s*[:=]?\s*'?(?:nan|inf)\b|Monitored metric \S+ = (?:nan|inf) is not finite|loss is (?:nan|NaN|not finite)/i;

export function nanLoss(lines: readonly TailLine[], steps: readonly StepRecord[]): Finding | undefined {
  const logged = steps.filter((s) => s.loss !== undefined || s.nanLoss);
  const nanSteps = logged.filter((s) => s.nanLoss);
  const endsNan = logged.length > 0 && logged[logged.length - 1]!.nanLoss === true;
  const hits = findAll(lines, NAN_TEXT);
  if (!endsNan && nanSteps.length < 3 && !hits.length) return undefined;
  const first = nanSteps[0];
  return {
    kind: 'nan_loss',
    summary: `loss became NaN/inf${first ? ` at step ${first.step} (${nanSteps.length} logged step(s) with non-finite loss)` : ''}`,
    evidence: hits.length
      ? hits.slice(0, 3).map((h) => cite(h.l, h.m.index))
      : nanSteps.slice(0, 3).map((s) => ({ line: s.line, text: `step ${s.step}: loss nan` })),
    details: first ? { firstStep: first.step, nanSteps: nanSteps.length } : {},
  };
}

/** A loss more than twice (and 1.0 above) the median of the 10 logged losses before it. */
export function lossSpike(steps: readonly StepRecord[]): Finding | undefined {
  const losses = steps.filter((s) => s.loss !== undefined && Number.isFinite(s.loss));
  let worst: { s: StepRecord; median: number } | undefined;
  for (let i = 10; i < losses.length; i++) {
    const prev = losses.slice(i - 10, i).map((s) => s.loss!).sort((a, b) => a - b);
    const median = (prev[4]! + prev[5]!) / 2;
    const s = losses[i]!;
    if (s.loss! > 2 * median && s.loss! - median > 1 && (!worst || s.loss! / median > worst.s.loss! / worst.median)) worst = { s, median };
  }
  if (!worst) return undefined;
  return {
    kind: 'loss_spike',
    summary: `loss spiked to ${worst.s.loss} at step ${worst.s.step} (median of the 10 before: ${worst.median.toPrecision(4)})`,
    evidence: [{ line: worst.s.line, text: `step ${worst.s.step}: loss ${worst.s.loss}` }],
    details: { step: worst.s.step, loss: worst.s.loss!, medianBefore: worst.median },
  };
}

export const HANG_AFTER_S = 300;

export function hang(lines: readonly TailLine[], input: FailureInput): Finding | undefined {
  if (input.stalledForS === undefined || input.stalledForS < HANG_AFTER_S) return undefined;
  const last = input.steps?.[input.steps.length - 1];
  const lastLine = lines[lines.length - 1];
  return {
    kind: 'hang',
    summary: `no progress for ${(input.stalledForS / 60).toFixed(0)} min${last ? ` after step ${last.step}` : ''}`,
    evidence: last ? [{ line: last.line, text: `last logged step ${last.step}` }] : lastLine ? [cite(lastLine)] : [],
    details: { stalledForS: input.stalledForS, ...(last ? { lastStep: last.step } : {}) },
  };
}
