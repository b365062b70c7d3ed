// Joins telemetry to training steps by wall-clock time. A step runs over [end - step_time, end]; a sample stamped t
// describes the interval (t - period, t] before it, so a step takes every sample whose interval overlaps its own.
// Short steps (0.2 s) then share the one 1-s sample that covers them, which is the honest resolution.
import type { ClockNote, CpuSample, GpuSample } from './types.ts';

export interface StepTiming {
  step: number;
  /** Unix seconds at the end of the step (TRAINBENCH_EVENT `time`). */
  end: number;
  stepTimeS: number;
}

export interface AlignedStep {
  step: number;
  gpuUtil: number | null;
  powerW: number | null;
  memUsedMiB: number | null;
  smClockMHz: number | null;
  /** The lowest GPU (min over GPUs of each sample, averaged over the step): a straggler or a capped GPU shows here. */
  gpuUtilMin: number | null;
  smClockMin: number | null;
  /** Any overlapping dmon sample with pviol > 0; null when the capture has no pviol column. */
  powerCapped: boolean | null;
  cpuUs: number | null;
  cpuSy: number | null;
  cpuWa: number | null;
  cpuId: number | null;
  gpuSamples: number;
  cpuSamples: number;
}

export interface GpuPoint { t: number; util: number | null; powerW: number | null; memUsedMiB: number | null; smClockMHz: number | null; pviolPct: number | null; utilMin: number | null; smClockMin: number | null }
export interface CpuPoint { t: number; us: number | null; sy: number | null; wa: number | null; id: number | null }

export interface AlignedTelemetry {
  clock: ClockNote;
  perStep: AlignedStep[];
  /** Samples averaged over GPUs per timestamp, for time-axis plots. */
  gpuSeries: GpuPoint[];
  cpuSeries: CpuPoint[];
  powerLimitW: number | null;
  gpuCount: number;
  warnings: string[];
}

export const mean = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length;
};

function countBy<T>(xs: T[], key: (x: T) => number): Map<number, number> {
  const m = new Map<number, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

const min = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : Math.min(...v);
};

/** Median gap between distinct timestamps: the sampling period (1 s for `-d 1`, vmstat 1). */
export function samplePeriod(times: number[]): number {
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((t, i) => t - (sorted[i] ?? t)).sort((a, b) => a - b);
  return gaps.length === 0 ? 1 : (gaps[Math.floor(gaps.length / 2)] ?? 1);
}

function gpuSeries(samples: GpuSample[]): GpuPoint[] {
  const byT = new Map<number, GpuSample[]>();
  for (const s of samples) if (s.t !== null) byT.set(s.t, [...(byT.get(s.t) ?? []), s]);
  return [...byT.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, g]) => ({
      t,
      util: mean(g.map((s) => s.util)),
      powerW: mean(g.map((s) => s.powerW)),
      memUsedMiB: mean(g.map((s) => s.memUsedMiB)),
      smClockMHz: mean(g.map((s) => s.smClockMHz)),
      pviolPct: mean(g.map((s) => s.pviolPct)),
      utilMin: min(g.map((s) => s.util)),
      smClockMin: min(g.map((s) => s.smClockMHz)),
    }));
}

/** First index whose t is > `after` (binary search; `points` sorted by t). */
function firstAfter(points: { t: number }[], after: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.t > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Points whose (t - period, t] overlaps [start, end], i.e. start < t < end + period; O(log n + k) per step. */
function overlapping<T extends { t: number }>(points: T[], start: number, end: number, period: number): T[] {
  const out: T[] = [];
  for (let i = firstAfter(points, start); i < points.length && points[i]!.t < end + period; i++) out.push(points[i]!);
  return out;
}

export function alignTelemetry(
  steps: StepTiming[],
  gpu: GpuSample[],
  cpu: CpuSample[],
  clock: ClockNote,
  warnings: string[] = [],
): AlignedTelemetry {
  const gSeries = gpuSeries(gpu);
  const cSeries: CpuPoint[] = cpu
    .filter((c): c is CpuSample & { t: number } => c.t !== null)
    .map((c) => ({ t: c.t, us: c.us, sy: c.sy, wa: c.wa, id: c.id }))
    .sort((a, b) => a.t - b.t);
  const gPeriod = samplePeriod(gSeries.map((p) => p.t));
  const cPeriod = samplePeriod(cSeries.map((p) => p.t));
  const hasPviol = gpu.some((s) => s.pviolPct !== null);
  const perStep = steps.map((s): AlignedStep => {
    const start = s.end - s.stepTimeS;
    const g = overlapping(gSeries, start, s.end, gPeriod);
    const c = overlapping(cSeries, start, s.end, cPeriod);
    return {
      step: s.step,
      gpuUtil: mean(g.map((p) => p.util)),
      powerW: mean(g.map((p) => p.powerW)),
      memUsedMiB: mean(g.map((p) => p.memUsedMiB)),
      smClockMHz: mean(g.map((p) => p.smClockMHz)),
      gpuUtilMin: mean(g.map((p) => p.utilMin)),
      smClockMin: mean(g.map((p) => p.smClockMin)),
      powerCapped: hasPviol && g.length > 0 ? g.some((p) => (p.pviolPct ?? 0) > 0) : null,
      cpuUs: mean(c.map((p) => p.us)),
      cpuSy: mean(c.map((p) => p.sy)),
      cpuWa: mean(c.map((p) => p.wa)),
      cpuId: mean(c.map((p) => p.id)),
      gpuSamples: g.length,
      cpuSamples: c.length,
    };
  });
  const out = [...warnings];
  const untimed = gpu.filter((s) => s.t === null).length + cpu.filter((s) => s.t === null).length;
  if (untimed > 0) out.push(`${untimed} samples have no timestamp and cannot be joined to steps`);
  if (steps.length > 0 && (gSeries.length > 0 || cSeries.length > 0) && perStep.every((p) => p.gpuSamples + p.cpuSamples === 0)) {
    out.push('no telemetry sample falls inside any step: check --utc-offset (captures print local time)');
  }
  const limits = gpu.map((s) => s.powerLimitW).filter((x): x is number => x !== null);
  return {
    clock,
    perStep,
    gpuSeries: gSeries,
    cpuSeries: cSeries,
    powerLimitW: limits.length ? Math.max(...limits) : null,
    // GPUs reporting at one instant (indexes repeat across nodes, so distinct indexes would undercount).
    gpuCount: Math.max(0, ...[...countBy(gpu.filter((s) => s.t !== null), (s) => s.t as number).values()], new Set(gpu.filter((s) => s.t === null).map((s) => s.gpu)).size),
    warnings: out,
  };
}
