// Telemetry samples as data. Missing values are null (dmon prints `-` for "not supported"), never 0, so averages
// skip them instead of being dragged down.

/** One GPU at one instant: from `nvidia-smi dmon` or `nvidia-smi --query-gpu ... --format=csv`. */
export interface GpuSample {
  /** Unix seconds (UTC), or null when the capture had no date/time columns. */
  t: number | null;
  gpu: number;
  /** SM busy % (dmon `sm`, query `utilization.gpu`). */
  util: number | null;
  /** Memory-controller busy % (dmon `mem`, query `utilization.memory`): not memory used. */
  memUtil: number | null;
  powerW: number | null;
  /** Frame-buffer memory used, MiB (dmon `fb` is MB as MiB; query `memory.used`). */
  memUsedMiB: number | null;
  smClockMHz: number | null;
  tempC: number | null;
  /** dmon `pviol`: % of the interval the GPU was held back by its power cap. */
  pviolPct: number | null;
  /** Power limit in W when the capture states it (query `power.limit`). */
  powerLimitW: number | null;
}

/** One vmstat interval. */
export interface CpuSample {
  t: number | null;
  us: number | null;
  sy: number | null;
  id: number | null;
  wa: number | null;
  st: number | null;
  /** Runnable processes and free memory (KiB at vmstat's default unit). */
  r: number | null;
  freeKiB: number | null;
}

export interface ParseOutcome<T> {
  samples: T[];
  /** Human-readable notes on lines that were skipped; a corrupt file yields warnings and partial data. */
  warnings: string[];
}

/** How local wall-clock timestamps were turned into UTC: recorded in every report. */
export interface ClockNote {
  utcOffsetHours: number;
  /** Time-zone name printed by the capture (vmstat -t header), when there was one. */
  zone: string | null;
}
