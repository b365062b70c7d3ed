// The telemetry door: pure parsers for dmon / vmstat / query-gpu captures, and the join to training steps.
export type { GpuSample, CpuSample, ParseOutcome, ClockNote } from './types.ts';
export { parseDmon, type DmonOptions } from './dmon.ts';
export { parseVmstat, type VmstatOptions } from './vmstat.ts';
export { parseQueryGpuCsv } from './query-gpu.ts';
export { detectTelemetry, type TelemetryKind } from './detect.ts';
export { localToUnix, localDate } from './clock.ts';
export { alignTelemetry, samplePeriod, mean } from './align.ts';
export type { StepTiming, AlignedStep, AlignedTelemetry, GpuPoint, CpuPoint } from './align.ts';
export { renderTelemetrySnippet, VMSTAT_ARGS, DMON_ARGS, type SnippetOptions } from './snippet.ts';
