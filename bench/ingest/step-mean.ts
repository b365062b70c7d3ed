// What the awk side of the bench computes, from trainbench's records: the steps covered and their mean step time
// (a record covers `interval` steps: past 1 M records older ones are merged in pairs, with their weighted mean).
export function stepMean(steps: readonly { stepTimeS?: number | undefined; interval?: number | undefined }[]): { covered: number; mean: number; records: number } {
  let covered = 0;
  let weighted = 0;
  let records = 0;
  for (const rec of steps) {
    if (rec.stepTimeS === undefined) continue;
    const k = rec.interval ?? 1;
    covered += k;
    weighted += rec.stepTimeS * k;
    records++;
  }
  return { covered, mean: weighted / covered, records };
}
