import { EXIT } from '../../core/errors.ts';
import { positiveInteger } from '../options.ts';
import type { RegisterCommand } from './registry.ts';

export const DEFAULT_RUN_RECIPE = 'workload-mini-cpu';

interface RunOptions {
  executor: 'local' | 'slurm';
  cluster?: string;
  steps?: number;
  data?: string;
  telemetry: boolean;
  json?: boolean;
}

export const registerRun: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('run')
    .description('launch a recipe, follow it live, measure it and store the result (default: the embedded CPU recipe)')
    .argument('[recipe]', 'recipe id (engine workload)', DEFAULT_RUN_RECIPE)
    .option('--executor <executor>', 'local (ranks on this host) or slurm', 'local')
    .option('--cluster <name>', 'netns: the namespace cluster of `trainbench cluster up` (implies --executor slurm)')
    .option('--steps <n>', 'override the number of steps', positiveInteger('--steps'))
    .option('--data <prefix>', 'train on a Megatron .bin/.idx dataset prefix instead of mock tokens')
    .option('--no-telemetry', 'do not sample vmstat/nvidia-smi beside the job')
    .option('--json', 'one JSON document (no progress line)')
    .action(async (recipe: string, opts: RunOptions) => {
      if (opts.executor !== 'local' && opts.executor !== 'slurm') {
        const { usageError } = await import('../../core/errors.ts');
        throw usageError(`--executor must be local or slurm, got '${opts.executor}'`, { code: 'unknown-executor' });
      }
      if (opts.cluster !== undefined && opts.cluster !== 'netns') {
        const { usageError } = await import('../../core/errors.ts');
        throw usageError(`--cluster must be netns for run, got '${opts.cluster}'`, { code: 'unknown-cluster', hint: 'real clusters: trainbench launch RECIPE --cluster PROFILE' });
      }
      const netns = opts.cluster === 'netns' ? await import('../../adapters/cluster/netns.ts') : undefined;
      const { trainbenchHome } = await import('../../adapters/rundir/index.ts');
      const { runRecipe } = await import('../../adapters/run/run-recipe.ts');
      const { formatProgress } = await import('../../adapters/run/progress.ts');
      const { renderResultTable } = await import('../../core/measure/index.ts');
      const live = !opts.json;
      let lastLine = '';
      const outcome = await runRecipe({
        recipe,
        executor: netns ? 'slurm' : opts.executor,
        ...(netns ? { slurmEnv: netns.netnsSlurmEnv(ctx.env), rankEnv: netns.netnsRankEnv() } : {}),
        home: trainbenchHome(ctx.env),
        env: ctx.env,
        telemetry: opts.telemetry,
        ...(opts.steps ? { steps: opts.steps } : {}),
        ...(opts.data ? { dataPrefix: opts.data } : {}),
        onProgress: (p) => {
          const line = formatProgress(p);
          if (!live || line === lastLine) return;
          lastLine = line;
          ctx.io.err(`${line}\n`);
        },
      });
      const failed = outcome.state.state !== 'COMPLETED';
      if (opts.json) {
        ctx.io.out(JSON.stringify(outcome, null, 2) + '\n');
      } else {
        ctx.io.out(`\n${recipe}: ${outcome.state.state}${outcome.state.reason ? ` (${outcome.state.reason.split('\n')[0]})` : ''}, ${outcome.steps} steps logged\n\n`);
        ctx.io.out(renderResultTable(outcome.result, recipe));
        if (outcome.flops) {
          const f = outcome.flops;
          ctx.io.out(`\nModel FLOPs per token: trainbench ${f.trainbenchPerToken.toExponential(4)}, workload (from parameter shapes) ${f.workloadPerToken.toExponential(4)}, difference ${(f.relativeDifference * 100).toFixed(3)}%\n`);
        }
        for (const n of outcome.notes) ctx.io.out(`note: ${n}\n`);
        ctx.io.out(`\nrun directory: ${outcome.runDir}\nstored as run ${outcome.runId} (trainbench results show ${outcome.runId})\n`);
        if (failed) ctx.io.err(`the job ended ${outcome.state.state}; see trainbench logs ${outcome.runDir}\n`);
      }
      if (failed) setExit(EXIT.jobFailed);
    });
};
