// The job state model shared by every executor: a tagged union on `state`, with the reason, exit code and signal
// where the scheduler or the supervisor knows them. Pure: executors map their own vocabulary onto it.

export const JOB_STATES = [
  'PENDING',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'PREEMPTED',
] as const;

export type JobStateName = (typeof JOB_STATES)[number];

/** Facts a scheduler may know about any state; absent when unknown. */
interface Known {
  /** Why it is in this state: a Slurm reason (`Resources`, `TimeLimit`) or the failing rank's last log lines. */
  reason?: string;
  /** The scheduler's own word when it differs from ours (e.g. Slurm `COMPLETING`, `BOOT_FAIL`). */
  detail?: string;
}

interface Ended extends Known {
  exitCode?: number;
  signal?: number;
}

export type JobState =
  /** `stuck`: the scheduler says it can never start as it is (held, failed dependency, impossible request). */
  | ({ state: 'PENDING'; stuck?: true } & Known)
  | ({ state: 'RUNNING' } & Known)
  | ({ state: 'COMPLETED'; exitCode: 0 } & Known)
  | ({ state: 'FAILED' } & Ended)
  | ({ state: 'CANCELLED' } & Ended)
  | ({ state: 'TIMEOUT' } & Ended)
  | ({ state: 'NODE_FAIL' } & Ended)
  | ({ state: 'OUT_OF_MEMORY' } & Ended)
  | ({ state: 'PREEMPTED' } & Ended);

export type TerminalJobState = Exclude<JobState, { state: 'PENDING' } | { state: 'RUNNING' }>;

export function isTerminal(s: JobState): s is TerminalJobState {
  return s.state !== 'PENDING' && s.state !== 'RUNNING';
}

export function isSuccess(s: JobState): boolean {
  return s.state === 'COMPLETED';
}

/** Splits Slurm's `ExitCode=3:0` / sacct `0:15` into exit code and signal; a zero signal is dropped. */
export function parseExitPair(text: string | undefined): { exitCode?: number; signal?: number } {
  const m = /^(\d+):(\d+)$/.exec(text?.trim() ?? '');
  if (!m) return {};
  const exitCode = Number(m[1]);
  const signal = Number(m[2]);
  return signal > 0 ? { exitCode, signal } : { exitCode };
}

/** Exit status as a shell reports it (128+N means killed by signal N) -> exit code or signal. */
export function fromShellStatus(status: number): { exitCode?: number; signal?: number } {
  return status > 128 && status < 160 ? { signal: status - 128 } : { exitCode: status };
}

/** One line for humans: `FAILED (exit 3): boom`, `PENDING (Resources: waiting for resources)`. */
export function describeState(s: JobState): string {
  const bits: string[] = [];
  if ('signal' in s && s.signal !== undefined) bits.push(`signal ${s.signal}`);
  else if ('exitCode' in s && s.exitCode !== undefined && s.state !== 'COMPLETED') bits.push(`exit ${s.exitCode}`);
  if (s.detail) bits.push(s.detail);
  const head = bits.length ? `${s.state} (${bits.join(', ')})` : s.state;
  return s.reason ? `${head}: ${s.reason}` : head;
}
