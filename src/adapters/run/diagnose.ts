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
  /** What happened to that rank, in words (killed by SIGKILL, RuntimeError: ..., NCCL timeout, went silent). */
  rankCause?: string;
}

const SRUN_TASK = /srun: error: \S+: tasks? (\d+)(?:[-,][\d,-]*)?: (Killed|Exited with exit code \d+|Aborted[^\n]*|Segmentation fault[^\n]*|Terminated)/;
const ERROR_EVENT = /TRAINBENCH_EVENT (\{"event": ?"error".*\})/;
const NCCL_RANK = /\[Rank (\d+)\] (?:Watchdog caught|.*NCCL)/;
// A rank that reports its peer vanished is a casualty, not the cause: the peer that vanished is.
const PEER_LOST = /Connection (?:reset|closed) by peer|Broken pipe|Socket closed|peer .*(?:closed|died)/i;

export interface FailingRank {
  rank: number;
  cause: string;
  evidence: string;
}

function causeOfTask(what: string): string {
  if (what === 'Killed') return 'killed (SIGKILL: kill -9 or the OOM killer)';
  if (what.startsWith('Aborted')) return 'aborted (SIGABRT)';
  if (what.startsWith('Segmentation')) return 'crashed (SIGSEGV)';
  return what.replace('Exited with exit code', 'exited with code');
}

/** The first rank in log order that failed by itself; ranks that only saw their peer go are skipped. */
export function failingRank(text: string, state: JobState, watchdog?: WatchdogReport): FailingRank | undefined {
  if (watchdog?.silent) return { rank: watchdog.silent.rank, cause: `went silent: ${watchdog.silent.why}`, evidence: `watchdog: ${watchdog.message}` };
  let terminated: FailingRank | undefined;
  for (const line of text.split('\n')) {
    const ev = ERROR_EVENT.exec(line);
    if (ev) {
      try {
        const data = JSON.parse(ev[1]!) as { rank?: unknown; type?: unknown; message?: unknown };
        if (typeof data.rank === 'number' && !PEER_LOST.test(String(data.message))) {
          return { rank: data.rank, cause: `${String(data.type)}: ${String(data.message).slice(0, 200)}`, evidence: line.trim() };
        }
      } catch {
        // a torn line: keep looking
      }
      continue;
    }
    const nccl = NCCL_RANK.exec(line);
    if (nccl) return { rank: Number(nccl[1]), cause: 'NCCL collective timed out', evidence: line.trim() };
    const task = SRUN_TASK.exec(line);
    if (task && task[2] === 'Terminated') terminated ??= { rank: Number(task[1]), cause: 'terminated', evidence: line.trim() };
    else if (task) return { rank: Number(task[1]), cause: causeOfTask(task[2]!), evidence: line.trim() };
  }
  const local = /^rank (\d+)$/.exec(state.detail ?? '');
  if (local) return { rank: Number(local[1]), cause: `exited first${'exitCode' in state && state.exitCode !== undefined ? ` with code ${state.exitCode}` : 'signal' in state && state.signal !== undefined ? ` on signal ${state.signal}` : ''}`, evidence: `local supervisor: rank ${local[1]} exited first` };
  return terminated;
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
  return { ...diagnosis, ...(rank ? { rank: rank.rank, rankCause: rank.cause, rankEvidence: rank.evidence } : {}) };
}
