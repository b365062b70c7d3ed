// Why the best plan wins: the step-time components where it beats the runner-up and the typical alternatives.
import type { RankedPlan, SearchResult } from './search.ts';
import { planLabel } from './search.ts';
import type { StepTime } from './step-time.ts';

const components = (t: StepTime): Record<string, number> => ({
  compute: t.breakdown.compute_s - t.breakdown.recompute_s,
  recompute: t.breakdown.recompute_s,
  'pipeline bubble': t.breakdown.bubble_s,
  'exposed TP comm': t.breakdown.tp.exposed_s,
  'exposed CP comm': t.breakdown.cp.exposed_s,
  'PP p2p': t.breakdown.pp.exposed_s,
  'exposed DP/FSDP comm': t.breakdown.dp.exposed_s,
  optimizer: t.breakdown.optimizer_s,
});

/** Where `a` saves time over `b`, largest first, as "bubble -0.41 s". */
export function savings(a: RankedPlan, b: RankedPlan): string[] {
  const ca = components(a.time);
  const cb = components(b.time);
  return Object.keys(ca)
    .map((k) => ({ k, d: (ca[k] ?? 0) - (cb[k] ?? 0) }))
    .filter((x) => Math.abs(x.d) > 1e-3 * b.time.step_time_s)
    .sort((x, y) => x.d - y.d)
    .slice(0, 3)
    .map((x) => `${x.k} ${x.d < 0 ? '-' : '+'}${Math.abs(x.d).toFixed(3)} s`);
}

export function explainBest(result: SearchResult): string[] {
  const [best, second] = result.ranked;
  if (!best) {
    const oom = result.bestOutOfMemory[0];
    return [
      `no valid plan fits in memory (${result.considered} considered, ${result.invalid} invalid, ${result.outOfMemory} out of memory)`,
      ...(oom ? [`closest: ${planLabel(oom.plan)} needs ${oom.memory.totalGiB.toFixed(1)} GiB of ${oom.memory.capacityGiB} GiB`] : []),
    ];
  }
  const t = best.time;
  const share = (x: number) => `${((100 * x) / t.step_time_s).toFixed(0)}%`;
  const lines = [
    `best: ${planLabel(best.plan)}: ${t.step_time_s.toFixed(3)} s/step, MFU ${(100 * t.mfu).toFixed(1)}%, ` +
      `${best.memory.totalGiB.toFixed(1)} of ${best.memory.capacityGiB} GiB`,
    `  compute ${share(t.breakdown.compute_s)} of the step, bubble ${share(t.breakdown.bubble_s)}, exposed comm ${share(t.breakdown.exposed_comm_s)}`,
  ];
  if (second) lines.push(`  vs #2 (${planLabel(second.plan)}, ${second.time.step_time_s.toFixed(3)} s): ${savings(best, second).join(', ') || 'same components'}`);
  const faster = result.bestOutOfMemory[0];
  if (faster && faster.time.step_time_s < t.step_time_s) {
    lines.push(`  faster but out of memory: ${planLabel(faster.plan)} (${faster.time.step_time_s.toFixed(3)} s, needs ${faster.memory.totalGiB.toFixed(1)} GiB)`);
  }
  return lines;
}
