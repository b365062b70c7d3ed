// The one interface every executor implements (local ranks on this host, Slurm), and the serialisable handle that
// lets another process (`trainbench status/logs/cancel`) find the job again through `<runDir>/job.json`.
import type { JobSpec } from '../../core/jobs/spec.ts';
import type { JobState } from '../../core/jobs/state.ts';

export type { JobSpec, JobState };

export type ExecutorName = 'local' | 'slurm';

export interface JobHandle {
  executor: ExecutorName;
  /** Slurm job id, or the local supervisor's PID as text. */
  jobId: string;
  name: string;
  runDir: string;
  /** ISO time of submission. */
  submittedAt: string;
  worldSize: number;
  /** The main log (rank 0's output; for Slurm the seeds-style `log-<account>.<name>_<jobid>_0.out`). */
  logFile: string;
  /** local: the supervisor process. */
  pid?: number;
}

export interface WaitOptions {
  pollMs?: number;
  onPoll?: (state: JobState) => void;
  /** Give up after this long and return the last state seen (still PENDING/RUNNING). */
  timeoutMs?: number;
}

export interface Executor {
  readonly name: ExecutorName;
  /** Starts the job and writes `<runDir>/job.json`. */
  submit(spec: JobSpec): Promise<JobHandle>;
  status(handle: JobHandle): Promise<JobState>;
  /**
   * Polls until the job ends; returns the final state (a failed job is a state, not an exception), or a PENDING
   * state marked `stuck` when the scheduler says the job can never start as it is.
   */
  wait(handle: JobHandle, options?: WaitOptions): Promise<JobState>;
  /** Asks the job to stop and returns once it has ended (or the grace period ran out). */
  cancel(handle: JobHandle): Promise<void>;
  /** Log files, main log first, then one per rank where the executor keeps them. */
  logFiles(handle: JobHandle): string[];
}
