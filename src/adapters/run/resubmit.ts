// The resubmit policy and the per-attempt bookkeeping. An attempt is resubmitted when its job was PREEMPTED, hit its
// TIMEOUT or lost its node (NODE_FAIL), or when the workload itself said it was preempted by SIGUSR1 (the --signal
// sent before the time limit: it checkpoints and exits 0, so Slurm calls the job COMPLETED). A cancellation (user or
// watchdog, SIGTERM) and a failure are never resubmitted: retrying a crash loops on the same crash.
import type { ResolvedRecipe } from '../../core/catalog/index.ts';
import type { JobState } from '../../core/jobs/state.ts';
import { parseFile } from '../ingest/index.ts';
import type { Store } from '../store/index.ts';
import type { WatchdogReport } from '../watchdog/index.ts';
import { describeAttempt, storeAttemptSteps, type AttemptRecord } from './attempts.ts';
import { measureWorkloadRun, type Measured } from './measure-run.ts';

export const RESUBMIT_STATES: readonly JobState['state'][] = ['PREEMPTED', 'TIMEOUT', 'NODE_FAIL'];

export function shouldResubmit(state: JobState, record: Partial<AttemptRecord>, attempt: number, max: number, watchdog?: WatchdogReport): boolean {
  if (attempt >= max || watchdog) return false;
  if (RESUBMIT_STATES.includes(state.state)) return true;
  return state.state === 'COMPLETED' && record.preempted?.signal === 'SIGUSR1';
}

export interface AttemptFacts {
  record: ReturnType<typeof describeAttempt>;
  stored: number;
  measured?: Measured;
}

/** Parses an attempt's log, stores its steps under its attempt number and measures it (when it logged steps). */
export async function attemptFacts(
  store: Store, runId: string, attempt: number, logFile: string, recipe: ResolvedRecipe, home: string, threadsPerRank: number,
): Promise<AttemptFacts> {
  const parsed = await parseFile(logFile, { format: 'workload' }).catch(() => undefined);
  if (!parsed) return { record: {}, stored: 0 };
  const stored = storeAttemptSteps(store, runId, attempt, parsed);
  const measured = stored > 0 ? await measureWorkloadRun(recipe, logFile, home, threadsPerRank).catch(() => undefined) : undefined;
  return { record: describeAttempt(parsed), stored, ...(measured ? { measured } : {}) };
}
