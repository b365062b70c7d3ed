// The progress watchdog's rule: a job is stalled when no new step has appeared for K times the median step time so
// far (never less than a floor, and only once a few steps give a median worth trusting). Pure: the caller measures
// the silence and the step times.

export interface WatchdogPolicy {
  /** Stall threshold = k x median step time. */
  k: number;
  /** Never flag a silence shorter than this (start-up, a checkpoint write, scheduler jitter). */
  minStallS: number;
  /** Steps needed before the median counts; before that the watchdog says nothing. */
  minSteps: number;
  /** `cancel` stops the job once flagged; `report` only records the stall. */
  action: 'cancel' | 'report';
}

export const DEFAULT_WATCHDOG: WatchdogPolicy = { k: 10, minStallS: 60, minSteps: 3, action: 'cancel' };

export interface StallVerdict {
  stalled: boolean;
  lastStep: number;
  medianStepS: number;
  thresholdS: number;
  silentForS: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (!sorted.length) return 0;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** undefined while too few steps were seen to judge. */
export function judgeStall(stepTimesS: readonly number[], lastStep: number, silentForS: number, p: WatchdogPolicy): StallVerdict | undefined {
  if (stepTimesS.length < p.minSteps) return undefined;
  const medianStepS = median(stepTimesS);
  const thresholdS = Math.max(p.minStallS, p.k * medianStepS);
  return { stalled: silentForS >= thresholdS, lastStep, medianStepS, thresholdS, silentForS };
}
