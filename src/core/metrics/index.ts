// Model FLOPs, throughput, time-to-train and utilization: the formulas the seed recipe documents define, kept
// verbatim so that trainbench's numbers can be checked against the published tables (see `trainbench audit`).
// Pure functions; every input is validated (zero, negative, NaN, Infinity -> usageError 'invalid-number').
import { usageError } from '../errors.ts';

/**
 * Model FLOPs for one sample (one sequence of `seqLen` tokens), fwd+bwd, no recompute.
 * `attention`, `mlp` and `embedding` are the bracketed terms exactly as the NeMo seeds print them (FLOPs per token,
 * attention including its seq-length term); `total = seqLen * (attention + mlp + embedding)` is the per-sample
 * "model flops" the seeds multiply by GBS in their MFU formula.
 */
export interface FlopsBreakdown {
  attention: number;
  mlp: number;
  embedding: number;
  total: number;
}

export const SECONDS_PER_DAY = 86_400;

/** Throws usageError('invalid-number') unless every named value is a finite number > 0. */
export function assertPositive(values: Record<string, number>): void {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw usageError(`${name} must be a positive number, got ${String(value)}`, {
        code: 'invalid-number',
        field: name,
        hint: `pass a finite number greater than zero for ${name}`,
      });
    }
  }
}

/**
 * Dense GPT (f = 4h, MHA). Source: seed 001 (NeMo GPT-3 175B recipe), "Notes":
 *   attention = 24*l*h^2 + 12*l*h*s;  mlp = 48*l*h^2;  embedding = 6*V*h;  model flops = s*(attention+mlp+embedding).
 * GPT-3 175B at s=2048 gives 2.20E+15 as printed there.
 */
export function denseGptFlopsPerSample(m: { layers: number; hidden: number; vocab: number }, seqLen: number): FlopsBreakdown {
  assertPositive({ layers: m.layers, hidden: m.hidden, vocab: m.vocab, seqLen });
  const { layers: l, hidden: h, vocab: v } = m;
  const attention = 24 * l * h ** 2 + 12 * l * h * seqLen;
  const mlp = 48 * l * h ** 2;
  const embedding = 6 * v * h;
  return { attention, mlp, embedding, total: seqLen * (attention + mlp + embedding) };
}

/**
 * Llama (GQA attention, SwiGLU MLP). Source: seed 002 (NeMo Llama 3.1 70B recipe), "model flops breakdown":
 *   attention = 12*l*h^2*(1 + kvHeads/heads + s/h);  mlp = 18*l*ffn*h;  embedding = 6*V*h;
 *   model flops = s*(attention+mlp+embedding).
 * (The seed's worked line multiplies by 8129, a typo for 8192; this function uses seqLen.)
 */
export function llamaFlopsPerSample(
  m: { layers: number; hidden: number; ffn: number; heads: number; kvHeads: number; vocab: number },
  seqLen: number,
): FlopsBreakdown {
  assertPositive({ layers: m.layers, hidden: m.hidden, ffn: m.ffn, heads: m.heads, kvHeads: m.kvHeads, vocab: m.vocab, seqLen });
  const { layers: l, hidden: h } = m;
  const attention = 12 * l * h ** 2 * (1 + m.kvHeads / m.heads + seqLen / h);
  const mlp = 18 * l * m.ffn * h;
  const embedding = 6 * m.vocab * h;
  return { attention, mlp, embedding, total: seqLen * (attention + mlp + embedding) };
}

/**
 * nnScaler's per-step FLOPs. Source: seed 004 (nnScaler llama3-8B-128K example), "Performance":
 *   forward = 2*(N*s + 2*l*h*s^2);  backward = 2*forward;  step = 3*forward*gradAccum.
 * N=8e9, s=131072, l=32, h=4096, GA=4 -> forward 11104.35 TFLOPs, step 133252.22 TFLOPs (as printed there).
 * `forward` is per sequence; `step` covers gradAccum sequences (one per micro-step).
 */
export function nnscalerStepFlops(p: { params: number; layers: number; hidden: number; seqLen: number; gradAccum: number }): {
  forward: number;
  step: number;
} {
  assertPositive({ params: p.params, layers: p.layers, hidden: p.hidden, seqLen: p.seqLen, gradAccum: p.gradAccum });
  const forward = 2 * (p.params * p.seqLen + 2 * p.layers * p.hidden * p.seqLen ** 2);
  return { forward, step: 3 * forward * p.gradAccum };
}

/** Source: seeds 000/001/002: (sequence length) * (global batch size) / (training_step_timing). */
export function tokensPerSecond(seqLen: number, gbs: number, stepTimeS: number): number {
  assertPositive({ seqLen, gbs, stepTimeS });
  return (seqLen * gbs) / stepTimeS;
}

/** Source: seeds 000/001/002: (total tokens) / (throughput in tokens per second) / (number of seconds in a day). */
export function timeToTrainDays(totalTokens: number, tokensPerSecond: number): number {
  assertPositive({ totalTokens, tokensPerSecond });
  return totalTokens / tokensPerSecond / SECONDS_PER_DAY;
}

export interface MfuInput {
  /** Model FLOPs of one sample (FlopsBreakdown.total or a published constant such as 1.84E+14). */
  flopsPerSample: number;
  gbs: number;
  stepTimeS: number;
  numGpus: number;
  /** Dense peak FLOP/s of one GPU for the dtype in use (e.g. 989e12 for H100 SXM BF16). */
  peakFlopsPerGpu: number;
  /** LoRA: the frozen base weights need no weight-gradient GEMMs, so only 2/3 of the SFT FLOPs are done. */
  lora?: boolean;
}

/**
 * Model FLOPs utilization as a FRACTION (0.5638, not 56.38).
 * Source: seed 000 (NeMo Llama 3 8B fine-tuning): MFU = GBS * model flops / step time / GPUs / peak FLOPS,
 * "for LoRA ... the same formula as SFT above but multiplied by 2/3". Seeds 001/002 use the same formula.
 */
export function mfu(x: MfuInput): number {
  assertPositive({ flopsPerSample: x.flopsPerSample, gbs: x.gbs, stepTimeS: x.stepTimeS, numGpus: x.numGpus, peakFlopsPerGpu: x.peakFlopsPerGpu });
  const base = (x.gbs * x.flopsPerSample) / x.stepTimeS / x.numGpus / x.peakFlopsPerGpu;
  return x.lora ? (base * 2) / 3 : base;
}

/** How activations are recomputed in the backward pass; decides how many forward passes the hardware really runs. */
export type Recompute = 'none' | 'selective' | 'full';

/**
 * Hardware FLOPs per model FLOP. MFU counts fwd+bwd = 3 forward-equivalents; full recompute re-runs the forward,
 * so the hardware does 4 -> factor 4/3 (PERFMODEL.md (b) "MFU vs HFU": llm-foundry tables show HFU/MFU = 1.333 with
 * activation checkpointing). Selective recompute (attention core only) is a few percent (Korthikanti 2022:
 * 1.2-5%); it has no closed form here, so callers pass `recomputeFactor` explicitly when they know it.
 */
export function recomputeFactor(recompute: Recompute): number {
  switch (recompute) {
    case 'none':
      return 1;
    case 'full':
      return 4 / 3;
    case 'selective':
      return 1; // lower bound; pass an explicit factor for a better estimate
  }
}

/**
 * Hardware FLOPs utilization (HFU), kept distinct from MFU: it counts the FLOPs the GPUs really executed, including
 * recomputation. HFU = MFU * factor, with factor from `recompute` or an explicit `recomputeFactor` (>= 1).
 */
export function hardwareFlopsUtilization(x: MfuInput & { recompute?: Recompute; recomputeFactor?: number }): number {
  const factor = x.recomputeFactor ?? recomputeFactor(x.recompute ?? 'none');
  assertPositive({ recomputeFactor: factor });
  if (factor < 1) {
    throw usageError(`recomputeFactor must be >= 1 (hardware does at least the model FLOPs), got ${factor}`, {
      code: 'invalid-number',
      field: 'recomputeFactor',
    });
  }
  return mfu(x) * factor;
}
