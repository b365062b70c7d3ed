// Converters from what the parsers produce (core/ingest step records, core/telemetry samples) to store rows, so an
// importer writes `store.importRun({ run, steps: stepsFromRecords(parsed.steps), telemetry: [...] })`.
import type { StepRecord } from '../../core/ingest/types.ts';
import type { CpuSample, GpuSample } from '../../core/telemetry/types.ts';
import type { StepInput, TelemetrySample } from './types.ts';

const MIB = 1024 * 1024;

/** Log step records in log order; a step counter going back (a resume) becomes the next attempt in appendSteps. */
export function stepsFromRecords(records: readonly StepRecord[]): StepInput[] {
  return records.map((r) => ({
    step: r.step,
    timeS: r.stepTimeS ?? null,
    loss: r.loss ?? null,
    peakMemoryBytes: r.peakMemoryBytes ?? null,
    consumedSamples: r.consumedSamples ?? null,
    timestamp: r.time === undefined ? null : new Date(r.time * 1000).toISOString(),
  }));
}

/** dmon / query-gpu samples; samples without a time (a capture without date columns) cannot be keyed and are left out. */
export function telemetryFromGpu(samples: readonly GpuSample[], node = '', source = 'dmon'): TelemetrySample[] {
  return samples.flatMap((s) =>
    s.t === null
      ? []
      : [{
          source, node, gpu: s.gpu, ts: s.t, utilPct: s.util, memUtilPct: s.memUtil, powerW: s.powerW,
          memUsedBytes: s.memUsedMiB === null ? null : Math.round(s.memUsedMiB * MIB), smClockMhz: s.smClockMHz,
          tempC: s.tempC, metrics: { pviolPct: s.pviolPct, powerLimitW: s.powerLimitW },
        }],
  );
}

export function telemetryFromCpu(samples: readonly CpuSample[], node = ''): TelemetrySample[] {
  return samples.flatMap(({ t, ...metrics }) => (t === null ? [] : [{ source: 'vmstat', node, ts: t, metrics }]));
}
