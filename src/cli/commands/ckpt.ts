import { nonNegativeInteger } from '../options.ts';
import type { RegisterCommand } from './registry.ts';

const MERGE_HELP = `
Reads the reference workload's sharded checkpoints (<dir>/step_000010/rank_00000.pt ... + manifest.json) and
writes one file. The ranks train with DDP, so they hold replicated model state: the merged model is rank 0's,
after checking every rank's model has the same sha256 (exit 4 if they differ). Optimizer and RNG states are per
rank and kept under optimizer.rank_N / rng.rank_N. Other layouts (nnScaler N.ckpt, DeepSpeed global_step*,
Megatron iter_*) are named and refused with exit 4, with the engine's own merge tool.`;

export const registerCkpt: RegisterCommand = (program, ctx) => {
  const ckpt = program.command('ckpt').description('checkpoint tools');
  ckpt
    .command('merge')
    .description("consolidate the workload's per-rank checkpoint shards (newest complete step, or --step) into one file")
    .argument('<ckpt-dir>', 'the checkpoint.dir of a workload run (or one step_N directory)')
    .requiredOption('--out <file>', 'the merged file to write (torch.save)')
    .option('--step <n>', 'merge this step instead of the newest complete one', nonNegativeInteger('--step'))
    .option('--json', 'one JSON document')
    .addHelpText('after', MERGE_HELP)
    .action(async (dir: string, opts: { out: string; step?: number; json?: boolean }) => {
      const { mergeCheckpoint } = await import('../../adapters/ckpt/merge.ts');
      const { resolve } = await import('node:path');
      const r = mergeCheckpoint(resolve(ctx.cwd, dir), resolve(ctx.cwd, opts.out), opts.step, ctx.env);
      if (opts.json) {
        ctx.io.out(JSON.stringify(r, null, 2) + '\n');
        return;
      }
      ctx.io.out(
        `merged step ${r.step} of ${r.world_size} rank(s) from ${r.source}\n` +
          `  model: ${r.tensors} tensors, ${r.parameters} parameters, sha256 ${r.model_sha256.slice(0, 16)}… (all ranks agree)\n` +
          `  optimizer: ${r.optimizer_ranks} per-rank states under optimizer.rank_N\n` +
          `wrote ${r.out} (${r.bytes} bytes)\n`,
      );
    });
};
