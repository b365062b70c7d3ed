// Telemetry lanes: GPU util, power (with the power cap), memory, SM clock, CPU us/sy/wa. Drawn per training step
// when samples could be joined to steps; over wall-clock time otherwise, with the reason stated.
import type { AlignedStep, AlignedTelemetry } from '../telemetry/align.ts';
import { baseOption, line, withLegend, type Point } from './chart-base.ts';
import type { ChartSpec, ReportInput } from './types.ts';

type Lane = {
  id: string; title: string; unit: string;
  pick: (s: AlignedStep) => number | null;
  fromSeries: (t: AlignedTelemetry) => Point[];
  /** The lowest GPU, drawn beside the mean when there are several GPUs. */
  lowest?: { pick: (s: AlignedStep) => number | null; fromSeries: (t: AlignedTelemetry) => Point[] };
};

const ms = (t: number) => Math.round(t * 1000);
const lanes: Lane[] = [
  { id: 'gpu-util', title: 'GPU utilisation', unit: 'SM busy %', pick: (s) => s.gpuUtil, fromSeries: (t) => t.gpuSeries.map((p) => [ms(p.t), p.util]),
    lowest: { pick: (s) => s.gpuUtilMin, fromSeries: (t) => t.gpuSeries.map((p) => [ms(p.t), p.utilMin]) } },
  { id: 'gpu-power', title: 'GPU power', unit: 'W', pick: (s) => s.powerW, fromSeries: (t) => t.gpuSeries.map((p) => [ms(p.t), p.powerW]) },
  { id: 'gpu-memory', title: 'GPU memory used', unit: 'MiB', pick: (s) => s.memUsedMiB, fromSeries: (t) => t.gpuSeries.map((p) => [ms(p.t), p.memUsedMiB]) },
  { id: 'sm-clock', title: 'SM clock', unit: 'MHz', pick: (s) => s.smClockMHz, fromSeries: (t) => t.gpuSeries.map((p) => [ms(p.t), p.smClockMHz]),
    lowest: { pick: (s) => s.smClockMin, fromSeries: (t) => t.gpuSeries.map((p) => [ms(p.t), p.smClockMin]) } },
];

const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

/** Power-capped samples (dmon pviol > 0) as red markers drawn over the line, and the cap itself when known. */
function powerExtras(t: AlignedTelemetry, perStep: boolean, steps: AlignedStep[]): { series: unknown[]; markLine?: unknown } {
  const capped: Point[] = perStep
    ? steps.filter((s) => s.powerCapped).map((s) => [s.step, round(s.powerW)])
    : t.gpuSeries.filter((p) => (p.pviolPct ?? 0) > 0).map((p) => [ms(p.t), round(p.powerW)]);
  const series = capped.length ? [{ name: 'power-capped (pviol > 0)', type: 'scatter', data: capped, symbolSize: 7, z: 5, itemStyle: { color: '#d9534f' } }] : [];
  if (t.powerLimitW === null) return { series };
  const label = { formatter: `power cap ${t.powerLimitW} W`, position: 'insideEndTop' };
  return { series, markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#d9534f' }, label, data: [{ yAxis: t.powerLimitW }] } };
}

export function telemetryCharts(input: ReportInput): ChartSpec[] {
  const t = input.telemetry;
  if (!t || (t.gpuSeries.length === 0 && t.cpuSeries.length === 0)) {
    return [{ id: 'telemetry', title: 'Telemetry', option: null, empty: 'No telemetry was captured for this run (no nvidia-smi dmon or vmstat files, or none with timestamps). Capture runs `vmstat -t 1` and `nvidia-smi dmon -o DT -s pucvmet -d 1` beside the job.' }];
  }
  const joined = t.perStep.filter((s) => s.gpuSamples + s.cpuSamples > 0);
  const perStep = joined.length > 0;
  const why = input.steps.length === 0
    ? 'No training steps to align to'
    : input.steps.every((s) => s.time === null)
      ? 'The log gives no wall-clock time per step'
      : 'No telemetry sample falls inside a step (check --utc-offset: captures print local time)';
  const note = perStep
    ? `Samples joined to steps by wall-clock time (UTC offset ${t.clock.utcOffsetHours} h${t.clock.zone ? `, capture zone ${t.clock.zone}` : ''})${t.gpuCount ? `; GPU values are the mean over ${t.gpuCount} GPU${t.gpuCount === 1 ? '' : 's'}` : ''}.`
    : `${why}: plotted over wall-clock time instead.`;
  const base = (unit: string) => (perStep ? baseOption(unit) : baseOption(unit, 'time', 'time'));
  const charts: ChartSpec[] = [];
  if (t.gpuSeries.length === 0) {
    charts.push({ id: 'gpu', title: 'GPU telemetry', option: null, empty: 'No GPU samples: nvidia-smi was not found on the node, or its dmon file is empty.' });
  } else {
    for (const lane of lanes) {
      const data = perStep ? joined.map((s): Point => [s.step, round(lane.pick(s))]) : lane.fromSeries(t);
      if (data.every((p) => p[1] === null)) {
        charts.push({ id: lane.id, title: lane.title, option: null, empty: `The capture has no ${lane.title.toLowerCase()} column (dmon -s groups).` });
        continue;
      }
      const extras = lane.id === 'gpu-power' ? powerExtras(t, perStep, joined) : { series: [] };
      const multi = t.gpuCount > 1;
      const main = line(multi ? `${lane.title} (mean of ${t.gpuCount} GPUs)` : lane.title, data, extras.markLine ? { markLine: extras.markLine } : {});
      const lowest = multi && lane.lowest
        ? [line('lowest GPU', perStep ? joined.map((s): Point => [s.step, round(lane.lowest!.pick(s))]) : lane.lowest.fromSeries(t), { lineStyle: { type: 'dashed' } })]
        : [];
      charts.push({ id: lane.id, title: lane.title, option: withLegend({ ...base(lane.unit), series: [main, ...lowest, ...extras.series] }), empty: null, note });
    }
  }
  if (t.cpuSeries.length === 0) {
    charts.push({ id: 'cpu', title: 'CPU', option: null, empty: 'No vmstat samples with timestamps (vmstat needs -t).' });
  } else {
    const cpu = (name: string, pick: (s: AlignedStep) => number | null, key: 'us' | 'sy' | 'wa') =>
      line(name, perStep ? joined.map((s): Point => [s.step, round(pick(s))]) : t.cpuSeries.map((p): Point => [ms(p.t), p[key]]), { stack: undefined });
    const option = withLegend({ ...base('% CPU'), series: [cpu('user', (s) => s.cpuUs, 'us'), cpu('system', (s) => s.cpuSy, 'sy'), cpu('iowait', (s) => s.cpuWa, 'wa')] });
    charts.push({ id: 'cpu', title: 'CPU (vmstat us / sy / wa)', option, empty: null, note });
  }
  return charts;
}
