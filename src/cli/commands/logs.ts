// `trainbench logs RUN [-f] [--rank N]`: the job's main log (or one rank's), optionally followed until the job ends.
import { nonNegativeInteger } from '../options.ts';
import type { RegisterCommand } from './registry.ts';

export const registerLogs: RegisterCommand = (program, ctx) => {
  program
    .command('logs')
    .description("print a launched job's log; -f follows it until the job ends")
    .argument('<run>', 'run directory, run name or job id')
    .option('-f, --follow', 'keep printing what is appended until the job ends')
    .option('--rank <n>', "one rank's own log instead of the main log", nonNegativeInteger('--rank'))
    .action(async (run: string, opts: { follow?: boolean; rank?: number }) => {
      const { openJob } = await import('./job-context.ts');
      const { copyFrom, followLog } = await import('../../adapters/rundir/index.ts');
      const { isTerminal } = await import('../../core/jobs/state.ts');
      const { existsSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { usageError } = await import('../../core/errors.ts');
      const { handle, executor } = await openJob(ctx, run);
      let file = executor.logFiles(handle)[0] ?? handle.logFile;
      if (opts.rank !== undefined) {
        if (opts.rank >= handle.worldSize) {
          throw usageError(`--rank ${opts.rank} is out of range: the job has ${handle.worldSize} ranks`, {
            code: 'rank-out-of-range',
            hint: `pass --rank between 0 and ${handle.worldSize - 1}`,
          });
        }
        file = join(handle.runDir, `log-rank${opts.rank}.out`);
      }
      if (opts.follow) {
        let last: Awaited<ReturnType<typeof executor.status>> | undefined;
        await followLog(file, ctx.io.out, async () => isTerminal((last = await executor.status(handle))));
        // The job has ended: finish the stored record if the `trainbench run` that owned it is gone.
        const { reattachRun } = await import('../../adapters/run/reattach.ts');
        const { trainbenchHome } = await import('../../adapters/rundir/index.ts');
        if (last) await reattachRun(trainbenchHome(ctx.env), ctx.env, handle, last);
        return;
      }
      if (!existsSync(file)) {
        const state = await executor.status(handle);
        ctx.io.err(`no log yet at ${file} (job is ${state.state}); use -f to wait for it\n`);
        return;
      }
      copyFrom(file, 0, ctx.io.out);
    });
};
