// `trainbench status RUN`: the job's state (with reason, exit code, signal) and how many steps it has logged so far.
// A failed or cancelled job is reported, not an error: the exit code is 0 whenever the state could be read.
import type { RegisterCommand } from './registry.ts';

export const registerStatus: RegisterCommand = (program, ctx) => {
  program
    .command('status')
    .description('state of a launched job: RUN is a run directory, a run name (its newest run) or a job id')
    .argument('<run>', 'run directory, run name or job id')
    .option('--json', 'one JSON document')
    .action(async (run: string, opts: { json?: boolean }) => {
      const { openJob } = await import('./job-context.ts');
      const { countStepLines } = await import('../../adapters/rundir/index.ts');
      const { describeState } = await import('../../core/jobs/state.ts');
      const { runDir, handle, executor } = await openJob(ctx, run);
      const state = await executor.status(handle);
      const steps = countStepLines(handle.logFile);
      // A `trainbench run` that died while its job went on left the stored run RUNNING: finish it from the run dir.
      const { reattachRun } = await import('../../adapters/run/reattach.ts');
      const { trainbenchHome } = await import('../../adapters/rundir/index.ts');
      const stored = await reattachRun(trainbenchHome(ctx.env), ctx.env, handle, state);
      if (opts.json) {
        const doc = { runDir, executor: handle.executor, jobId: handle.jobId, name: handle.name, submittedAt: handle.submittedAt, state, steps, logFile: handle.logFile, ...(stored ? { stored } : {}) };
        ctx.io.out(JSON.stringify(doc, null, 2) + '\n');
        return;
      }
      const rows: [string, string][] = [
        ['run', runDir],
        ['job', `${handle.executor} ${handle.jobId} (${handle.name}, ${handle.worldSize} ranks)`],
        ['state', describeState(state).split('\n')[0] ?? state.state],
        ['steps', String(steps)],
        ['log', handle.logFile],
        ...(stored ? [['stored', `run ${stored.runId} ${stored.storedState}, ${stored.stepsStored} steps${stored.updated ? ' (recorded now: trainbench run was not there to finish it)' : ''}`] as [string, string]] : []),
      ];
      ctx.io.out(rows.map(([k, v]) => `${k.padEnd(6)} ${v}`).join('\n') + '\n');
      if (state.state === 'PENDING' && state.reason) {
        const { describePendingReason } = await import('../../core/jobs/slurm-state.ts');
        ctx.io.out(`       ${describePendingReason(state.reason).text}\n`);
      }
      const more = state.reason?.split('\n').slice(1) ?? [];
      if (more.length) ctx.io.out(more.map((l) => `       ${l}`).join('\n') + '\n');
    });
};
