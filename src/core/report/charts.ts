// The report's charts as echarts options: step time with the averaging window, loss, baseline comparison, scaling.
import { baseOption, line, withLegend, type Point } from './chart-base.ts';
import { telemetryCharts } from './telemetry-charts.ts';
import type { ChartSpec, ReportInput, ScalingPoint } from './types.ts';

const empty = (id: string, title: string, why: string): ChartSpec => ({ id, title, option: null, empty: why });

export function stepTimeChart(input: ReportInput): ChartSpec {
  const data: Point[] = input.steps.filter((s) => s.stepTimeS !== null).map((s) => [s.step, s.stepTimeS]);
  if (data.length === 0) {
    return empty('step-time', 'Step time', input.steps.length === 0
      ? 'No training steps were found: the log has no step lines yet (run still starting, or it failed before step 1).'
      : 'Steps were logged but none carried a step time, so there is nothing to plot.');
  }
  const w = input.window;
  const markArea = w ? { silent: true, itemStyle: { color: 'rgba(80,140,255,0.12)' }, label: { show: true, position: 'insideTop' },
    data: [[{ name: `averaging window ${w.from}-${w.to}`, xAxis: w.from }, { xAxis: w.to }]] } : undefined;
  return {
    id: 'step-time',
    title: 'Step time',
    option: { ...baseOption('seconds per step'), series: [line('step time (s)', data, markArea ? { markArea } : {})] },
    empty: null,
    note: w ? `Shaded: the steps averaged for the headline figures (${w.from} to ${w.to}).` : 'No averaging window was recorded.',
  };
}

export function lossChart(input: ReportInput): ChartSpec {
  const data: Point[] = input.steps.filter((s) => s.loss !== null).map((s) => [s.step, s.loss]);
  if (data.length === 0) return empty('loss', 'Loss', 'No loss values were logged for these steps.');
  return { id: 'loss', title: 'Loss', option: { ...baseOption('loss'), series: [line('loss', data)] }, empty: null };
}

export function baselineChart(input: ReportInput): ChartSpec {
  const b = input.baseline;
  const m = input.metrics ?? {};
  if (!b) return empty('baseline', 'Against the baseline', 'No baseline was given for this run.');
  // Each metric as a percentage of the baseline (higher is better for throughput and MFU, lower for step time).
  const rows = [
    ['step time', m.stepTimeS, b.stepTimeS],
    ['tokens/s', m.tokensPerS, b.tokensPerS],
    ['MFU', m.mfu, b.mfu],
  ].filter((r): r is [string, number, number] => typeof r[1] === 'number' && typeof r[2] === 'number' && r[2] !== 0);
  if (rows.length === 0) return empty('baseline', 'Against the baseline', `Baseline '${b.label}' shares no measured metric with this run.`);
  return {
    id: 'baseline',
    title: `Against the baseline (${b.label})`,
    option: {
      animation: false,
      grid: { left: 64, right: 24, top: 36, bottom: 32 },
      legend: { top: 4, right: 8 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: rows.map((r) => r[0]) },
      yAxis: { type: 'value', name: '% of baseline' },
      series: [
        { name: 'this run', type: 'bar', data: rows.map((r) => Number(((r[1] / r[2]) * 100).toFixed(1))), label: { show: true, position: 'top' } },
        { name: b.label, type: 'bar', data: rows.map(() => 100) },
      ],
    },
    empty: null,
    note: 'Bars are this run as a percentage of the baseline; for step time lower is better.',
  };
}

export function scalingChart(points: ScalingPoint[] | undefined, published: ScalingPoint[] = []): ChartSpec | null {
  if (!points || points.length === 0) return null;
  const sorted = [...points].sort((a, b) => a.gpus - b.gpus);
  if (sorted.length < 2) return empty('scaling', 'Scaling across GPU counts', 'Only one GPU count has been measured for this recipe; scaling needs two or more.');
  const first = sorted[0]!;
  const perGpu = first.tokensPerS / first.gpus;
  const option = withLegend({
    ...baseOption('tokens per second', 'GPUs'),
    yAxis: [{ type: 'value', name: 'tokens/s', scale: false }, { type: 'value', name: 'MFU %', min: 0, max: 100 }],
    series: [
      line('tokens/s', sorted.map((p): Point => [p.gpus, p.tokensPerS])),
      line('ideal linear', sorted.map((p): Point => [p.gpus, perGpu * p.gpus]), { lineStyle: { type: 'dashed' }, showSymbol: false }),
      line('MFU %', sorted.map((p): Point => [p.gpus, p.mfu === null ? null : p.mfu * 100]), { yAxisIndex: 1 }),
      ...(published.length ? [line('published tokens/s', [...published].sort((a, b) => a.gpus - b.gpus).map((p): Point => [p.gpus, p.tokensPerS]), { lineStyle: { type: 'dotted' }, itemStyle: { color: '#888' } })] : []),
    ],
  });
  return { id: 'scaling', title: 'Scaling across GPU counts', option, empty: null, note: `Ideal linear: ${Math.round(perGpu)} tokens/s per GPU from the ${first.gpus}-GPU run.` };
}

export function buildCharts(input: ReportInput): ChartSpec[] {
  const charts = [stepTimeChart(input), lossChart(input), ...telemetryCharts(input), baselineChart(input)];
  const scaling = scalingChart(input.scaling, input.scalingPublished);
  return scaling ? [...charts, scaling] : charts;
}
