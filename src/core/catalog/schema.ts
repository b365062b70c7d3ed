// The catalog's file formats (data/models, data/gpus, data/recipes), schema_version 1. The zod schemas are the
// single source of truth; the TypeScript types are inferred from them.
import { z } from 'zod';
import { parsePrinted } from './printed.ts';

const POS_INT = 'expected a positive integer';
const POS_NUM = 'expected a positive number';
const NAME = 'expected a lower-case name (letters, digits, ".", "-")';

export const posInt = z.number({ error: POS_INT }).int({ error: POS_INT }).positive({ error: POS_INT });
const nonNegInt = z.number({ error: 'expected an integer >= 0' }).int({ error: 'expected an integer >= 0' }).min(0, { error: 'expected an integer >= 0' });
const posNum = z.number({ error: POS_NUM }).positive({ error: POS_NUM });
const name = z.string({ error: NAME }).regex(/^[a-z0-9][a-z0-9.\-]*$/, { error: NAME });
const text = z.string({ error: 'expected a non-empty string' }).min(1, { error: 'expected a non-empty string' });
const version = z.literal(1, { error: 'expected schema_version: 1 (the only version this trainbench reads)' });

/** A figure as the seed prints it, e.g. "56.38%", "1.84E+14", "99296", "16:35:57", ">50". */
export const printedString = z
  .string({ error: 'expected a printed figure as a quoted string, e.g. "56.38%" or "1.84E+14"' })
  .refine((s) => parsePrinted(s) !== undefined, { error: 'expected a printed figure, e.g. "56.38%", "1.84E+14", "116"' });

export const modelSchema = z.strictObject({
  schema_version: version,
  name,
  aliases: z.array(text).optional(),
  family: z.enum(['gpt', 'llama'], { error: 'expected family gpt or llama' }),
  layers: posInt,
  hidden: posInt,
  ffn: posInt,
  heads: posInt,
  kv_heads: posInt,
  vocab: posInt,
  seq_len: posInt,
  params: posNum,
  flops_formula: z.enum(['dense-gpt', 'llama'], { error: 'expected flops_formula dense-gpt or llama' }),
  source: text,
});

/** A spec value with where it comes from; null means "not supported" (fp8 on A100) or "measured at run time" (cpu). */
const sourced = z.strictObject({ value: posNum.nullable(), source: text });

export const gpuSchema = z.strictObject({
  schema_version: version,
  name,
  display_name: text,
  aliases: z.array(text).optional(),
  peak_tflops: z.strictObject({ bf16: sourced, fp8: sourced, tf32: sourced }),
  memory_gb: sourced,
  memory_bandwidth_tbps: sourced,
  /** NVLink bandwidth per GPU in GB/s, ONE direction (datasheets print the bidirectional total, twice this). */
  nvlink_gbps_per_direction: sourced,
  /** Scale-out network per GPU in Gb/s (bits), e.g. one 400 Gb/s InfiniBand NDR port per GPU. */
  network_gbit_per_gpu: sourced,
  tdp_watts: sourced,
  gpus_per_node: posInt,
  /** true for `cpu`: peaks are null and measured on this machine when a run starts. */
  measured_at_runtime: z.boolean().optional(),
});

export const dtypes = ['bf16', 'fp8', 'tf32'] as const;
export const engines = ['nemo1', 'nemo2', 'megatron', 'llamafactory', 'nnscaler', 'torchtitan', 'workload'] as const;
export const tasks = ['pretrain', 'sft', 'lora'] as const;
/** The workload's attention: `sdpa` lets PyTorch choose; `tune` times the CUDA backends once at the run's shape. */
export const workloadAttention = ['sdpa', 'flash', 'cudnn', 'efficient', 'math', 'tune'] as const;

const parallelDegree = posInt.nullable();

export const recipeSchema = z.strictObject({
  id: name,
  title: text.optional(),
  engine: z.enum(engines, { error: `expected engine ${engines.join('|')}` }),
  task: z.enum(tasks, { error: `expected task ${tasks.join('|')}` }),
  model: name,
  /** Shrinks the model the way nnScaler's create_mini_model does: same architecture rules, smaller numbers. */
  scale: z
    .strictObject({ layers: posInt, hidden: posInt, ffn: posInt, heads: posInt, kv_heads: posInt, vocab: posInt })
    .partial()
    .optional(),
  gpu: name,
  num_gpus: posInt,
  gpus_per_node: posInt,
  dtype: z.enum(dtypes, { error: `expected dtype ${dtypes.join('|')}` }),
  seq_len: posInt,
  gbs: posInt,
  mbs: posInt,
  /** Gradient accumulation as the seed prints it (null: not printed; derived as gbs / (mbs * dp)). */
  grad_accum: posInt.nullable().optional(),
  /** Degrees exactly as the seed prints them; null where it says NA (or says nothing). */
  parallelism: z.strictObject({
    tp: parallelDegree,
    pp: parallelDegree,
    cp: parallelDegree,
    ep: parallelDegree,
    dp: parallelDegree,
    vp: parallelDegree,
    /** nnScaler plan_ngpus: the size of the automatically partitioned model-parallel group. */
    auto_plan_gpus: posInt.optional(),
  }),
  /** The seed's GBS rule "global batch = nodes * N" (001/002: 16). */
  gbs_per_node: posInt.optional(),
  /** Optimizer steps the recipe runs; null where the seed does not say. */
  steps: posInt.nullable(),
  checkpoint_every: posInt.optional(),
  /** Reference-workload knobs (workload/README.md): how the run uses PyTorch, not what it trains. */
  workload: z
    .strictObject({
      param_dtype: z.enum(['fp32', 'bf16'], { error: 'expected param_dtype fp32|bf16' }),
      compile: z.boolean(),
      ce_chunk: nonNegInt,
      activation_checkpointing: z.boolean(),
      cuda_event_timing: z.boolean(),
      attention: z.enum(workloadAttention, { error: `expected attention ${workloadAttention.join('|')}` }),
      rms_norm: z.enum(['explicit', 'fused'], { error: 'expected rms_norm explicit|fused' }),
    })
    .partial()
    .optional(),
  /** Which steps the published step time averages: the last N, all but the first N, or the first N; null: unstated. */
  window: z
    .union([z.strictObject({ last: posInt }), z.strictObject({ skip_first: nonNegInt }), z.strictObject({ first: posInt })], {
      error: 'expected window {last: N} or {skip_first: N} or {first: N}',
    })
    .nullable(),
  /** Published model-FLOPs constant, per sample (sequence) or per optimizer step, as printed. */
  model_flops: z
    .strictObject({ printed: printedString, unit: z.enum(['FLOP', 'TFLOP']).default('FLOP'), per: z.enum(['sample', 'step']) })
    .optional(),
  /** The parameter count the seed plugs into a params-based formula (nnScaler: "param_num = 8 x 10^9"). */
  formula_params: posNum.optional(),
  /** The dense peak the seed itself prints for this GPU and dtype, in TFLOP/s, e.g. "989". */
  peak_tflops_printed: printedString.optional(),
  /** Every published figure as printed. step_time_s is seconds per optimizer step. */
  baseline: z
    .strictObject({
      step_time_s: printedString.optional(),
      tokens_per_s: printedString.optional(),
      mfu: printedString.optional(),
      days_1t: printedString.optional(),
    })
    .optional(),
  notes: text.optional(),
});

const partialRecipe = recipeSchema.partial();

export const logLineSchema = z.strictObject({
  id: name,
  recipe: name,
  /** What the seed says the line is; the audit reads train_step_timing, consumed_samples, global_step, n/total. */
  context: text,
  line: text,
});

export const exampleSchema = z.strictObject({
  id: name,
  /** The seed's own words around the example. */
  text,
  /** The arithmetic exactly as the seed writes it (numbers may carry thousands commas; ^ is power). */
  expr: text,
  printed: printedString,
  /** What the result is, in the printed scale: used to chain examples (a days example uses a tokens/s result). */
  quantity: z.enum(['tokens_per_s', 'days_1t', 'mfu', 'model_flops', 'flops_term', 'tflops', 'count', 'seconds', 'hours', 'bytes']),
  /** For flops_term examples: which bracketed term of the model-FLOPs formula the result is. */
  term: z.enum(['attention', 'mlp', 'embedding']).optional(),
  recipe: name.optional(),
  log: name.optional(),
  /** The recipe-level inputs this example plugs in, for checks against the recipe, the log line and other examples. */
  uses: z
    .strictObject({
      seq_len: posNum.optional(),
      gbs: posNum.optional(),
      num_gpus: posNum.optional(),
      step_time_s: posNum.optional(),
      tokens_per_s: posNum.optional(),
      model_flops: posNum.optional(),
      peak_flops: posNum.optional(),
    })
    .optional(),
});

export const recipeFileSchema = z.strictObject({
  schema_version: version,
  seed: text,
  title: text,
  defaults: partialRecipe.optional(),
  recipes: z.array(z.record(z.string(), z.unknown()), { error: 'expected a list of recipes' }).min(1),
  logs: z.array(logLineSchema).optional(),
  examples: z.array(exampleSchema).optional(),
});

export type Model = z.infer<typeof modelSchema> & { file: string };
export type Gpu = z.infer<typeof gpuSchema> & { file: string };
export type Recipe = z.infer<typeof recipeSchema> & { seed: string; file: string };
export type LogLine = z.infer<typeof logLineSchema> & { seed: string; file: string };
export type Example = z.infer<typeof exampleSchema> & { seed: string; file: string };
export type Dtype = (typeof dtypes)[number];
export type Engine = (typeof engines)[number];
export type Task = (typeof tasks)[number];
