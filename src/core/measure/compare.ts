// A result against a baseline (published figures, or another result): per-metric ratios and a verdict with a
// tolerance band. "change" is signed so that positive always means better (lower step time/days, higher tokens/s, MFU).
import type { Result } from './summarize.ts';

export interface Figures {
  stepTimeS?: number | undefined;
  tokensPerS?: number | undefined;
  mfu?: number | undefined;
  daysToTrain?: number | undefined;
}

export type Verdict = 'pass' | 'regression' | 'improvement';

export interface MetricComparison {
  metric: keyof Figures;
  baseline: number;
  candidate: number;
  /** candidate / baseline. */
  ratio: number;
  /** Relative change in performance, positive = better. */
  change: number;
  verdict: Verdict;
}

export interface Comparison {
  tolerance: number;
  metrics: MetricComparison[];
  verdict: Verdict;
  /** Metrics present on one side only. */
  skipped: string[];
}

const LOWER_IS_BETTER: Record<keyof Figures, boolean> = { stepTimeS: true, tokensPerS: false, mfu: false, daysToTrain: true };

export function figuresOf(r: Result): Figures {
  return { stepTimeS: r.stepTime?.meanS, tokensPerS: r.tokensPerS, mfu: r.mfu, daysToTrain: r.daysToTrain };
}

export function compareFigures(candidate: Figures, baseline: Figures, tolerance = 0.05): Comparison {
  const metrics: MetricComparison[] = [];
  const skipped: string[] = [];
  for (const metric of Object.keys(LOWER_IS_BETTER) as (keyof Figures)[]) {
    const c = candidate[metric];
    const b = baseline[metric];
    const ok = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x) && x > 0;
    if (!ok(c) || !ok(b)) {
      if (ok(c) !== ok(b)) skipped.push(`${metric}: only on the ${ok(c) ? 'candidate' : 'baseline'} side`);
      continue;
    }
    const ratio = c / b;
    const change = LOWER_IS_BETTER[metric] ? b / c - 1 : ratio - 1;
    const verdict: Verdict = change < -tolerance ? 'regression' : change > tolerance ? 'improvement' : 'pass';
    metrics.push({ metric, baseline: b, candidate: c, ratio, change, verdict });
  }
  const verdict: Verdict = metrics.some((m) => m.verdict === 'regression')
    ? 'regression'
    : metrics.some((m) => m.verdict === 'improvement')
      ? 'improvement'
      : 'pass';
  return { tolerance, metrics, verdict, skipped };
}

export function renderComparison(c: Comparison, names: { baseline: string; candidate: string }): string {
  const fmt = (metric: keyof Figures, v: number) =>
    metric === 'mfu' ? `${(v * 100).toFixed(2)}%` : metric === 'tokensPerS' ? Math.round(v).toString() : v.toPrecision(4);
  const lines = [
    `| Metric | ${names.baseline} (baseline) | ${names.candidate} | ratio | change | verdict |`,
    '|---|---:|---:|---:|---:|---|',
    ...c.metrics.map((m) => `| ${m.metric} | ${fmt(m.metric, m.baseline)} | ${fmt(m.metric, m.candidate)} | ${m.ratio.toFixed(3)} | ${(m.change * 100).toFixed(1)}% | ${m.verdict} |`),
  ];
  if (c.metrics.length === 0) lines.push('(no metric present on both sides)');
  lines.push('', `verdict: ${c.verdict} (tolerance ±${(c.tolerance * 100).toFixed(1)}%, positive change = better)`);
  for (const s of c.skipped) lines.push(`  not compared: ${s}`);
  return lines.join('\n') + '\n';
}
