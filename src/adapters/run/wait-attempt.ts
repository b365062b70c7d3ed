// Waits for one attempt's job with the progress watchdog beside it: each poll checks for a stall; once flagged, the
// `cancel` policy cancels the job (Slurm: scancel, then SIGKILL after KillWait, which also ends a SIGSTOPped rank)
// and the job's final state carries the watchdog's message as its reason.
import type { JobState } from '../../core/jobs/state.ts';
import type { Executor, JobHandle } from '../executors/types.ts';
import { DEFAULT_WATCHDOG, createWatchdog, type WatchdogPolicy, type WatchdogReport } from '../watchdog/index.ts';

export interface WaitAttemptOptions {
  pollMs: number;
  /** undefined: DEFAULT_WATCHDOG; false: no watchdog. */
  watchdog: WatchdogPolicy | false | undefined;
  onProgress: () => void;
}

export async function waitAttempt(executor: Executor, handle: JobHandle, o: WaitAttemptOptions): Promise<{ state: JobState; watchdog?: WatchdogReport }> {
  const policy = o.watchdog === undefined ? DEFAULT_WATCHDOG : o.watchdog;
  const dog = policy ? createWatchdog({ logFile: handle.logFile, runDir: handle.runDir, worldSize: handle.worldSize, policy }) : undefined;
  let cancelling: Promise<void> | undefined;
  let cancelError: unknown;
  const state = await executor.wait(handle, {
    pollMs: o.pollMs,
    onPoll: (s) => {
      o.onProgress();
      if (s.state !== 'RUNNING' || !dog) return;
      const report = dog.check();
      if (report && policy && policy.action === 'cancel' && !cancelling) {
        cancelling = executor.cancel(handle).catch((error: unknown) => void (cancelError = error));
      }
    },
  });
  await cancelling;
  if (cancelError) throw cancelError;
  const report = dog?.report;
  if (!report) return { state };
  const reason = `watchdog: ${report.message}`;
  return { state: { ...state, reason: state.reason ? `${reason}\n${state.reason}` : reason }, watchdog: report };
}
