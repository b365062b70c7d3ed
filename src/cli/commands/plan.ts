// `trainbench plan MODEL ...`: search parallel plans for a model on N GPUs, ranked by predicted step time.
// `trainbench plan validate`: the model's predictions against every published validation row.
import { Option, type Command } from 'commander';
import { usageError } from '../../core/errors.ts';
import type { Dtype, Task } from '../../core/plan/index.ts';
import { positiveInteger, positiveNumber } from '../options.ts';
import type { RegisterCommand } from './registry.ts';

interface PlanOpts {
  gpus: number;
  gpu: string;
  dtype: Dtype;
  seq: number;
  gbs: number;
  task: Task;
  paramDtype?: 'fp32' | 'bf16';
  loss?: 'fused' | 'plain';
  top: number;
  loraRank?: number;
  gpusPerNode?: number;
  networkGbps?: number;
  memoryGib?: number;
  sharding?: string;
  recompute?: string;
  json?: boolean;
}

/** Parses a comma list against its allowed values, naming the flag and the bad value. */
function listOf<T extends string>(flag: string, raw: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = items.find((x) => !(allowed as readonly string[]).includes(x));
  if (bad !== undefined || items.length === 0) {
    throw usageError(`${flag}: unknown value '${bad ?? raw}'`, { code: 'invalid-choice', hint: `use a comma list of: ${allowed.join(', ')}` });
  }
  return items as T[];
}

export const registerPlan: RegisterCommand = (program, ctx) => {
  const plan = program
    .command('plan')
    .description('search parallel plans (TP/PP/VP/CP/DP/MBS/recompute/sharding) ranked by predicted step time')
    .argument('[model]', 'model name from data/models (e.g. llama3.1-70b)')
    .option('--gpus <n>', 'number of GPUs', positiveInteger('--gpus'))
    .option('--gpu <name>', 'GPU type from data/gpus (e.g. h100, a100-40gb)', 'h100')
    .addOption(new Option('--dtype <dtype>', 'training precision').choices(['bf16', 'fp8']).default('bf16'))
    .option('--seq <n>', 'sequence length', positiveInteger('--seq'))
    .option('--gbs <n>', 'global batch size (sequences)', positiveInteger('--gbs'))
    .addOption(new Option('--task <task>', 'what is trained').choices(['pretrain', 'sft', 'lora']).default('pretrain'))
    .addOption(new Option('--loss <kind>', 'cross-entropy: fused = Megatron\'s vocab-parallel loss (4 B per logit); plain = F.cross_entropy over materialised logits as Hugging Face/LLaMA-Factory (14 B per logit)').choices(['fused', 'plain']))
    .addOption(new Option('--param-dtype <dtype>', 'parameters and optimizer state: fp32 = mixed precision with fp32 master weights and Adam moments (18 B/param); bf16 = all bf16, as LLaMA-Factory pure_bf16 (8 B/param)').choices(['fp32', 'bf16']))
    .option('--top <n>', 'how many plans to show', positiveInteger('--top'), 5)
    .option('--lora-rank <r>', 'LoRA rank (task lora)', positiveInteger('--lora-rank'))
    .option('--gpus-per-node <n>', 'override the GPU type default', positiveInteger('--gpus-per-node'))
    .option('--network-gbps <GBps>', 'override inter-node bandwidth per GPU, GB/s one direction', positiveNumber('--network-gbps'))
    .option('--memory-gib <GiB>', 'override usable memory per GPU', positiveNumber('--memory-gib'))
    .option('--sharding <list>', 'shardings to search (default none,distributed_optimizer,fsdp_full_shard)')
    .option('--recompute <list>', 'recompute modes to search (default none,selective,full)')
    .option('--json', 'one JSON document')
    .action(async (modelName: string | undefined, opts: PlanOpts) => {
      const missing = [!modelName && 'MODEL', !opts.gpus && '--gpus', !opts.seq && '--seq', !opts.gbs && '--gbs'].filter(Boolean);
      if (missing.length) {
        throw usageError(`plan needs ${missing.join(', ')}`, {
          code: 'missing-option',
          hint: 'e.g. trainbench plan llama3.1-70b --gpus 64 --gpu h100 --seq 8192 --gbs 128',
        });
      }
      const core = await import('../../core/plan/index.ts');
      const shardings = listOf('--sharding', opts.sharding, core.SHARDINGS);
      const recomputes = listOf('--recompute', opts.recompute, core.RECOMPUTES);
      const { loadCatalog } = await import('../../adapters/catalog/index.ts');
      const catalog = loadCatalog();
      const model = core.resolveModel(catalog, modelName!);
      const hw = core.withOverrides(core.resolveGpu(catalog, opts.gpu), {
        ...(opts.gpusPerNode !== undefined ? { gpusPerNode: opts.gpusPerNode } : {}),
        ...(opts.networkGbps !== undefined ? { networkGBps: opts.networkGbps } : {}),
        ...(opts.memoryGib !== undefined ? { memoryGiB: opts.memoryGib } : {}),
      });
      const result = core.searchPlans({
        model, hw, numGpus: opts.gpus, seqLen: opts.seq, gbs: opts.gbs, dtype: opts.dtype, task: opts.task,
        ...(opts.loraRank !== undefined ? { loraRank: opts.loraRank } : {}),
        ...(opts.paramDtype !== undefined ? { paramDtype: opts.paramDtype } : {}),
        ...(opts.loss !== undefined ? { loss: opts.loss } : {}),
        ...(shardings ? { shardings } : {}),
        ...(recomputes ? { recomputes } : {}),
      });
      if (opts.json) {
        const pick = (r: (typeof result.ranked)[number]) => ({ plan: r.plan, ...r.time, memory: r.memory });
        ctx.io.out(JSON.stringify({
          model: modelName, gpu: hw, num_gpus: opts.gpus, seq_len: opts.seq, gbs: opts.gbs, dtype: opts.dtype, task: opts.task,
          considered: result.considered, invalid: result.invalid, out_of_memory: result.outOfMemory, fitting: result.ranked.length,
          top: result.ranked.slice(0, opts.top).map(pick),
          best_out_of_memory: result.bestOutOfMemory.map(pick),
          why: core.explainBest(result),
        }, null, 2) + '\n');
      } else ctx.io.out(core.renderSearch(result, opts.top));
    });

  plan
    .command('validate')
    .description('predicted vs published step time for every validation row (data/published), with MAPE and the worst rows')
    .option('--worst <n>', 'how many worst rows to list', positiveInteger('--worst'), 10)
    .option('--json', 'one JSON document')
    .action(async (opts: { worst: number; json?: boolean }, cmd: Command) => {
      // `plan` has its own --json; commander hands a trailing --json to the parent, so read both.
      const json = Boolean(opts.json ?? cmd.parent?.opts<{ json?: boolean }>().json);
      const core = await import('../../core/plan/index.ts');
      const { readFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { defaultDataDir } = await import('../../adapters/catalog/index.ts');
      const dir = join(defaultDataDir(), 'published');
      const all = [
        ...core.parsePublishedJsonl(readFileSync(join(dir, 'published_runs.jsonl'), 'utf8'), 'published'),
        ...core.parsePublishedJsonl(readFileSync(join(dir, 'seed_runs.jsonl'), 'utf8'), 'seed'),
      ];
      const report = core.validationReport(all.filter(core.isCase), core.FITTED, opts.worst);
      const skipped = all.filter((c) => !core.isCase(c));
      if (json) ctx.io.out(JSON.stringify({ calibration: core.FITTED, ...report, skipped }, null, 2) + '\n');
      else {
        ctx.io.out(core.renderValidation(report));
        ctx.io.out(`skipped ${skipped.length} rows: ${skipped.map((s) => `${s.id} (${'reason' in s ? s.reason : ''})`).join('; ')}\n`);
      }
    });
};
