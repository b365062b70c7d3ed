// Starting the reference workload for a recipe: run directory, resolved recipe and run.json written there, one
// JobSpec for the chosen executor, the job submitted. Shared by `launch` (submit and return) and `run` (wait too).
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { resolveRecipe, type ResolvedRecipe } from '../../core/catalog/index.ts';
import { inputError, usageError } from '../../core/errors.ts';
import { checkDataset } from '../dataset/check.ts';
import type { JobSpec } from '../../core/jobs/spec.ts';
import { workloadRunConfig, type WorkloadRunConfig } from '../../core/launch/workload-config.ts';
import { loadCatalog } from '../catalog/index.ts';
import { createLocalExecutor } from '../executors/local.ts';
import { createSlurmExecutor } from '../executors/slurm.ts';
import type { Executor, ExecutorName, JobHandle } from '../executors/types.ts';
import { packageRoot } from '../paths.ts';
import { cpuThreadsPerRank } from '../peak/cpu-peak.ts';
import { findPython } from '../python/index.ts';
import { createRunDir } from '../rundir/index.ts';

export interface StartOptions {
  recipe: string;
  executor: ExecutorName;
  home: string;
  env: NodeJS.ProcessEnv;
  steps?: number;
  dataPrefix?: string;
  /** Slurm only: partition to submit to. */
  partition?: string;
  /** Slurm only: environment for the client commands (SLURM_CONF of the namespace cluster). */
  slurmEnv?: Record<string, string>;
  /** Job time limit; default 30 minutes. */
  timeLimitMinutes?: number;
  /** Ask for SIGUSR1 this long before the time limit (the workload checkpoints and exits 0). */
  signalBeforeS?: number;
  /** Checkpoint every N steps instead of the recipe's checkpoint_every. */
  checkpointEvery?: number;
  /** Extra environment for every rank. */
  rankEnv?: Record<string, string>;
  /** Sample vmstat/dmon beside the job (default true). */
  telemetry?: boolean;
}

export interface StartedRun {
  recipe: ResolvedRecipe;
  runDir: string;
  config: WorkloadRunConfig;
  threadsPerRank: number;
  spec: JobSpec;
  executor: Executor;
  handle: JobHandle;
  notes: string[];
}

export function executorFor(name: ExecutorName, slurmEnv?: Record<string, string>): Executor {
  return name === 'slurm' ? createSlurmExecutor(slurmEnv ? { env: slurmEnv } : {}) : createLocalExecutor();
}

export function prepareWorkload(o: StartOptions): Omit<StartedRun, 'handle'> {
  const recipe = resolveRecipe(loadCatalog(), o.recipe);
  if (recipe.engine !== 'workload') {
    throw usageError(`${recipe.id} runs on ${recipe.engine}, which is not installed here`, {
      code: 'not-a-workload-recipe',
      hint: `render and submit it on its cluster with: trainbench launch ${recipe.id} --cluster <profile>`,
    });
  }
  if (o.dataPrefix) assertDatasetFits(o.dataPrefix, recipe.model.vocab);
  const ranksPerNode = Math.min(recipe.gpus_per_node, recipe.num_gpus);
  const onCpu = recipe.gpu.measured_at_runtime === true;
  // Every CPU rank of the embedded default runs on this host (local executor, local Slurm, namespace nodes alike):
  // one thread per core avoids oversubscription, which would make MFU meaningless.
  const threadsPerRank = onCpu ? cpuThreadsPerRank(recipe.num_gpus) : 0;
  const runDir = createRunDir(o.home, recipe.id);
  const { config, notes } = workloadRunConfig(recipe, {
    checkpointDir: join(runDir, 'checkpoints'),
    ...(o.steps ? { steps: o.steps } : {}),
    ...(o.dataPrefix ? { dataPrefix: o.dataPrefix } : {}),
    cpuThreadsPerRank: threadsPerRank,
    ...(o.checkpointEvery ? { checkpointEvery: o.checkpointEvery } : {}),
  });
  writeFileSync(join(runDir, 'recipe.json'), JSON.stringify(recipe, null, 2));
  writeFileSync(join(runDir, 'run.json'), JSON.stringify(config, null, 2));
  const spec: JobSpec = {
    name: recipe.id,
    runDir,
    nodes: recipe.nodes,
    tasksPerNode: ranksPerNode,
    ...(onCpu ? { cpusPerTask: threadsPerRank } : { gpusPerNode: ranksPerNode }), // one GPU per rank, asked of Slurm
    ...(o.partition ? { partition: o.partition } : {}),
    timeLimitMinutes: o.timeLimitMinutes ?? 30,
    ...(o.executor === 'slurm' && o.telemetry !== false ? { telemetry: true } : {}),
    ...(o.signalBeforeS !== undefined ? { signal: { name: 'USR1' as const, secondsBefore: o.signalBeforeS } } : {}),
    command: [findPython(o.env), join(packageRoot(), 'workload', 'train.py'), '--config', join(runDir, 'run.json')],
    env: { PYTHONUNBUFFERED: '1', ...(onCpu ? { OMP_NUM_THREADS: String(threadsPerRank) } : {}), ...o.rankEnv },
  };
  return { recipe, runDir, config, threadsPerRank, spec, executor: executorFor(o.executor, o.slurmEnv), notes };
}

/** A dataset is checked before any rank starts: a corrupt pair or a token id past the model's vocabulary would
 * otherwise surface as a crash in every rank, minutes later. */
function assertDatasetFits(prefix: string, vocab: number): void {
  const report = checkDataset(prefix, { vocabSize: vocab });
  if (report.ok) return;
  const first = report.problems[0]!;
  throw inputError(`${first.message}${report.problems.length > 1 ? ` (and ${report.problems.length - 1} more problems)` : ''}`, {
    code: 'dataset-unusable',
    file: first.file,
    hint: `run trainbench data check ${prefix} --vocab ${vocab}; a tokenizer larger than the model's ${vocab}-token vocabulary needs a recipe whose model covers it`,
  });
}

export async function startWorkload(o: StartOptions): Promise<StartedRun> {
  const prepared = prepareWorkload(o);
  const handle = await prepared.executor.submit(prepared.spec);
  return { ...prepared, handle };
}
