// Run folders written by `trainbench run` on another machine (a GPU node that had only the pack of scripts/pack.sh,
// a cluster login node) into this machine's results store: the same run record, steps, telemetry and result the
// store there got, so `results`, `report`, `compare` and the dashboard show them beside local runs.
// The run keeps its id (result.json's runId): importing a folder twice stores it once.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { inputError } from '../../core/errors.ts';
import type { Result } from '../../core/measure/index.ts';
import { parseFile } from '../ingest/index.ts';
import type { ImportedRun, StepInput, Store } from '../store/index.ts';
import { RUN_STATES, type RunState } from '../store/types.ts';
import { readTelemetryDir } from '../telemetry/read-dir.ts';
import { storeSamplesOf } from '../telemetry/store-rows.ts';
import { ATTEMPTS_FILE, stepRows, type AttemptRecord } from './attempts.ts';

export interface RunDirImport {
  dir: string;
  runId: string;
  name: string;
  status: 'imported' | 'already-stored';
  steps: number;
  telemetry: number;
}

interface SavedOutcome {
  runId?: unknown;
  runDir?: unknown;
  logFile?: unknown;
  jobId?: unknown;
  state?: { state?: unknown; reason?: unknown };
  result?: Result;
  diagnosis?: unknown;
}

/** Run folders at or under `path` (a run folder holds result.json and recipe.json), at most 4 levels down. */
export function findRunDirs(path: string, depth = 4): string[] {
  const dir = resolve(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw inputError(`${path} is not a directory`, { code: 'not-a-run-dir', file: path, hint: 'pass run folders written by trainbench run (or a folder holding them)' });
  }
  if (existsSync(join(dir, 'result.json')) && existsSync(join(dir, 'recipe.json'))) return [dir];
  if (depth === 0) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'checkpoints' && e.name !== 'telemetry')
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => findRunDirs(join(dir, e.name), depth - 1));
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw inputError(`${file}: not readable JSON (${(error as Error).message.split('\n')[0]})`, {
      code: 'bad-run-dir', file, hint: 'the run folder is incomplete or damaged; copy it again from the machine that ran it',
    });
  }
}

/** A path the other machine wrote, found inside the copied folder (the folder may have moved). */
function localPath(dir: string, remoteRunDir: string | undefined, remote: string): string {
  if (remoteRunDir && (remote === remoteRunDir || remote.startsWith(remoteRunDir + '/'))) return join(dir, relative(remoteRunDir, remote));
  return join(dir, basename(remote));
}

function attemptLogs(dir: string, outcome: SavedOutcome): Pick<AttemptRecord, 'attempt' | 'logFile'>[] {
  const remoteDir = typeof outcome.runDir === 'string' ? outcome.runDir : undefined;
  // Read here rather than with readAttempts: a damaged file must name itself (exit 4), not throw a bare SyntaxError.
  const file = join(dir, ATTEMPTS_FILE);
  const saved = existsSync(file) ? readJson<AttemptRecord[]>(file) : [];
  const logs = saved
    .filter((a) => typeof a.logFile === 'string' && Number.isInteger(a.attempt))
    .map((a) => ({ attempt: a.attempt, logFile: localPath(dir, remoteDir, a.logFile) }));
  if (logs.length) return logs;
  const fallback = typeof outcome.logFile === 'string' ? localPath(dir, remoteDir, outcome.logFile) : join(dir, 'log-rank0.out');
  return [{ attempt: 0, logFile: fallback }];
}

function stateOf(outcome: SavedOutcome, file: string): RunState {
  const state = outcome.state?.state;
  if (typeof state === 'string' && (RUN_STATES as readonly string[]).includes(state)) return state as RunState;
  throw inputError(`${file}: state ${JSON.stringify(state)} is not a run state`, {
    code: 'bad-run-dir', file, hint: `expected one of ${RUN_STATES.join(', ')}; was the run still going when the folder was copied?`,
  });
}

/** Reads one run folder into what the store imports; `utcOffsetHours` is the capturing machine's (dmon/vmstat print local time). */
export async function readRunDir(dir: string, utcOffsetHours = 0): Promise<ImportedRun> {
  const resultFile = join(dir, 'result.json');
  const outcome = readJson<SavedOutcome>(resultFile);
  const recipe = readJson<{ id: string; model: { name: string }; gpu: { name: string }; num_gpus: number; dtype: string; task: string; seq_len: number; gbs: number }>(join(dir, 'recipe.json'));
  const spec = existsSync(join(dir, 'run.json')) ? readJson<unknown>(join(dir, 'run.json')) : undefined;
  const job = existsSync(join(dir, 'job.json')) ? readJson<{ executor?: string; submittedAt?: string }>(join(dir, 'job.json')) : {};
  if (typeof outcome.runId !== 'string' || !/^[0-9A-Z]{26}$/.test(outcome.runId)) {
    throw inputError(`${resultFile}: no runId`, { code: 'bad-run-dir', file: resultFile, hint: 'only folders written by trainbench run can be imported; use trainbench parse for a bare log' });
  }
  const state = stateOf(outcome, resultFile);
  const steps: StepInput[] = [];
  let lastTime: number | undefined;
  const logs = attemptLogs(dir, outcome);
  for (const { attempt, logFile } of logs) {
    if (!existsSync(logFile)) {
      throw inputError(`${logFile}: the log of attempt ${attempt} is missing from the run folder`, {
        code: 'bad-run-dir', file: logFile, hint: `copy the whole run folder (${basename(dir)}${sep}), not only result.json`,
      });
    }
    const parsed = await parseFile(logFile, { format: 'workload' });
    for (const row of stepRows(parsed.output.steps, attempt)) steps.push(row);
    for (const s of parsed.output.steps) if (s.time !== undefined) lastTime = Math.max(lastTime ?? 0, s.time);
  }
  const tel = readTelemetryDir(join(dir, 'telemetry'), utcOffsetHours);
  return {
    run: {
      id: outcome.runId,
      name: recipe.id,
      state,
      ...(typeof outcome.state?.reason === 'string' ? { reason: outcome.state.reason } : {}),
      recipeId: recipe.id,
      engine: 'workload',
      executor: job.executor ?? 'local',
      ...(typeof outcome.jobId === 'string' ? { jobId: outcome.jobId } : {}),
      model: recipe.model.name,
      gpu: recipe.gpu.name,
      numGpus: recipe.num_gpus,
      dtype: recipe.dtype,
      task: recipe.task,
      seqLen: recipe.seq_len,
      gbs: recipe.gbs,
      runDir: dir,
      sourceLog: logs[logs.length - 1]!.logFile,
      ...(job.submittedAt ? { createdAt: job.submittedAt, startedAt: job.submittedAt } : {}),
      ...(lastTime !== undefined ? { finishedAt: new Date(lastTime * 1000).toISOString() } : {}),
      ...(spec !== undefined ? { spec } : {}),
      ...(outcome.diagnosis ? { diagnosis: outcome.diagnosis } : {}),
    },
    steps,
    ...(outcome.result ? { result: outcome.result } : {}),
    telemetry: storeSamplesOf(tel, 'host'),
  };
}

/**
 * Imports every run folder at or under `paths` in one transaction: all are stored or none. A run already in the
 * store (same id) is reported and left as it is.
 */
export async function importRunDirs(store: Store, paths: readonly string[], utcOffsetHours = 0): Promise<RunDirImport[]> {
  const dirs = [...new Set(paths.flatMap((p) => findRunDirs(p)))];
  if (dirs.length === 0) {
    throw inputError(`no run folders (result.json + recipe.json) under ${paths.join(', ')}`, {
      code: 'no-run-dirs', hint: 'pass the folders trainbench run wrote ($TRAINBENCH_HOME/runs/<recipe>/<run>) or a folder holding them',
    });
  }
  const read = await Promise.all(dirs.map((d) => readRunDir(d, utcOffsetHours)));
  const fresh = read.filter((r) => store.getRun(r.run.id!) === undefined);
  store.importRuns(fresh);
  return read.map((r, i) => ({
    dir: dirs[i]!,
    runId: r.run.id!,
    name: r.run.name,
    status: fresh.includes(r) ? 'imported' : 'already-stored',
    steps: r.steps?.length ?? 0,
    telemetry: r.telemetry?.length ?? 0,
  }));
}
