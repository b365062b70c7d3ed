// `trainbench run`: launch + wait (with a live progress line and the progress watchdog) + measure + store, for the
// reference workload on the local executor or Slurm. The run is recorded in the store before it starts, so a crash
// of trainbench itself never loses it (`status`/`logs -f` finish the record: reattach.ts). With `resubmit` > 0 a job
// that was preempted, hit its time limit (after the workload checkpointed on the --signal) or lost its node is
// submitted again on the same run directory: the workload resumes from its newest checkpoint and the new attempt's
// steps are stored under the next attempt number.
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { JobState } from '../../core/jobs/state.ts';
import type { DeviceTimingCheck, Result } from '../../core/measure/index.ts';
import { openStore } from '../store/index.ts';
import { startTelemetry } from '../telemetry/capture.ts';
import { readTelemetryDir } from '../telemetry/read-dir.ts';
import { storeSamplesOf } from '../telemetry/store-rows.ts';
import type { WatchdogPolicy, WatchdogReport } from '../watchdog/index.ts';
import { archiveLocalAttempt, measureAttempts, saveAttempt, writeStoreRun, type AttemptRecord } from './attempts.ts';
import { diagnoseRun, type RunDiagnosis } from './diagnose.ts';
import { liveRecorder } from './live-record.ts';
import { measureWorkloadRun, type FlopsCheck, type Measured } from './measure-run.ts';
import { withFailedNodes } from './node-failure.ts';
import { progressFromLog, type Progress } from './progress.ts';
import { startWorkload, type StartOptions } from './start-workload.ts';
import { waitAttempt } from './wait-attempt.ts';
import { attemptFacts, shouldResubmit } from './resubmit.ts';

export interface RunRecipeOptions extends StartOptions {
  onProgress?: (p: Progress) => void;
  pollMs?: number;
  /** Resubmissions allowed after a preemption, time limit or node failure (default 0). */
  resubmit?: number;
  /** The progress watchdog (default DEFAULT_WATCHDOG); false turns it off. */
  watchdog?: WatchdogPolicy | false;
  /** Least time between two live passes that store the steps logged so far (default 2000 ms). */
  liveIntervalMs?: number;
  /** Called when each attempt's job is submitted (attempt 0 first). */
  onSubmit?: (attempt: number, jobId: string, runDir: string) => void;
}

export interface RunOutcome {
  runId: string;
  runDir: string;
  logFile: string;
  jobId: string;
  state: JobState;
  result?: Result;
  flops?: FlopsCheck;
  deviceTiming?: DeviceTimingCheck;
  /** Steps logged over all attempts. */
  steps: number;
  attempts: AttemptRecord[];
  watchdog?: WatchdogReport;
  diagnosis?: RunDiagnosis;
  notes: string[];
}

export async function runRecipe(o: RunRecipeOptions): Promise<RunOutcome> {
  const store = openStore(join(o.home, 'store.sqlite'), { env: o.env });
  try {
    const started = await startWorkload(o);
    const { recipe, runDir, executor } = started;
    let handle = started.handle;
    // Slurm jobs sample every node from their own batch script (JobSpec.telemetry); local ranks are sampled from here.
    const telemetry = o.telemetry === false || o.executor !== 'local' ? undefined : startTelemetry(runDir, { gpu: recipe.gpu.measured_at_runtime !== true });
    const run = store.createRun({
      name: recipe.id, state: 'RUNNING', recipeId: recipe.id, engine: 'workload', executor: o.executor, jobId: handle.jobId,
      model: recipe.model.name, gpu: recipe.gpu.name, numGpus: recipe.num_gpus, dtype: recipe.dtype, task: recipe.task,
      seqLen: recipe.seq_len, gbs: recipe.gbs, runDir, sourceLog: handle.logFile, startedAt: handle.submittedAt, spec: started.config,
    });
    writeStoreRun(runDir, run.id);
    // Steps and telemetry reach the store while the job runs (the dashboard shows them live); each attempt's final
    // parse below stores the rest, skipping what is already there.
    const live = liveRecorder(store, run.id, { telemetryDir: join(runDir, 'telemetry'), ...(o.liveIntervalMs ? { intervalMs: o.liveIntervalMs } : {}) });
    let state: JobState = { state: 'PENDING' };
    let attempts: AttemptRecord[] = [];
    let measured: Measured | undefined;
    let watchdog: WatchdogReport | undefined;
    let stepsTotal = 0;
    try {
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0) {
          handle = await executor.submit(started.spec);
          store.updateRun(run.id, { jobId: handle.jobId, sourceLog: handle.logFile });
        }
        o.onSubmit?.(attempt, handle.jobId, runDir);
        saveAttempt(runDir, { attempt, jobId: handle.jobId, logFile: handle.logFile });
        const waited = await waitAttempt(executor, handle, {
          pollMs: o.pollMs ?? 1000,
          watchdog: o.watchdog === undefined ? undefined : o.watchdog,
          onProgress: () => {
            live.poll(attempt, handle.logFile);
            const p = progressFromLog(handle.logFile);
            if (p && o.onProgress) o.onProgress(p);
          },
        });
        state = waited.state;
        watchdog = waited.watchdog ?? watchdog;
        if (o.executor === 'slurm') state = withFailedNodes(state, o.slurmEnv);
        const facts = await attemptFacts(store, run.id, attempt, handle.logFile, recipe, o.home, started.threadsPerRank);
        stepsTotal += facts.stored;
        if (facts.measured) measured = facts.measured;
        attempts = saveAttempt(runDir, { attempt, jobId: handle.jobId, logFile: handle.logFile, state, ...facts.record });
        if (!shouldResubmit(state, facts.record, attempt, o.resubmit ?? 0, waited.watchdog)) break;
        const moved = archiveLocalAttempt(handle, attempt);
        if (moved !== handle.logFile) attempts = saveAttempt(runDir, { ...attempts[attempt]!, logFile: moved });
      }
    } finally {
      await telemetry?.stop();
    }
    const tel = readTelemetryDir(join(runDir, 'telemetry'), -new Date().getTimezoneOffset() / 60);
    if (tel.cpu.length || tel.gpu.length) store.addTelemetry(run.id, storeSamplesOf(tel, hostname().split('.')[0] ?? 'host'));
    // Several attempts: measure over all of them (one log of the attempts in order) rather than the last fragment.
    if (attempts.length > 1 && stepsTotal > 0) measured = (await measureAttempts(runDir, attempts, recipe, o.home, started.threadsPerRank)) ?? measured;
    if (measured) store.setResult(run.id, measured.result);
    const diagnosis = state.state === 'COMPLETED' ? undefined : diagnoseRun(o.executor === 'slurm' ? [handle.logFile] : executor.logFiles(handle), state, watchdog, runDir);
    store.updateRun(run.id, {
      state: state.state, reason: state.reason ?? null, finishedAt: new Date().toISOString(),
      ...(diagnosis ? { diagnosis } : {}),
    });
    const outcome: RunOutcome = {
      runId: run.id, runDir, logFile: handle.logFile, jobId: handle.jobId, state,
      ...(measured ? { result: measured.result } : {}), ...(measured?.flops ? { flops: measured.flops } : {}),
      ...(measured?.deviceTiming ? { deviceTiming: measured.deviceTiming } : {}),
      steps: stepsTotal, attempts, ...(watchdog ? { watchdog } : {}), ...(diagnosis ? { diagnosis } : {}),
      notes: [...started.notes, ...(measured?.attention ? [measured.attention] : []), ...tel.warnings],
    };
    writeFileSync(join(runDir, 'result.json'), JSON.stringify(outcome, null, 2));
    return outcome;
  } finally {
    store.close();
  }
}
