import type { RegisterCommand } from './registry.ts';

const HELP = `
Creates the directories the recipe's seed expects under the profile's stage_path (or --stage) and records them
in <stage>/.trainbench-setup.json. Steps it cannot do here (enroot import of the container, git clones, gated
Hugging Face downloads) are printed as exact commands; downloads read HF_TOKEN from your shell and trainbench
never writes it anywhere. Running it again creates nothing and says "nothing to do".`;

interface SetupFlags {
  cluster: string;
  stage?: string;
  dryRun?: boolean;
  json?: boolean;
}

export const registerSetup: RegisterCommand = (program, ctx) => {
  program
    .command('setup')
    .description("prepare a recipe's stage directory layout; print the steps that need the cluster as commands")
    .argument('<recipe>', 'recipe id (trainbench recipes)')
    .option('--cluster <profile>', 'cluster profile name (data/clusters) or path', 'local')
    .option('--stage <path>', "stage directory (default: the profile's stage_path)")
    .option('--dry-run', 'show what would be created; create nothing')
    .option('--json', 'one JSON document')
    .addHelpText('after', HELP)
    .action(async (recipe: string, opts: SetupFlags) => {
      const { runSetup } = await import('../../adapters/setup/apply.ts');
      const { resolve } = await import('node:path');
      const r = runSetup(recipe, {
        cluster: opts.cluster,
        env: ctx.env,
        ...(opts.stage ? { stage: resolve(ctx.cwd, opts.stage) } : {}),
        ...(opts.dryRun ? { dryRun: true } : {}),
      });
      if (opts.json) {
        ctx.io.out(JSON.stringify(r, null, 2) + '\n');
        return;
      }
      const verb = r.dryRun ? 'would create' : 'created';
      ctx.io.out(`# ${r.recipe} (seed ${r.seed}) on ${r.cluster}, stage ${r.stage}\n`);
      if (r.nothingToDo) ctx.io.out(`nothing to do: ${r.existing.length ? `${r.existing.join(', ')} already in place` : 'this recipe needs no stage directories'}\n`);
      for (const d of r.created) ctx.io.out(`${verb} ${d}/\n`);
      if (r.created.length && !r.dryRun) ctx.io.out(`recorded in ${r.record}\n`);
      const todo = r.manual.filter((m) => !m.done);
      const done = r.manual.filter((m) => m.done);
      for (const m of done) ctx.io.out(`done: ${m.id} (${m.creates} exists)\n`);
      if (todo.length) ctx.io.out(`\n# steps to run yourself, in order:\n`);
      for (const m of todo) ctx.io.out(`# ${m.what}\n${m.command}\n`);
      if (todo.some((m) => m.command.includes('$HF_TOKEN')) && !r.hfTokenSet) {
        ctx.io.err('note: HF_TOKEN is not set in this shell; export it before the download commands\n');
      }
    });
};
