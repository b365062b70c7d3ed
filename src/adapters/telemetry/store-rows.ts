// Converts between parsed samples and the results store's telemetry rows (source 'dmon' | 'query-gpu' | 'vmstat';
// GPU fields in columns, pviol and CPU percentages in metrics).
import type { CpuSample, GpuSample } from '../../core/telemetry/index.ts';
import type { TelemetryRow, TelemetrySample } from '../store/index.ts';

const MIB = 1024 * 1024;

export function toStoreSamples(gpu: GpuSample[], cpu: CpuSample[], node: string, gpuSource = 'dmon'): TelemetrySample[] {
  const rows: TelemetrySample[] = [];
  for (const s of gpu) {
    if (s.t === null) continue;
    rows.push({
      source: gpuSource, ts: s.t, node, gpu: s.gpu, utilPct: s.util, memUtilPct: s.memUtil, powerW: s.powerW,
      memUsedBytes: s.memUsedMiB === null ? null : s.memUsedMiB * MIB, smClockMhz: s.smClockMHz, tempC: s.tempC,
      metrics: { ...(s.pviolPct !== null ? { pviol: s.pviolPct } : {}), ...(s.powerLimitW !== null ? { powerLimitW: s.powerLimitW } : {}) },
    });
  }
  for (const c of cpu) {
    if (c.t === null) continue;
    rows.push({ source: 'vmstat', ts: c.t, node, metrics: { us: c.us, sy: c.sy, id: c.id, wa: c.wa, st: c.st, r: c.r, freeKiB: c.freeKiB } });
  }
  return rows;
}

const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function fromStoreRows(rows: readonly TelemetryRow[]): { gpu: GpuSample[]; cpu: CpuSample[] } {
  const gpu: GpuSample[] = [];
  const cpu: CpuSample[] = [];
  for (const r of rows) {
    if (r.source === 'vmstat' || r.gpu < 0) {
      const m = r.metrics;
      cpu.push({ t: r.ts, us: n(m.us), sy: n(m.sy), id: n(m.id), wa: n(m.wa), st: n(m.st), r: n(m.r), freeKiB: n(m.freeKiB) });
    } else {
      gpu.push({
        t: r.ts, gpu: r.gpu, util: r.utilPct, memUtil: r.memUtilPct, powerW: r.powerW,
        memUsedMiB: r.memUsedBytes === null ? null : r.memUsedBytes / MIB, smClockMHz: r.smClockMhz, tempC: r.tempC,
        pviolPct: n(r.metrics.pviol), powerLimitW: n(r.metrics.powerLimitW),
      });
    }
  }
  return { gpu, cpu };
}
