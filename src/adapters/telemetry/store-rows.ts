// Stored telemetry rows -> samples for the join to steps. (The other direction is the store's telemetryFromGpu /
// telemetryFromCpu: GPU fields in columns, pviolPct/powerLimitW and the CPU percentages in metrics.)
import type { CpuSample, GpuSample } from '../../core/telemetry/index.ts';
import { telemetryFromCpu, telemetryFromGpu, type TelemetryRow, type TelemetrySample } from '../store/index.ts';
import type { TelemetryFiles } from './read-dir.ts';

const MIB = 1024 * 1024;

/** Samples -> store rows for one node (the store's own converters; kept here for callers of the telemetry door). */
export function toStoreSamples(gpu: GpuSample[], cpu: CpuSample[], node: string, gpuSource = 'dmon'): TelemetrySample[] {
  return [...telemetryFromGpu(gpu, node, gpuSource), ...telemetryFromCpu(cpu, node)];
}

/**
 * Store rows for everything a telemetry directory held, each sample under its capture's node (from the file name),
 * else `fallbackNode`: two nodes' vmstat rows of the same second are two rows, not one key stored once.
 */
export function storeSamplesOf(tel: Pick<TelemetryFiles, 'byFile'>, fallbackNode: string): TelemetrySample[] {
  const rows: TelemetrySample[] = [];
  for (const f of tel.byFile) for (const row of toStoreSamples(f.gpu, f.cpu, f.node ?? fallbackNode)) rows.push(row);
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
        pviolPct: n(r.metrics.pviolPct) ?? n(r.metrics.pviol), powerLimitW: n(r.metrics.powerLimitW),
      });
    }
  }
  return { gpu, cpu };
}
