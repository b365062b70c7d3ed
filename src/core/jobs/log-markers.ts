// Final states read from the markers slurmstepd and srun write into a job's output (FORMATS.md section 8): the
// fallback when the scheduler has forgotten the job and accounting (sacct) is off.
import type { JobState } from './state.ts';

// `slurmstepd: error: *** JOB 1234 ON node01 CANCELLED AT <t> DUE TO TIME LIMIT ***` (argv0 may be `slurmstepd-vm`).
const CANCEL = /slurmstepd(?:-\S+)?: error: \*\*\* (?:JOB|STEP) (\S+) ON (\S+) CANCELLED AT (\S+)(?: DUE [Tt][Oo] ([^*]+?))? \*\*\*/;
const OOM = /Detected \d+ oom[-_]kill event|task \d+: Out Of Memory/;
const STEP_FAILED = /\*\*\* STEP \S+ ON \S+ FAILED/;
const TASK_EXIT = /srun: error: \S+: tasks? [\d,-]+: Exited with exit code (\d+)/;
// A task that died on its own (killed, crashed, non-zero exit) before a STEP marker: srun --kill-on-bad-exit then
// cancelled the step, so the marker is a consequence and the job FAILED.
const TASK_DIED = /srun: error: \S+: tasks? [\d,-]+: (?:Killed|Aborted|Segmentation fault|Exited with exit code [1-9])/;

/** The terminal state the markers in a job log imply, or undefined when they imply none. */
export function stateFromLogMarkers(text: string): JobState | undefined {
  let cancel: RegExpExecArray | null = null;
  for (const line of text.split('\n')) {
    const m = CANCEL.exec(line);
    if (m) cancel ??= m; // the first marker names the cause; later ones repeat it per step
  }
  if (OOM.test(text)) return { state: 'OUT_OF_MEMORY', reason: 'a task was OOM-killed' };
  if (cancel) {
    const due = cancel[4]?.trim().toUpperCase() ?? '';
    const reason = cancel[0].replace(/^.*\*\*\* /, '').replace(/ \*\*\*$/, '');
    if (due.startsWith('TIME LIMIT')) return { state: 'TIMEOUT', reason };
    if (due.startsWith('PREEMPTION')) return { state: 'PREEMPTED', reason };
    if (due.startsWith('NODE FAILURE')) return { state: 'NODE_FAIL', reason };
    if (due.startsWith('TASK FAILURE')) return { state: 'FAILED', reason };
    const died = TASK_DIED.exec(text);
    if (due === '' && / STEP /.test(cancel[0]) && died && died.index < text.indexOf(cancel[0])) {
      return { state: 'FAILED', reason: died[0] };
    }
    return { state: 'CANCELLED', reason };
  }
  const exit = TASK_EXIT.exec(text);
  if (exit) return { state: 'FAILED', exitCode: Number(exit[1]), reason: exit[0] };
  if (STEP_FAILED.test(text)) return { state: 'FAILED', reason: 'a job step failed' };
  return undefined;
}
