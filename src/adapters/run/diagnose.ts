// What went wrong with a run that did not complete: the failure classifier on the main log's tail (with Slurm's state
// and exit code), plus the rank that failed first, from the evidence the log holds: the workload's `error` event
// (printed by the failing rank), srun's `task N: Killed / Exited / Aborted` lines, NCCL's `[Rank N]` watchdog lines,
// the local supervisor's `rank N`, or the progress watchdog's silent rank.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PEER_LOST, classifyFailure, type Diagnosis } from '../../core/classify/index.ts';
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

/**
 * The rank that failed by itself: the first error event that is not a lost peer, else an NCCL `[Rank N]` line, else
 * the first srun task line of a rank that did not merely lose its peer (srun may report the casualty's exit before the
 * killed rank's: the order of those lines is a race).
 */
export function failingRank(text: string, state: JobState, watchdog?: WatchdogReport): FailingRank | undefined {
  if (watchdog?.silent) return { rank: watchdog.silent.rank, cause: `went silent: ${watchdog.silent.why}`, evidence: `watchdog: ${watchdog.message}` };
  const casualties = new Set<number>();
  const tasks: FailingRank[] = [];
  for (const line of text.split('\n')) {
    const ev = ERROR_EVENT.exec(line);
    if (ev) {
      try {
        const data = JSON.parse(ev[1]!) as { rank?: unknown; type?: unknown; message?: unknown };
        if (typeof data.rank !== 'number') continue;
        if (PEER_LOST.test(String(data.message))) casualties.add(data.rank);
        else return { rank: data.rank, cause: `${String(data.type)}: ${String(data.message).slice(0, 200)}`, evidence: line.trim() };
      } catch {
        // a torn line: keep looking
      }
      continue;
    }
    const nccl = NCCL_RANK.exec(line);
    if (nccl) return { rank: Number(nccl[1]), cause: 'NCCL collective timed out', evidence: line.trim() };
    const task = SRUN_TASK.exec(line);
    if (task) tasks.push({ rank: Number(task[1]), cause: task[2] === 'Terminated' ? 'terminated' : causeOfTask(task[2]!), evidence: line.trim() });
  }
  const real = tasks.filter((t) => t.cause !== 'terminated');
  const first = real.find((t) => !casualties.has(t.rank)) ?? real[0];
  if (first) return first;
  const local = /^rank (\d+)$/.exec(state.detail ?? '');
  if (local) return { rank: Number(local[1]), cause: `exited first${'exitCode' in state && state.exitCode !== undefined ? ` with code ${state.exitCode}` : 'signal' in state && state.signal !== undefined ? ` on signal ${state.signal}` : ''}`, evidence: `local supervisor: rank ${local[1]} exited first` };
  return tasks[0];
}

/**
 * Classifies the failing rank's own log first (its traceback is the root cause; its peers' logs mostly show the lost
 * connection that followed), then the main log with Slurm's state when the rank's log names nothing.
 */
export function diagnoseRun(logFiles: readonly string[], state: JobState, watchdog?: WatchdogReport, runDir?: string): RunDiagnosis {
  const text = logFiles.map((f) => readTail(f, 128 * 1024)).join('\n');
  const rank = failingRank(text, state, watchdog);
  const exitCode = 'exitCode' in state ? state.exitCode : undefined;
  const own = rank && runDir ? join(runDir, `log-rank${rank.rank}.out`) : undefined;
  const ownDiagnosis = own && existsSync(own) && !watchdog ? classifyFailure({ tail: readTail(own, 128 * 1024).split('\n').slice(-600) }) : undefined;
  const tail = text.split('\n').slice(-600);
  const diagnosis =
    ownDiagnosis && ownDiagnosis.kind !== 'unknown'
      ? ownDiagnosis
      : classifyFailure({
          tail: watchdog ? [...tail, `trainbench watchdog: ${watchdog.message}`] : tail,
          slurmState: state.state,
          ...(exitCode !== undefined ? { exitCode } : {}),
          ...(watchdog ? { stalledForS: watchdog.verdict.silentForS } : {}),
        });
  return { ...diagnosis, ...(rank ? { rank: rank.rank, rankCause: rank.cause, rankEvidence: rank.evidence } : {}) };
}
