// Activation memory per layer and per pipeline stage: Korthikanti 2022 Table 2 as Megatron's
// theoretical_memory_usage.py implements it, generalised to GQA and gated FFNs (see PERFMODEL.md).
import { isGated, kvHidden } from './shape.ts';
import type { ModelShape, Plan } from './types.ts';

export interface ActivationOptions {
  /** FlashAttention-style fused attention: no s^2 softmax/dropout tensors. Default true. */
  flashAttention?: boolean;
}

/**
 * Bytes one layer keeps for the backward pass, for one micro-batch, on one GPU.
 * Korthikanti's 34*s*b*h + 5*a*s^2*b splits into 10*s*b*h that TP without SP replicates (LayerNorms, the inputs of
 * QKV and FC1, two dropout masks) and the rest that TP divides.
 */
export function layerActivationBytes(m: ModelShape, plan: Plan, opts: ActivationOptions = {}): number {
  const s = plan.seqLen / plan.cp;
  const b = plan.mbs;
  const h = m.hidden;
  const t = plan.tp;
  const sbh = s * b * h;
  const replicated = 10 * sbh;
  const attnSharded = 4 * sbh + 4 * s * b * kvHidden(m); // Q, K, V and the out-projection input: 8sbh for MHA
  const mlpSharded = (isGated(m) ? 6 : 4) * s * b * m.ffn; // FC1 output(s) and FC2 input: 16sbh for f=4h
  const flash = opts.flashAttention ?? true;
  const scores = flash || plan.recompute === 'selective' ? 0 : 5 * m.heads * s * s * b;
  const sharded = attnSharded + mlpSharded + scores;
  const full = plan.sequenceParallel ? (replicated + sharded) / t : replicated + sharded / t;
  if (plan.recompute !== 'full') return full;
  // Full recompute keeps only each layer's input (2sbh, /t under SP).
  return (2 * sbh) / (plan.sequenceParallel ? t : 1);
}

/** One layer's complete working set, held transiently while it is recomputed under full recompute. */
export function layerWorkingSetBytes(m: ModelShape, plan: Plan, opts: ActivationOptions = {}): number {
  return layerActivationBytes(m, { ...plan, recompute: 'none' }, opts);
}

export interface StageActivations {
  first: number;
  last: number;
  logits: number;
}

/**
 * Activation bytes on the first pipeline stage (most micro-batches in flight) and on the last (one in flight, plus
 * the logits and loss buffers). 1F1B: the first stage holds p micro-batches; interleaving multiplies by
 * 1 + (p-1)/(p*v); fewer micro-batches than stages scale it by m/p.
 */
export function stageActivations(m: ModelShape, plan: Plan, opts: ActivationOptions = {}): StageActivations {
  const { pp: p, vp: v, tp: t } = plan;
  const micro = plan.gbs / (plan.mbs * plan.dp);
  const layersPerStage = m.layers / p;
  const perLayer = layerActivationBytes(m, plan, opts);
  const penalty = v > 1 ? 1 + (p - 1) / (p * v) : 1;
  const inFlight = p * penalty * Math.min(1, micro / p);
  const s = plan.seqLen / plan.cp;
  const b = plan.mbs;
  const extra = plan.recompute === 'full' ? layerWorkingSetBytes(m, plan, opts) : 0;
  // Embedding output dropout (sbh) and token ids (8sb) per in-flight micro-batch, as Megatron counts them.
  const embed = ((s * b * m.hidden) / (plan.sequenceParallel ? t : 1) + 8 * s * b) * inFlight;
  const first = layersPerStage * perLayer * inFlight + extra + embed;
  // Logits + loss: 4*s*b*(h+V)/t (PERFMODEL, fp32 logits and their gradient); a plain cross-entropy holds 14 B per
  // logit (Plan.loss). Chunked CE keeps the output layer's input and only `chunk` tokens of logits at a time.
  const chunk = plan.lossChunkTokens ? Math.min(plan.lossChunkTokens, s) : s;
  const perLogit = plan.loss === 'plain' && !plan.lossChunkTokens ? 14 : 4;
  const logits = (b * (4 * s * m.hidden + perLogit * chunk * m.vocab)) / t;
  const lastInFlight = p === 1 ? inFlight : v > 1 ? penalty : 1;
  const last = p === 1 ? first : layersPerStage * perLayer * lastInFlight + extra;
  return { first, last, logits };
}
