// One `trainbench predict` input row: schema, defaults and the field-level issues that reject it. Pure: the model
// and GPU lookups are passed in, so the CLI decides where they come from (catalog, built-ins).
import { z } from 'zod';
import type { Hardware, ModelShape, Plan } from './types.ts';
import { validatePlan } from './validate.ts';

const int = z.number().int().positive();
const inlineModel = z.object({
  layers: int,
  hidden: int,
  ffn: int,
  heads: int,
  kv_heads: int,
  vocab: int,
  gated: z.boolean().optional(),
});

export const PredictRowSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  model: z.union([z.string().min(1), inlineModel]).optional(),
  layers: int.optional(),
  hidden: int.optional(),
  ffn: int.optional(),
  heads: int.optional(),
  kv_heads: int.optional(),
  vocab: int.optional(),
  gpu: z.string().min(1),
  num_gpus: int,
  dtype: z.enum(['bf16', 'fp16', 'fp8']).default('bf16'),
  seq_len: int,
  gbs: int,
  mbs: int.nullable().default(1),
  tp: int.nullable().default(1),
  pp: int.nullable().default(1),
  vp: int.nullable().default(1),
  cp: int.nullable().default(1),
  ep: int.nullable().default(1),
  dp: int.nullable().optional(),
  recompute: z.enum(['none', 'selective', 'full']).nullable().default('none'),
  task: z.enum(['pretrain', 'sft', 'lora']).default('pretrain'),
  sharding: z.enum(['none', 'distributed_optimizer', 'zero1', 'zero2', 'zero3', 'fsdp_full_shard']).default('distributed_optimizer'),
  lora_rank: int.optional(),
  sequence_parallel: z.boolean().optional(),
  loss_chunk_tokens: int.optional(),
  param_dtype: z.enum(['fp32', 'bf16']).optional(),
  loss: z.enum(['fused', 'plain']).optional(),
  gpus_per_node: int.optional(),
  network_gbps: z.number().positive().optional(),
  memory_gib: z.number().positive().optional(),
});
export type PredictRow = z.infer<typeof PredictRowSchema>;

export interface RowIssue {
  field: string;
  message: string;
}

/** Plan field names as the row spells them. */
const ROW_FIELD: Record<string, string> = { seqLen: 'seq_len', loraRank: 'lora_rank' };

export interface Lookups {
  model: (name: string) => ModelShape;
  gpu: (name: string, row: PredictRow) => Hardware;
}

export type ResolvedRow = { ok: true; row: PredictRow; model: ModelShape; hw: Hardware; plan: Plan } | { ok: false; issues: RowIssue[] };

export function resolvePredictRow(raw: unknown, lookups: Lookups): ResolvedRow {
  const parsed = PredictRowSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(row)', message: i.message })) };
  }
  const row = parsed.data;
  const issues: RowIssue[] = [];
  let model: ModelShape | undefined;
  try {
    if (typeof row.model === 'string') model = lookups.model(row.model);
    else {
      const a: { [K in keyof z.infer<typeof inlineModel>]?: z.infer<typeof inlineModel>[K] | undefined } = row.model ?? row;
      const missing = (['layers', 'hidden', 'ffn', 'heads', 'kv_heads', 'vocab'] as const).filter((k) => a[k] === undefined);
      if (missing.length) issues.push({ field: 'model', message: `give a model name or the inline architecture; missing ${missing.join(', ')}` });
      else model = { layers: a.layers!, hidden: a.hidden!, ffn: a.ffn!, heads: a.heads!, kvHeads: a.kv_heads!, vocab: a.vocab!, ...(a.gated !== undefined ? { gated: a.gated } : {}) };
    }
  } catch (error) {
    issues.push({ field: 'model', message: (error as Error).message });
  }
  let hw: Hardware | undefined;
  try {
    hw = lookups.gpu(row.gpu, row);
  } catch (error) {
    issues.push({ field: 'gpu', message: (error as Error).message });
  }
  if (!model || !hw) return { ok: false, issues };
  const tp = row.tp ?? 1;
  const pp = row.pp ?? 1;
  const cp = row.cp ?? 1;
  const plan: Plan = {
    tp, pp, cp,
    vp: row.vp ?? 1,
    ep: row.ep ?? 1,
    dp: row.dp ?? Math.max(1, Math.floor(row.num_gpus / (tp * pp * cp))),
    mbs: row.mbs ?? 1,
    gbs: row.gbs,
    seqLen: row.seq_len,
    dtype: row.dtype,
    recompute: row.recompute ?? 'none',
    sharding: row.sharding,
    task: row.task,
    sequenceParallel: row.sequence_parallel ?? tp > 1,
    ...(row.lora_rank !== undefined ? { loraRank: row.lora_rank } : {}),
    ...(row.loss_chunk_tokens !== undefined ? { lossChunkTokens: row.loss_chunk_tokens } : {}),
    ...(row.param_dtype !== undefined ? { paramDtype: row.param_dtype } : {}),
    ...(row.loss !== undefined ? { loss: row.loss } : {}),
  };
  const planIssues = validatePlan(model, plan, hw, { numGpus: row.num_gpus });
  if (row.dp == null && row.num_gpus % (tp * pp * cp) !== 0) {
    const world = planIssues.findIndex((i) => i.code === 'world-size');
    if (world >= 0) planIssues.splice(world, 1);
    planIssues.unshift({ field: 'num_gpus', code: 'world-size', message: `num_gpus (${row.num_gpus}) not divisible by tp*pp*cp (${tp}*${pp}*${cp} = ${tp * pp * cp})` });
  }
  if (planIssues.length) return { ok: false, issues: planIssues.map((i) => ({ field: ROW_FIELD[i.field] ?? i.field, message: i.message })) };
  return { ok: true, row, model, hw, plan };
}

/** A file's rows: a JSON array, one JSON object, or JSONL (one object a line; blank lines skipped). */
export function splitRows(text: string): Array<{ line: number; value?: unknown; error?: string }> {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      return (JSON.parse(trimmed) as unknown[]).map((value, i) => ({ line: i + 1, value }));
    } catch (error) {
      return [{ line: 1, error: `not valid JSON: ${(error as Error).message}` }];
    }
  }
  try {
    return [{ line: 1, value: JSON.parse(trimmed) }];
  } catch {
    // fall through: JSONL
  }
  return text.split('\n').flatMap((l, i): Array<{ line: number; value?: unknown; error?: string }> => {
    if (l.trim() === '') return [];
    try {
      return [{ line: i + 1, value: JSON.parse(l) as unknown }];
    } catch (error) {
      return [{ line: i + 1, error: `not valid JSON: ${(error as Error).message}` }];
    }
  });
}
