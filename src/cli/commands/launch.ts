import { EXIT } from '../../core/errors.ts';
import { positiveInteger } from '../options.ts';
import type { CommandContext } from '../io.ts';
import type { RegisterCommand } from './registry.ts';

interface LaunchOptions {
  engine?: string;
  cluster: string;
  executor?: 'local' | 'slurm';
  dryRun?: boolean;
  steps?: number;
  data?: string[];
  json?: boolean;
}

export const registerLaunch: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('launch')
    .description("render, validate and submit a recipe's launch for its engine (or --engine) on a cluster profile")
    .argument('<recipe>', 'recipe id (trainbench recipes)')
    .option('--engine <engine>', 'nemo1|nemo2|megatron|llamafactory|nnscaler|torchtitan|workload (default: the recipe\'s)')
    .option('--cluster <profile>', 'cluster profile name (data/clusters) or path', 'local')
    .option('--executor <executor>', 'workload only: local (spawn ranks here) or slurm')
    .option('--steps <n>', 'override the number of steps', positiveInteger('--steps'))
    .option('--data <prefix...>', 'Megatron .bin/.idx prefixes from `trainbench data prepare`')
    .option('--dry-run', 'print the exact files and commands; submit nothing')
    .option('--json', 'one JSON document')
    .action(async (recipe: string, opts: LaunchOptions) => {
      const { trainbenchHome } = await import('../../adapters/rundir/index.ts');
      const { join } = await import('node:path');
      const runsDir = join(trainbenchHome(ctx.env), 'runs');
      const { loadCatalog } = await import('../../adapters/catalog/index.ts');
      const { findRecipe } = await import('../../core/catalog/index.ts');
      if ((opts.engine ?? findRecipe(loadCatalog(), recipe).engine) === 'workload') {
        await launchWorkload(recipe, opts, ctx, trainbenchHome(ctx.env));
        return;
      }
      const engineLaunch = await import('../../adapters/launch/engine.ts');
      const plan = engineLaunch.planEngineLaunch(recipe, {
        cluster: opts.cluster,
        runsDir,
        ...(opts.engine ? { engine: opts.engine } : {}),
        ...(opts.steps ? { steps: opts.steps } : {}),
        ...(opts.data ? { dataPrefixes: opts.data } : {}),
      });
      if (opts.dryRun) {
        if (opts.json) {
          ctx.io.out(JSON.stringify({ recipe: plan.recipeId, engine: plan.engine, cluster: plan.cluster.name, runDir: plan.runDir, issues: plan.issues, files: plan.rendered.files, submit: plan.rendered.submit, notes: plan.rendered.notes }, null, 2) + '\n');
        } else {
          ctx.io.out(`# ${plan.recipeId} on ${plan.cluster.name} with ${plan.engine} (dry run: nothing submitted)\n# run directory: ${plan.runDir}\n`);
          for (const f of plan.rendered.files) ctx.io.out(`\n# ---- ${f.path}\n${f.content}`);
          ctx.io.out(`\n# ---- submit (from the run directory)\n${plan.rendered.submit.map((a) => a.join(' ')).join('\n')}\n`);
          for (const n of plan.rendered.notes) ctx.io.out(`# note: ${n}\n`);
          for (const i of plan.issues) ctx.io.err(`invalid: ${i.field}: ${i.message}\n`);
        }
        if (plan.issues.length) setExit(EXIT.config);
        return;
      }
      engineLaunch.assertValid(plan);
      engineLaunch.writeLaunchFiles(plan);
      const tests = engineLaunch.sbatchTestOnly(plan, plan.cluster.name === 'local');
      const refused = tests.filter((t) => !t.ok);
      if (refused.length) {
        const { schedulerError } = await import('../../core/errors.ts');
        throw schedulerError(`the scheduler refused ${refused.map((t) => `${t.file}: ${t.message}`).join('; ')}`, {
          code: 'test-only-refused',
          file: refused[0]!.file,
          hint: `nothing was submitted; the rendered files are in ${plan.runDir}`,
        });
      }
      const ids = engineLaunch.submitEngineLaunch(plan);
      if (opts.json) ctx.io.out(JSON.stringify({ recipe: plan.recipeId, engine: plan.engine, runDir: plan.runDir, jobIds: ids }, null, 2) + '\n');
      else ctx.io.out(`submitted ${plan.recipeId} (${plan.engine}) as job ${ids.join(', ')}\nrun directory: ${plan.runDir}\n`);
    });
};

/** The reference workload: run.json + a JobSpec for the local executor or Slurm; submitted, not waited for. */
async function launchWorkload(recipe: string, opts: LaunchOptions, ctx: CommandContext, home: string): Promise<void> {
  const executor = opts.executor ?? 'local';
  const { prepareWorkload } = await import('../../adapters/run/start-workload.ts');
  const base = { recipe, executor, home, env: ctx.env, ...(opts.steps ? { steps: opts.steps } : {}), ...(opts.data?.[0] ? { dataPrefix: opts.data[0] } : {}) };
  const prepared = prepareWorkload(base);
  if (opts.dryRun) {
    const { renderSbatch } = await import('../../core/render/sbatch.ts');
    const script = executor === 'slurm' ? renderSbatch(prepared.spec) : undefined;
    if (opts.json) {
      ctx.io.out(JSON.stringify({ recipe: prepared.recipe.id, engine: 'workload', executor, runDir: prepared.runDir, config: prepared.config, job: prepared.spec, ...(script ? { sbatch: script } : {}) }, null, 2) + '\n');
      return;
    }
    ctx.io.out(`# ${prepared.recipe.id} with the reference workload on ${executor} (dry run: nothing started)\n# run directory: ${prepared.runDir}\n`);
    ctx.io.out(`\n# ---- run.json\n${JSON.stringify(prepared.config, null, 2)}\n`);
    if (script) ctx.io.out(`\n# ---- sbatch.sh\n${script}\n# ---- submit\nsbatch --parsable sbatch.sh\n`);
    else ctx.io.out(`\n# ---- each of the ${prepared.spec.nodes * prepared.spec.tasksPerNode} ranks runs (RANK/WORLD_SIZE/LOCAL_RANK/MASTER_ADDR/MASTER_PORT set)\n${prepared.spec.command.join(' ')}\n`);
    return;
  }
  const handle = await prepared.executor.submit(prepared.spec);
  if (opts.json) ctx.io.out(JSON.stringify({ recipe: prepared.recipe.id, engine: 'workload', executor, runDir: prepared.runDir, jobId: handle.jobId, logFile: handle.logFile }, null, 2) + '\n');
  else ctx.io.out(`started ${prepared.recipe.id} on ${executor} as job ${handle.jobId}\nrun directory: ${prepared.runDir}\nfollow it with: trainbench logs -f ${prepared.runDir}\n`);
}
