// A run may take several jobs (attempts): the first submission and each resubmission after a preemption, time limit
// or node failure. `<runDir>/attempts.json` lists them (job id, log, outcome, step range) and `<runDir>/store-run.json`
// names the stored run, so a later `trainbench status`/`logs -f` (after trainbench itself died) can finish the record.
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedRecipe } from '../../core/catalog/index.ts';
import type { LogEvent, StepRecord } from '../../core/ingest/index.ts';
import type { JobState } from '../../core/jobs/state.ts';
import { CANCEL_FILE, EXIT_FILE } from '../executors/local-supervisor.ts';
import type { JobHandle } from '../executors/types.ts';
import type { ParsedLog } from '../ingest/index.ts';
import type { StepInput, Store } from '../store/index.ts';
import { measureWorkloadRun, type Measured } from './measure-run.ts';

export const ATTEMPTS_FILE = 'attempts.json';
export const STORE_RUN_FILE = 'store-run.json';

export interface AttemptRecord {
  attempt: number;
  jobId: string;
  logFile: string;
  state?: JobState;
  stepsLogged?: number;
  firstStep?: number;
  lastStep?: number;
  /** The step the workload resumed from (its `start` event), null for a fresh start. */
  resumedFrom?: number | null;
  /** The workload's `preempted` event: it checkpointed on a signal and exited. */
  preempted?: { signal: string; step: number; checkpoint: string | null };
}

const writeJson = (file: string, value: unknown): void => {
  writeFileSync(`${file}.tmp`, JSON.stringify(value, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
};

export function readAttempts(runDir: string): AttemptRecord[] {
  const file = join(runDir, ATTEMPTS_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AttemptRecord[]) : [];
}

export function saveAttempt(runDir: string, record: AttemptRecord): AttemptRecord[] {
  const list = readAttempts(runDir).filter((a) => a.attempt !== record.attempt);
  list.push(record);
  list.sort((a, b) => a.attempt - b.attempt);
  writeJson(join(runDir, ATTEMPTS_FILE), list);
  return list;
}

/** The stored run's id and the `trainbench run` process that owns it (pid, boot-relative start time). */
export interface StoreRunFile {
  runId: string;
  pid: number;
  startTicks?: string;
}

const startTicks = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
};

export function writeStoreRun(runDir: string, runId: string): void {
  const ticks = startTicks(process.pid);
  writeJson(join(runDir, STORE_RUN_FILE), { runId, pid: process.pid, ...(ticks ? { startTicks: ticks } : {}) });
}

export function readStoreRun(runDir: string): StoreRunFile | undefined {
  const file = join(runDir, STORE_RUN_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as StoreRunFile;
}

/** Whether the `trainbench run` that owns the run still lives (same pid and start time: pids get reused). */
export function ownerAlive(owner: StoreRunFile): boolean {
  const ticks = startTicks(owner.pid);
  return ticks !== undefined && (owner.startTicks === undefined || ticks === owner.startTicks);
}

/** Step range, resume point and preemption of one attempt, from its parsed log. */
export function describeAttempt(parsed: ParsedLog): Pick<AttemptRecord, 'stepsLogged' | 'firstStep' | 'lastStep' | 'resumedFrom' | 'preempted'> {
  const steps = parsed.output.steps;
  const events: LogEvent[] = parsed.output.events ?? [];
  const start = events.find((e) => e.event === 'start');
  const pre = events.find((e) => e.event === 'preempted');
  const resumed = start?.data.resumed_from;
  return {
    stepsLogged: steps.length,
    ...(steps.length ? { firstStep: steps[0]!.step, lastStep: steps[steps.length - 1]!.step } : {}),
    ...(start ? { resumedFrom: typeof resumed === 'number' ? resumed : null } : {}),
    ...(pre
      ? { preempted: { signal: String(pre.data.signal), step: Number(pre.data.step), checkpoint: typeof pre.data.checkpoint === 'string' ? pre.data.checkpoint : null } }
      : {}),
  };
}

/** Parsed step records -> store rows under one attempt number. */
export const stepRows = (steps: readonly StepRecord[], attempt: number): StepInput[] =>
  steps.map((s) => ({
    step: s.step, timeS: s.stepTimeS ?? null, loss: s.loss ?? null, peakMemoryBytes: s.peakMemoryBytes ?? null,
    consumedSamples: s.consumedSamples ?? null, timestamp: s.time === undefined ? null : String(s.time), attempt,
  }));

/**
 * Appends an attempt's steps under its attempt number; the store skips steps it already holds (idempotent: the live
 * recorder stored most of them while the job ran). Returns the attempt's step count, not the rows newly inserted.
 */
export function storeAttemptSteps(store: Store, runId: string, attempt: number, parsed: ParsedLog): number {
  store.appendSteps(runId, stepRows(parsed.output.steps, attempt), { attempt });
  return parsed.output.steps.length;
}

/**
 * The local executor reuses its file names (log-rankN.out, job.exit) in the run directory: before a resubmission the
 * previous attempt's files move to `attempt-<n>/`, and its log path with them. Slurm logs carry the job id already.
 */
export function archiveLocalAttempt(handle: JobHandle, attempt: number): string {
  if (handle.executor !== 'local') return handle.logFile;
  const dir = join(handle.runDir, `attempt-${attempt}`);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(handle.runDir)) {
    if (/^log-rank\d+\.out$|^rank\d+\.(?:pid|exit)$|^supervisor\.(?:pid|log)$/.test(f) || f === EXIT_FILE || f === CANCEL_FILE) renameSync(join(handle.runDir, f), join(dir, f));
  }
  return join(dir, 'log-rank0.out');
}

/** One log of every attempt in order (`<runDir>/attempts.log`), measured as one run. */
export async function measureAttempts(runDir: string, attempts: readonly AttemptRecord[], recipe: ResolvedRecipe, home: string, threads: number): Promise<Measured | undefined> {
  const combined = join(runDir, 'attempts.log');
  writeFileSync(combined, '');
  for (const a of attempts) if (existsSync(a.logFile)) appendFileSync(combined, readFileSync(a.logFile));
  return measureWorkloadRun(recipe, combined, home, threads).catch(() => undefined);
}
