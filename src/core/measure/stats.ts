// Step-time statistics over a window. The mean weights each record by the steps it averages (Megatron prints one
// line per log interval), so it equals total time / total steps; median/min/max/p95 are over the printed values.

export interface StepTimeStats {
  /** Records in the window. */
  n: number;
  /** Optimizer steps those records cover (sum of intervals). */
  stepsCovered: number;
  meanS: number;
  medianS: number;
  minS: number;
  maxS: number;
  /** 95th percentile, nearest-rank. */
  p95S: number;
}

export function stepTimeStats(records: readonly { stepTimeS?: number | undefined; interval?: number | undefined }[]): StepTimeStats | undefined {
  const times: number[] = [];
  let weighted = 0;
  let covered = 0;
  for (const r of records) {
    if (r.stepTimeS === undefined) continue;
    const k = r.interval ?? 1;
    times.push(r.stepTimeS);
    weighted += r.stepTimeS * k;
    covered += k;
  }
  if (times.length === 0) return undefined;
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianS = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    n: times.length,
    stepsCovered: covered,
    meanS: weighted / covered,
    medianS,
    minS: sorted[0]!,
    maxS: sorted[sorted.length - 1]!,
    p95S: sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)]!,
  };
}
