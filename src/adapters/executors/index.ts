// The only door to the executors: pick one by name (as written in job.json) and use the Executor interface.
import { createLocalExecutor } from './local.ts';
import type { LocalExecutorOptions } from './local.ts';
import { createSlurmExecutor } from './slurm.ts';
import type { SlurmExecutorOptions } from './slurm.ts';
import type { Executor, ExecutorName } from './types.ts';

export type { Executor, ExecutorName, JobHandle, JobSpec, JobState, WaitOptions } from './types.ts';
export { createLocalExecutor, createSlurmExecutor };

export function getExecutor(name: ExecutorName, options: LocalExecutorOptions & SlurmExecutorOptions = {}): Executor {
  return name === 'local' ? createLocalExecutor(options) : createSlurmExecutor(options);
}
