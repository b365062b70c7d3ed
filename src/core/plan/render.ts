// Human renderings of search results, predictions and the validation report (strings; the CLI prints them).
import { explainBest } from './explain.ts';
import type { ValidationReport } from './fit.ts';
import type { MemoryBreakdown } from './memory.ts';
import { planLabel, type RankedPlan, type SearchResult } from './search.ts';
import type { StepTime } from './step-time.ts';

const s = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

export function renderBreakdown(t: StepTime, m: MemoryBreakdown): string[] {
  const b = t.breakdown;
  const comm = (name: string, c: { total_s: number; exposed_s: number; link: string }) =>
    c.total_s > 0 ? [`    ${name.padEnd(10)} ${s(c.total_s)} s total, ${s(c.exposed_s)} s exposed (${c.link})`] : [];
  const GiB = 1024 ** 3;
  return [
    `    compute    ${s(b.compute_s)} s (recompute ${s(b.recompute_s)} s)   bubble ${s(b.bubble_s)} s   optimizer ${s(b.optimizer_s)} s`,
    ...comm('TP', b.tp),
    ...comm('CP', b.cp),
    ...comm('PP p2p', b.pp),
    ...comm('DP/FSDP', b.dp),
    `    memory     ${m.totalGiB.toFixed(1)} / ${m.capacityGiB} GiB (${m.stage} stage): weights ${(m.weights / GiB).toFixed(1)}, grads ${(m.gradients / GiB).toFixed(1)}, ` +
      `optimizer ${(m.optimizer / GiB).toFixed(1)}, activations ${(m.activations / GiB).toFixed(1)}, logits ${(m.logits / GiB).toFixed(1)}, ` +
      `fsdp gather ${(m.fsdpGather / GiB).toFixed(1)}, overhead ${(m.overhead / GiB).toFixed(1)}${m.fits ? '' : '  DOES NOT FIT'}`,
  ];
}

export function renderRanked(r: RankedPlan, rank: number): string[] {
  const t = r.time;
  return [
    `#${rank} ${planLabel(r.plan)}: ${s(t.step_time_s)} s/step, ${Math.round(t.tokens_per_s_per_gpu)} tok/s/GPU, MFU ${(100 * t.mfu).toFixed(1)}%`,
    ...renderBreakdown(t, r.memory),
  ];
}

export function renderSearch(result: SearchResult, top: number): string {
  const lines = [
    `${result.considered} plans considered: ${result.invalid} invalid, ${result.outOfMemory} out of memory, ${result.ranked.length} fit`,
    '',
    ...result.ranked.slice(0, top).flatMap((r, i) => [...renderRanked(r, i + 1), '']),
    'why:',
    ...explainBest(result).map((l) => `  ${l}`),
  ];
  return lines.join('\n') + '\n';
}

export function renderValidation(rep: ValidationReport): string {
  const pct = (x: number) => `${x.toFixed(1)}%`;
  const lines = [
    `split: ${rep.split}`,
    `MAPE train ${pct(rep.mape.train)} (${rep.rows.filter((r) => r.split === 'train').length} rows), ` +
      `validation ${pct(rep.mape.validation)} (${rep.rows.filter((r) => r.split === 'validation').length} rows)`,
    'validation MAPE by source:',
    ...Object.entries(rep.mape.bySource).map(([k, v]) => `  ${k.padEnd(48)} ${String(v.n).padStart(4)} rows  ${pct(v.mape)}`),
    'worst validation rows (measured vs predicted s/step):',
    ...rep.worst.map((r) => `  ${r.id.padEnd(14)} ${r.label.padEnd(52)} ${s(r.measured_step_s).padStart(8)} ${s(r.predicted_step_s).padStart(8)}  ${r.error_pct >= 0 ? '+' : ''}${r.error_pct.toFixed(1)}%`),
  ];
  return lines.join('\n') + '\n';
}
