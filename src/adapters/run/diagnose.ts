// What went wrong with a run that did not complete: the failure classifier on the main log's tail (with Slurm's state
// and exit code), plus the rank that failed first, from the evidence the log holds: the workload's `error` event
// (printed by the failing rank), srun's `task N: Killed / Exited / Aborted` lines, NCCL's `[Rank N]` watchdog lines,
// the local supervisor's `rank N`, or the progress watchdog's silent rank.
import { classifyFailure, type Diagnosis } from '../../core/classify/index.ts';
import type { JobState } from '../../core/jobs/state.ts';
import { readTail } from '../executors/common.ts';
import type { WatchdogReport } from '../watchdog/index.ts';

export interface RunDiagnosis extends Diagnosis {
  /** The rank that failed (or went silent) first, when the evidence names one. */
  rank?: number;
  rankEvidence?: string;
}

const SRUN_TASK = /srun: error: \S+: tasks? (\d+)(?:[-,][\d,-]*)?: (Killed|Exited with exit code \d+|Aborted[^\n]*|Segmentation fault[^\n]*|Terminated)/;
const ERROR_EVENT = /TRAINBENCH_EVENT (\{"event": ?"error".*\})/;
const NCCL_RANK = /\[Rank (\d+)\] (?:Watchdog caught|.*NCCL)/;

export function failingRank(text: string, state: JobState, watchdog?: WatchdogReport): { rank: number; evidence: string } | undefined {
  if (watchdog?.silent) return { rank: watchdog.silent.rank, evidence: `watchdog: ${watchdog.silent.why}` };
  for (const line of text.split('\n')) {
    const ev = ERROR_EVENT.exec(line);
    if (ev) {
      try {
        const data = JSON.parse(ev[1]!) as { rank?: unknown; type?: unknown };
        if (typeof data.rank === 'number') return { rank: data.rank, evidence: line.trim() };
      } catch {
        // a torn line: keep looking
      }
    }
  }
  const nccl = NCCL_RANK.exec(text);
  if (nccl) return { rank: Number(nccl[1]), evidence: nccl[0] };
  // srun lists a killed rank before the ranks it then took down with --kill-on-bad-exit: the first line is the cause.
  const task = SRUN_TASK.exec(text);
  if (task && !/Terminated/.test(task[2]!)) return { rank: Number(task[1]), evidence: task[0] };
  const local = /^rank (\d+)$/.exec(state.detail ?? '');
  if (local) return { rank: Number(local[1]), evidence: `local supervisor: rank ${local[1]} exited first` };
  return task ? { rank: Number(task[1]), evidence: task[0] } : undefined;
}

export function diagnoseRun(logFiles: readonly string[], state: JobState, watchdog?: WatchdogReport): RunDiagnosis {
  const text = logFiles.map((f) => readTail(f, 128 * 1024)).join('\n');
  const tail = text.split('\n').slice(-600);
  const exitCode = 'exitCode' in state ? state.exitCode : undefined;
  const diagnosis = classifyFailure({
    tail: watchdog ? [...tail, `trainbench watchdog: ${watchdog.message}`] : tail,
    slurmState: state.state,
    ...(exitCode !== undefined ? { exitCode } : {}),
    ...(watchdog ? { stalledForS: watchdog.verdict.silentForS } : {}),
  });
  const rank = failingRank(text, state, watchdog);
  return { ...diagnosis, ...(rank ? { rank: rank.rank, rankEvidence: rank.evidence } : {}) };
}
