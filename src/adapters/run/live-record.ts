// While an attempt runs, its steps and telemetry go to the store as they are logged, so the dashboard draws a live
// run (it polls the store). Two rules keep the live rows equal to what the attempt's final parse stores (the store
// never overwrites a step with different values):
// - only complete lines are read (a rank or sampler may be half-way through a line);
// - a step is stored once a later step has been logged: the workload prints the step line, then the step's event
//   line with its wall-clock time, and the newest step may still be waiting for it.
// Re-reading a growing log costs its size, so a pass runs at most every `intervalMs`, stretched to 20x the cost of
// the previous pass: the ranks keep the CPU on long runs.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { hostname } from 'node:os';
import { findParser } from '../../core/ingest/index.ts';
import type { StepRecord } from '../../core/ingest/index.ts';
import type { Store } from '../store/index.ts';
import { readTelemetryDir } from '../telemetry/read-dir.ts';
import { toStoreSamples } from '../telemetry/store-rows.ts';
import { stepRows } from './attempts.ts';

export interface LiveRecorder {
  /** Called on every poll of the attempt's job; does a pass when one is due. Never throws. */
  poll(attempt: number, logFile: string): void;
  /** Passes done and steps stored so far (for tests and the closing note). */
  readonly passes: number;
  readonly stepsStored: number;
}

export interface LiveOptions {
  intervalMs?: number;
  /** Telemetry directory read on each pass (local runs: trainbench's samplers; Slurm: the batch script's). */
  telemetryDir?: string;
  now?: () => number;
}

const MAX_LIVE_BYTES = 256 * 1024 * 1024;

/** The file's text up to and including its last newline (nothing when it holds no complete line). */
export function completeLines(file: string): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = Math.min(fstatSync(fd).size, MAX_LIVE_BYTES);
    const buf = Buffer.allocUnsafe(size);
    const read = size ? readSync(fd, buf, 0, size, 0) : 0;
    const end = buf.lastIndexOf(10, read - 1);
    if (end < 0) return [];
    return buf.toString('utf8', 0, end).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  } finally {
    closeSync(fd);
  }
}

/** Steps of the complete lines of a reference-workload log, without the newest (still open) one. */
export function settledSteps(lines: readonly string[]): StepRecord[] {
  const sink = findParser('workload')!.create();
  for (const line of lines) sink.push(line);
  return sink.end().steps.slice(0, -1);
}

export function liveRecorder(store: Store, runId: string, o: LiveOptions = {}): LiveRecorder {
  const now = o.now ?? Date.now;
  const interval = o.intervalMs ?? 2000;
  let due = 0;
  let passes = 0;
  let stepsStored = 0;
  const node = hostname().split('.')[0] ?? 'host';
  const pass = (attempt: number, logFile: string) => {
    const steps = settledSteps(completeLines(logFile));
    if (steps.length) {
      stepsStored += store.appendSteps(runId, stepRows(steps, attempt), { attempt }).inserted;
    }
    if (o.telemetryDir) {
      const tel = readTelemetryDir(o.telemetryDir, -new Date().getTimezoneOffset() / 60, null, { completeLinesOnly: true });
      if (tel.cpu.length || tel.gpu.length) store.addTelemetry(runId, toStoreSamples(tel.gpu, tel.cpu, node));
    }
  };
  return {
    poll(attempt, logFile) {
      const start = now();
      if (start < due) return;
      try {
        pass(attempt, logFile);
      } catch {
        // Live rows are a preview: the attempt's final parse stores everything and reports its errors.
      }
      passes += 1;
      due = now() + Math.max(interval, 20 * (now() - start));
    },
    get passes() {
      return passes;
    },
    get stepsStored() {
      return stepsStored;
    },
  };
}
