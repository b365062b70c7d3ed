// Bounded memory for logs with millions of steps: when the series outgrows its cap, the older records are merged in
// pairs (the recent ones stay whole). A merged record covers both records' steps (interval summed) with their
// interval-weighted mean step time, so every window mean stays exact; medians and percentiles over thinned history
// become approximate, which the warning says.
import type { StepRecord } from './types.ts';

// The later record becomes the merged one, in place: a copy per merge (an object spread) was most of the cost of
// thinning millions of records, and nothing else holds older records (parsers only look at the last few).
function mergePair(a: StepRecord, b: StepRecord): StepRecord {
  const ka = a.interval ?? 1;
  const kb = b.interval ?? 1;
  const out = b;
  out.interval = ka + kb;
  if (a.stepTimeS !== undefined && b.stepTimeS !== undefined) out.stepTimeS = (a.stepTimeS * ka + b.stepTimeS * kb) / (ka + kb);
  if (a.skippedIterations !== undefined || b.skippedIterations !== undefined) out.skippedIterations = (a.skippedIterations ?? 0) + (b.skippedIterations ?? 0);
  if (a.nanIterations !== undefined || b.nanIterations !== undefined) out.nanIterations = (a.nanIterations ?? 0) + (b.nanIterations ?? 0);
  if (a.nanLoss || b.nanLoss) out.nanLoss = true;
  return out;
}

/** Merges pairs among steps[0 .. length - keepRecent) in place; returns how many records were removed. */
export function thinOlder(steps: StepRecord[], keepRecent: number): number {
  const end = steps.length - keepRecent;
  if (end < 2) return 0;
  const kept: StepRecord[] = [];
  let i = 0;
  while (i < end) {
    const a = steps[i]!;
    const b = i + 1 < end ? steps[i + 1] : undefined;
    // Never across a restart nor with the records on either side of one (they name the restart), never a timed with
    // an untimed record (the weighting would be wrong).
    const restartTarget = i > 0 && steps[i - 1]!.step >= a.step;
    const restartSource = i + 2 < steps.length && steps[i + 2]!.step <= (b?.step ?? 0);
    if (b && b.step > a.step && !restartTarget && !restartSource && (a.stepTimeS === undefined) === (b.stepTimeS === undefined)) {
      kept.push(mergePair(a, b));
      i += 2;
    } else {
      kept.push(a);
      i += 1;
    }
  }
  // In place, without spreading (hundreds of thousands of arguments would overflow the stack).
  let w = 0;
  for (const r of kept) steps[w++] = r;
  for (let j = end; j < steps.length; j++) steps[w++] = steps[j]!;
  const removed = steps.length - w;
  steps.length = w;
  return removed;
}
