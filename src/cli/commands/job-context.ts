// Shared by status/logs/cancel: RUN (a run directory, run name or job id) -> its handle and executor.
import type { CommandContext } from '../io.ts';
import type { Executor, JobHandle } from '../../adapters/executors/types.ts';

export interface JobContext {
  runDir: string;
  handle: JobHandle;
  executor: Executor;
}

export async function openJob(ctx: CommandContext, run: string): Promise<JobContext> {
  const { trainbenchHome, resolveRun, readJobHandle } = await import('../../adapters/rundir/index.ts');
  const { getExecutor } = await import('../../adapters/executors/index.ts');
  const runDir = resolveRun(trainbenchHome(ctx.env), run, ctx.cwd);
  const handle = readJobHandle(runDir);
  // Slurm's client commands read SLURM_CONF and friends from the environment the CLI was given.
  const env = Object.fromEntries(Object.entries(ctx.env).filter((e): e is [string, string] => e[1] !== undefined));
  return { runDir, handle, executor: getExecutor(handle.executor, { env }) };
}
