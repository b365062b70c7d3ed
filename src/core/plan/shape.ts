// Parameter and FLOP counts of a dense decoder-only transformer, from its shape alone.
import type { ModelShape } from './types.ts';

export const headDim = (m: ModelShape): number => m.hidden / m.heads;
export const kvHidden = (m: ModelShape): number => m.kvHeads * headDim(m);
/** SwiGLU unless said otherwise or the FFN is the classic 4h (GPT, MPT, Nemotron squared-ReLU). */
export const isGated = (m: ModelShape): boolean => m.gated ?? m.ffn !== 4 * m.hidden;

export interface LayerParams {
  attention: number;
  mlp: number;
  total: number;
}

/** Weights of one transformer layer (norms and biases ignored: < 0.1%). GQA-aware QKV. */
export function layerParams(m: ModelShape): LayerParams {
  const attention = m.hidden * (2 * m.hidden + 2 * kvHidden(m));
  const mlp = (isGated(m) ? 3 : 2) * m.hidden * m.ffn;
  return { attention, mlp, total: attention + mlp };
}

export const embeddingParams = (m: ModelShape): number => m.vocab * m.hidden;

export function totalParams(m: ModelShape): number {
  return m.layers * layerParams(m).total + embeddingParams(m) * (m.tiedEmbeddings ? 1 : 2);
}

/** LoRA adapter weights on every linear of a layer (q, k, v, o and the FFN GEMMs): r*(in+out) each. */
export function loraLayerParams(m: ModelShape, rank: number): number {
  const h = m.hidden;
  const kv = kvHidden(m);
  const attn = rank * (h + h) * 2 + rank * (h + kv) * 2;
  const mlp = rank * (h + m.ffn) * (isGated(m) ? 3 : 2);
  return attn + mlp;
}

/**
 * Model FLOPs per token, fwd+bwd, no recompute, in the convention the NeMo seeds and Korthikanti 2022 use:
 * 6 x GEMM weights + 12*l*h*s attention (no causal halving) + 6*V*h logits. MFU is quoted against this.
 */
export function modelFlopsPerToken(m: ModelShape, seqLen: number): number {
  return 6 * m.layers * layerParams(m).total + 12 * m.layers * m.hidden * seqLen + 6 * m.vocab * m.hidden;
}
