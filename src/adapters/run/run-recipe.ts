// `trainbench run`: launch + wait (with a live progress line) + measure + store, for the reference workload on the
// local executor or Slurm. The run is recorded in the store before it starts, so a crash of trainbench itself never
// loses it; steps and result are written in one transaction each at the end.
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { JobState } from '../../core/jobs/state.ts';
import type { Result } from '../../core/measure/index.ts';
import { openStore } from '../store/index.ts';
import { startTelemetry } from '../telemetry/capture.ts';
import { readTelemetryDir } from '../telemetry/read-dir.ts';
import { toStoreSamples } from '../telemetry/store-rows.ts';
import { measureWorkloadRun, type FlopsCheck } from './measure-run.ts';
import { withFailedNodes } from './node-failure.ts';
import { progressFromLog, type Progress } from './progress.ts';
import { startWorkload, type StartOptions } from './start-workload.ts';

export interface RunRecipeOptions extends StartOptions {
  telemetry?: boolean;
  onProgress?: (p: Progress) => void;
  pollMs?: number;
}

export interface RunOutcome {
  runId: string;
  runDir: string;
  logFile: string;
  jobId: string;
  state: JobState;
  result: Result;
  flops?: FlopsCheck;
  steps: number;
  notes: string[];
}

export async function runRecipe(o: RunRecipeOptions): Promise<RunOutcome> {
  const store = openStore(join(o.home, 'store.sqlite'), { env: o.env });
  try {
    const started = await startWorkload(o);
    const { recipe, runDir, handle } = started;
    const telemetry = o.telemetry === false ? undefined : startTelemetry(runDir, { gpu: recipe.gpu.measured_at_runtime !== true });
    const run = store.createRun({
      name: recipe.id, state: 'RUNNING', recipeId: recipe.id, engine: 'workload', executor: o.executor, jobId: handle.jobId,
      model: recipe.model.name, gpu: recipe.gpu.name, numGpus: recipe.num_gpus, dtype: recipe.dtype, task: recipe.task,
      seqLen: recipe.seq_len, gbs: recipe.gbs, runDir, sourceLog: handle.logFile, startedAt: handle.submittedAt, spec: started.config,
    });
    let state: JobState;
    try {
      state = await started.executor.wait(handle, {
        pollMs: o.pollMs ?? 1000,
        onPoll: () => {
          const p = progressFromLog(handle.logFile);
          if (p && o.onProgress) o.onProgress(p);
        },
      });
    } finally {
      await telemetry?.stop();
    }
    if (o.executor === 'slurm') state = withFailedNodes(state, o.slurmEnv);
    const measured = await measureWorkloadRun(recipe, handle.logFile, o.home, started.threadsPerRank);
    const steps = measured.parsed.output.steps;
    const tel = readTelemetryDir(join(runDir, 'telemetry'), -new Date().getTimezoneOffset() / 60);
    store.appendSteps(
      run.id,
      steps.map((s) => ({ step: s.step, timeS: s.stepTimeS ?? null, loss: s.loss ?? null, peakMemoryBytes: s.peakMemoryBytes ?? null, consumedSamples: s.consumedSamples ?? null, timestamp: s.time === undefined ? null : String(s.time) })),
    );
    if (tel.cpu.length || tel.gpu.length) store.addTelemetry(run.id, toStoreSamples(tel.gpu, tel.cpu, hostname().split('.')[0] ?? 'host'));
    store.setResult(run.id, measured.result);
    store.updateRun(run.id, { state: state.state, reason: state.reason ?? null, finishedAt: new Date().toISOString() });
    const outcome: RunOutcome = {
      runId: run.id, runDir, logFile: handle.logFile, jobId: handle.jobId, state, result: measured.result,
      ...(measured.flops ? { flops: measured.flops } : {}), steps: steps.length, notes: [...started.notes, ...tel.warnings],
    };
    writeFileSync(join(runDir, 'result.json'), JSON.stringify(outcome, null, 2));
    return outcome;
  } finally {
    store.close();
  }
}
