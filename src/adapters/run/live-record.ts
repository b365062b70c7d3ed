// While an attempt runs, its steps and telemetry go to the store as they are logged, so the dashboard draws a live
// run (it polls the store). Two rules keep the live rows equal to what the attempt's final parse stores (the store
// never overwrites a step with different values):
// - only complete lines are read (a rank or sampler may be half-way through a line);
// - a step is stored once a later step has been logged: the workload prints the step line, then the step's event
//   line with its wall-clock time, and the newest step may still be waiting for it.
// A pass reads the log from the newest settled step on, and runs at most every `intervalMs`, stretched to 20x the
// cost of the previous pass (telemetry files are re-read whole): the ranks keep the CPU on long runs.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { hostname } from 'node:os';
import { findParser } from '../../core/ingest/index.ts';
import type { StepRecord } from '../../core/ingest/index.ts';
import type { Store } from '../store/index.ts';
import { readTelemetryDir } from '../telemetry/read-dir.ts';
import { storeSamplesOf } from '../telemetry/store-rows.ts';
import { stepRows } from './attempts.ts';

export interface LiveRecorder {
  /** Called on every poll of the attempt's job; does a pass when one is due. Never throws. */
  poll(attempt: number, logFile: string): void;
  /** Passes done and steps stored so far (for tests and the closing note). */
  readonly passes: number;
  readonly stepsStored: number;
  /** Log bytes read over all passes (each pass reads from the newest settled step on). */
  readonly bytesRead: number;
}

export interface LiveOptions {
  intervalMs?: number;
  /** Telemetry directory read on each pass (local runs: trainbench's samplers; Slurm: the batch script's). */
  telemetryDir?: string;
  now?: () => number;
}

// One pass reads at most this much new log; the next pass goes on from where it stopped.
const MAX_PASS_BYTES = 64 * 1024 * 1024;

export interface LogLines {
  /** Where the read started: `from`, or 0 when the file had become shorter than that (it was replaced). */
  from: number;
  lines: string[];
  /** Byte offset of each line's start in the file. */
  starts: number[];
  /** Offset just after the last complete line's newline (= `from` when there was none). */
  end: number;
}

/** The complete lines of a file from byte `from` on (a last line without its newline is left for the next read). */
export function completeLines(file: string, from = 0): LogLines {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { from, lines: [], starts: [], end: from };
  }
  try {
    const total = fstatSync(fd).size;
    if (total < from) from = 0;
    const size = Math.min(total - from, MAX_PASS_BYTES);
    if (size <= 0) return { from, lines: [], starts: [], end: from };
    const buf = Buffer.allocUnsafe(size);
    const read = readSync(fd, buf, 0, size, from);
    const lines: string[] = [];
    const starts: number[] = [];
    let at = 0;
    for (let nl = buf.indexOf(10, 0); nl >= 0 && nl < read; nl = buf.indexOf(10, at)) {
      starts.push(from + at);
      lines.push(buf.toString('utf8', at, nl > at && buf[nl - 1] === 13 ? nl - 1 : nl));
      at = nl + 1;
    }
    return { from, lines, starts, end: from + at };
  } finally {
    closeSync(fd);
  }
}

/** The step records in some complete lines of a reference-workload log. */
export function workloadSteps(lines: readonly string[]): StepRecord[] {
  const sink = findParser('workload')!.create();
  for (const line of lines) sink.push(line);
  return sink.end().steps;
}

export function liveRecorder(store: Store, runId: string, o: LiveOptions = {}): LiveRecorder {
  const now = o.now ?? Date.now;
  const interval = o.intervalMs ?? 2000;
  let due = 0;
  let passes = 0;
  let stepsStored = 0;
  const node = hostname().split('.')[0] ?? 'host';
  // Where the next pass starts reading the log: after the newest settled step's last line (its event line), so
  // each pass reads the open step and what came after it, not the whole log again. A step's values come from its
  // own lines only, so a parse that starts there gives the same rows. A new attempt starts at 0 (the local executor
  // writes it to the same file name once the previous attempt's log has moved away).
  let log = { attempt: -1, file: '', offset: 0 };
  let bytesRead = 0;
  // Telemetry files are parsed whole each pass; only samples from the newest stored second on are inserted again.
  let telemetryFrom = Number.NEGATIVE_INFINITY;
  const pass = (attempt: number, logFile: string) => {
    if (log.attempt !== attempt || log.file !== logFile) log = { attempt, file: logFile, offset: 0 };
    const read = completeLines(logFile, log.offset);
    bytesRead += read.end - read.from;
    const found = workloadSteps(read.lines);
    // The newest step may still be waiting for its event line: it is stored by a later pass.
    const steps = found.slice(0, -1);
    if (steps.length) {
      stepsStored += store.appendSteps(runId, stepRows(steps, attempt), { attempt }).inserted;
      log.offset = read.starts[steps[steps.length - 1]!.line] ?? read.end;
    } else if (found.length === 0) log.offset = read.end; // no step line yet: nothing to read again

    if (o.telemetryDir) {
      const tel = readTelemetryDir(o.telemetryDir, -new Date().getTimezoneOffset() / 60, null, { completeLinesOnly: true });
      const fresh = storeSamplesOf(tel, node).filter((t) => t.ts >= telemetryFrom);
      if (fresh.length) {
        store.addTelemetry(runId, fresh);
        for (const t of fresh) if (t.ts > telemetryFrom) telemetryFrom = t.ts;
      }
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
    get bytesRead() {
      return bytesRead;
    },
  };
}
