// The shapes the store reads and writes. Evolving shapes (the run spec, the measured result, diagnoses, event bodies)
// are kept as JSON; the columns the CLI and dashboard filter and sort on are denormalised beside them.
import { JOB_STATES } from '../../core/jobs/state.ts';

/** A stored run is in one of the job states, or IMPORTED (ingested from a log, never launched by trainbench). */
export const RUN_STATES = [...JOB_STATES, 'IMPORTED'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** What a caller knows when it records a run; everything but `name` may be filled in later. */
export interface NewRun {
  id?: string;
  name: string;
  state?: RunState;
  recipeId?: string | null;
  engine?: string | null;
  executor?: string | null;
  jobId?: string | null;
  reason?: string | null;
  model?: string | null;
  gpu?: string | null;
  numGpus?: number | null;
  dtype?: string | null;
  task?: string | null;
  seqLen?: number | null;
  gbs?: number | null;
  createdAt?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  runDir?: string | null;
  sourceLog?: string | null;
  spec?: unknown;
  diagnosis?: unknown;
}

export type RunPatch = Omit<NewRun, 'id' | 'name' | 'createdAt'> & { name?: string };

/** Figures lifted out of a result for sorting and filtering; the whole result stays in `result`. */
export interface ResultSummary {
  stepTimeS: number | null;
  tokensPerS: number | null;
  mfu: number | null;
}

export interface RunRecord extends ResultSummary {
  id: string;
  name: string;
  state: RunState;
  recipeId: string | null;
  engine: string | null;
  executor: string | null;
  jobId: string | null;
  reason: string | null;
  model: string | null;
  gpu: string | null;
  numGpus: number | null;
  dtype: string | null;
  task: string | null;
  seqLen: number | null;
  gbs: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  runDir: string | null;
  sourceLog: string | null;
  spec: unknown;
  result: unknown;
  diagnosis: unknown;
}

export interface StepInput {
  step: number;
  /** Restart segment: a requeued job that repeats steps 51..100 writes them under the next attempt. */
  attempt?: number;
  timeS?: number | null;
  loss?: number | null;
  peakMemoryBytes?: number | null;
  consumedSamples?: number | null;
  /** ISO time or epoch seconds as the log printed it. */
  timestamp?: string | null;
}

export interface StepRow {
  step: number;
  attempt: number;
  timeS: number | null;
  loss: number | null;
  peakMemoryBytes: number | null;
  consumedSamples: number | null;
  timestamp: string | null;
}

export interface AppendResult {
  inserted: number;
  /** Already stored with identical values: re-ingesting a log is a no-op. */
  duplicates: number;
  /** Already stored with different values: kept as stored, never overwritten silently; the caller decides. */
  conflicts: StepRow[];
}

export interface TelemetrySample {
  source: string;
  /** Epoch seconds. */
  ts: number;
  node?: string;
  /** GPU index; omitted for host-level sources such as vmstat. */
  gpu?: number;
  utilPct?: number | null;
  memUtilPct?: number | null;
  powerW?: number | null;
  memUsedBytes?: number | null;
  smClockMhz?: number | null;
  memClockMhz?: number | null;
  tempC?: number | null;
  /** Everything else the source reported. */
  metrics?: Record<string, unknown>;
}

export interface TelemetryRow extends Required<Omit<TelemetrySample, 'metrics'>> {
  metrics: Record<string, unknown>;
}

export interface Verdict {
  against: string;
  metric: string;
  ratio: number | null;
  verdict: string;
  createdAt?: string;
}

export interface RunEvent {
  kind: string;
  ts?: string;
  data?: unknown;
}

export interface RunFilter {
  model?: string;
  gpu?: string;
  recipe?: string;
  state?: RunState;
  engine?: string;
  /** Case-insensitive substring of the run name. */
  name?: string;
}

export interface ListOptions extends RunFilter {
  /** A field of SORT_FIELDS; `-field` sorts descending. Default `-created`. */
  sort?: string;
  limit?: number;
  offset?: number;
}

export interface ImportedRun {
  run: NewRun;
  steps?: StepInput[];
  result?: unknown;
  telemetry?: TelemetrySample[];
  events?: RunEvent[];
}
