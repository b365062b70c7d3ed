// Published measured runs (data/published/*.jsonl) turned into planner cases: a model shape, a plan, the hardware
// and the measured step time, with every assumption the conversion made written down.
import { z } from 'zod';
import { builtinGpu } from './hardware.ts';
import type { Hardware, ModelShape, Plan, Recompute, Sharding } from './types.ts';

const num = z.number().nullable().optional();
export const PublishedRowSchema = z.object({
  model: z.string(),
  layers: z.number(),
  hidden: z.number(),
  ffn: z.number(),
  heads: z.number(),
  kv_heads: z.number(),
  vocab: num,
  task: z.enum(['pretrain', 'sft', 'lora']),
  gpu: z.string(),
  num_gpus: z.number(),
  dtype: z.enum(['bf16', 'fp16', 'fp8']),
  seq_len: z.number(),
  gbs: num,
  mbs: num,
  tp: num,
  pp: num,
  vp: num,
  cp: num,
  ep: num,
  dp: num,
  recompute: z.enum(['none', 'selective', 'full']).nullable().optional(),
  framework: z.string(),
  measured_step_time_s: num,
  tokens_per_s_per_gpu: num,
  tflops_per_gpu: num,
  mfu_pct: num,
  source: z.string(),
  notes: z.string().optional(),
});
export type PublishedRow = z.infer<typeof PublishedRowSchema>;

export interface PublishedCase {
  id: string;
  /** 'published' rows (file line index) or 'seed' rows. */
  origin: 'published' | 'seed';
  index: number;
  source: string;
  label: string;
  model: ModelShape;
  plan: Plan;
  hw: Hardware;
  numGpus: number;
  measuredStepS: number;
  measuredFrom: string;
  assumptions: string[];
}

export interface SkippedRow {
  id: string;
  label: string;
  reason: string;
}

/** Short source key used to weight rows by source when fitting ("mosaicml/llm-foundry", "NVIDIA/NeMo", ...). */
export const sourceKey = (source: string): string => source.split(' ')[0] ?? source;

function frameworkDefaults(fw: string, tp: number): { sharding: Sharding; sp: boolean } {
  if (/FSDP/i.test(fw)) return { sharding: 'fsdp_full_shard', sp: false };
  if (/ZeRO-3/i.test(fw)) return { sharding: 'zero3', sp: false };
  if (/MT-NLG/i.test(fw)) return { sharding: 'zero1', sp: false };
  if (/NeMo|Megatron-Core/i.test(fw)) return { sharding: 'distributed_optimizer', sp: tp > 1 };
  return { sharding: 'none', sp: false };
}

/** Hardware named by the row; llm-foundry notes say which A100 (a100_40gb / a100_80gb). */
function rowHardware(row: PublishedRow): Hardware | undefined {
  if (/^a100/i.test(row.gpu) && /a100_40gb/i.test(row.notes ?? '')) return builtinGpu('A100-40GB');
  return builtinGpu(row.gpu);
}

/** Model FLOPs per iteration in the convention the row's TFLOP/s or MFU figure uses (PERFMODEL.md). */
function conventionFlops(row: PublishedRow, gbs: number, vocab: number): number {
  const { layers: l, hidden: h, seq_len: s } = row;
  if (/Narayanan|PTD-P \(2021\)|ZeRO-3/.test(row.framework + row.source)) {
    return 96 * gbs * s * l * h * h * (1 + s / (6 * h) + vocab / (16 * l * h)); // includes recompute
  }
  return 72 * gbs * s * l * h * h * (1 + s / (6 * h) + vocab / (12 * l * h));
}

export function toCase(row: PublishedRow, origin: 'published' | 'seed', index: number): PublishedCase | SkippedRow {
  const id = `${origin}:${index}`;
  const label = `${row.model} ${row.task} ${row.dtype} ${row.num_gpus}x${row.gpu} seq${row.seq_len} gbs${row.gbs ?? '?'}`;
  const skip = (reason: string): SkippedRow => ({ id, label, reason });
  const hw = rowHardware(row);
  if (!hw) return skip(`unknown gpu '${row.gpu}'`);
  if (row.gbs == null) return skip('global batch size not stated');
  if (row.tp == null || row.pp == null || row.dp == null) return skip('parallelism (tp/pp/dp) not stated');
  const assumptions: string[] = [];
  let vocab = row.vocab ?? null;
  if (vocab == null) {
    vocab = /nemotron/i.test(row.model) ? 256000 : 50257;
    assumptions.push(`vocab ${vocab} assumed (not stated)`);
  }
  if (row.mbs == null) assumptions.push('mbs 1 assumed');
  if (row.recompute == null) assumptions.push('recompute none assumed');
  const fw = frameworkDefaults(row.framework, row.tp);
  const plan: Plan = {
    tp: row.tp,
    pp: row.pp,
    vp: row.vp ?? 1,
    cp: row.cp ?? 1,
    ep: row.ep ?? 1,
    dp: row.dp,
    mbs: row.mbs ?? 1,
    gbs: row.gbs,
    seqLen: row.seq_len,
    dtype: row.dtype,
    recompute: (row.recompute ?? 'none') satisfies Recompute,
    sharding: fw.sharding,
    task: row.task,
    sequenceParallel: fw.sp,
  };
  const model: ModelShape = { layers: row.layers, hidden: row.hidden, ffn: row.ffn, heads: row.heads, kvHeads: row.kv_heads, vocab };
  const tokens = row.gbs * row.seq_len;
  let measuredStepS: number;
  let measuredFrom: string;
  if (row.measured_step_time_s != null) {
    measuredStepS = row.measured_step_time_s;
    measuredFrom = 'measured_step_time_s';
  } else if (row.tokens_per_s_per_gpu != null) {
    measuredStepS = tokens / (row.tokens_per_s_per_gpu * row.num_gpus);
    measuredFrom = 'gbs*seq_len/(tokens_per_s_per_gpu*num_gpus)';
  } else if (row.tflops_per_gpu != null) {
    measuredStepS = conventionFlops(row, row.gbs, vocab) / (row.tflops_per_gpu * 1e12 * row.num_gpus);
    measuredFrom = 'source FLOPs convention / (tflops_per_gpu*num_gpus)';
  } else if (row.mfu_pct != null) {
    const peak = row.dtype === 'fp8' ? hw.peakTflops.fp8 : hw.peakTflops.bf16;
    measuredStepS = conventionFlops(row, row.gbs, vocab) / ((row.mfu_pct / 100) * peak * 1e12 * row.num_gpus);
    measuredFrom = 'source FLOPs convention / (mfu*peak*num_gpus)';
  } else return skip('no step time, throughput, TFLOP/s or MFU figure');
  return { id, origin, index, source: sourceKey(row.source), label, model, plan, hw, numGpus: row.num_gpus, measuredStepS, measuredFrom, assumptions };
}

export const isCase = (c: PublishedCase | SkippedRow): c is PublishedCase => 'plan' in c;

/** Declared calibration split: every 3rd line (0, 3, 6, ...) of published_runs.jsonl trains; the rest and all seed rows validate. */
export const isTrainingCase = (c: { origin: 'published' | 'seed'; index: number }): boolean => c.origin === 'published' && c.index % 3 === 0;

/** Parses a published-runs JSONL text; a malformed line becomes a skipped row naming the line and field. */
export function parsePublishedJsonl(text: string, origin: 'published' | 'seed'): Array<PublishedCase | SkippedRow> {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        return { id: `${origin}:${i}`, label: `line ${i + 1}`, reason: 'not valid JSON' };
      }
      const parsed = PublishedRowSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { id: `${origin}:${i}`, label: `line ${i + 1}`, reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
      }
      return toCase(parsed.data, origin, i);
    });
}
