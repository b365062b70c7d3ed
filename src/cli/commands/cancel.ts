// `trainbench cancel RUN`: stops the job (scancel, or SIGTERM then SIGKILL for local ranks) and prints its final state.
import type { RegisterCommand } from './registry.ts';

export const registerCancel: RegisterCommand = (program, ctx) => {
  program
    .command('cancel')
    .description('cancel a launched job and wait until it has stopped')
    .argument('<run>', 'run directory, run name or job id')
    .option('--json', 'one JSON document')
    .action(async (run: string, opts: { json?: boolean }) => {
      const { openJob } = await import('./job-context.ts');
      const { isTerminal } = await import('../../core/jobs/state.ts');
      const { runDir, handle, executor } = await openJob(ctx, run);
      const before = await executor.status(handle);
      if (!isTerminal(before)) await executor.cancel(handle);
      const state = isTerminal(before) ? before : await executor.status(handle);
      const already = isTerminal(before);
      if (opts.json) {
        ctx.io.out(JSON.stringify({ runDir, jobId: handle.jobId, alreadyEnded: already, state }, null, 2) + '\n');
        return;
      }
      ctx.io.out(`${state.state}\n`);
      if (already) ctx.io.err(`job ${handle.jobId} had already ended; nothing to cancel\n`);
    });
};
