// Reattaching to a run whose `trainbench run` died (kill -9, a lost terminal) while its job went on: once the job has
// ended, `trainbench status` / `logs -f` finish the stored record from what the job left: every attempt's steps from
// its log (the store skips steps it holds, so a second reattach or a late original adds nothing), the result, the
// final state and, for a failure, the diagnosis. Nothing happens while the owning process still lives.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedRecipe } from '../../core/catalog/index.ts';
import { isTerminal, type JobState } from '../../core/jobs/state.ts';
import type { JobHandle } from '../executors/types.ts';
import { openStore } from '../store/index.ts';
import { isTerminal as isTerminalRunState } from '../store/index.ts';
import { ownerAlive, readAttempts, readStoreRun, saveAttempt } from './attempts.ts';
import { diagnoseRun } from './diagnose.ts';
import { attemptFacts } from './resubmit.ts';

export interface Reattached {
  runId: string;
  /** false when the record was already final (or the owner still runs it). */
  updated: boolean;
  stepsStored: number;
  storedState: string;
}

export async function reattachRun(home: string, env: NodeJS.ProcessEnv, handle: JobHandle, state: JobState): Promise<Reattached | undefined> {
  const owner = readStoreRun(handle.runDir);
  const recipeFile = join(handle.runDir, 'recipe.json');
  if (!owner || !existsSync(recipeFile)) return undefined;
  const store = openStore(join(home, 'store.sqlite'), { env });
  try {
    const run = store.getRun(owner.runId);
    if (!run) return undefined;
    const done = (updated: boolean): Reattached => ({ runId: run.id, updated, stepsStored: store.countSteps(run.id), storedState: store.getRun(run.id)!.state });
    if (isTerminalRunState(run.state) || !isTerminal(state) || ownerAlive(owner)) return done(false);
    const recipe = JSON.parse(readFileSync(recipeFile, 'utf8')) as ResolvedRecipe;
    const threads = (JSON.parse(readFileSync(join(handle.runDir, 'run.json'), 'utf8')) as { cpu_threads?: number }).cpu_threads ?? 1;
    let attempts = readAttempts(handle.runDir);
    if (!attempts.some((a) => a.jobId === handle.jobId)) {
      attempts = saveAttempt(handle.runDir, { attempt: attempts.length, jobId: handle.jobId, logFile: handle.logFile });
    }
    let measured;
    for (const a of attempts) {
      const facts = await attemptFacts(store, run.id, a.attempt, a.logFile, recipe, home, threads);
      if (facts.measured) measured = facts.measured;
      saveAttempt(handle.runDir, { ...a, ...(a.jobId === handle.jobId ? { state } : {}), ...facts.record });
    }
    if (measured) store.setResult(run.id, measured.result);
    const diagnosis = state.state === 'COMPLETED' ? undefined : diagnoseRun([handle.logFile], state, undefined, handle.runDir);
    store.updateRun(run.id, { state: state.state, reason: state.reason ?? null, ...(diagnosis ? { diagnosis } : {}) });
    return done(true);
  } finally {
    store.close();
  }
}
