// The planner's own small input types. The catalog (data/models, data/gpus) is adapted to these at the CLI edge,
// so the model below never depends on how a catalog file is laid out.

export type Dtype = 'bf16' | 'fp16' | 'fp8';
export type Recompute = 'none' | 'selective' | 'full';
export type Sharding = 'none' | 'distributed_optimizer' | 'zero1' | 'zero2' | 'zero3' | 'fsdp_full_shard';
export type Task = 'pretrain' | 'sft' | 'lora';

export const RECOMPUTES: readonly Recompute[] = ['none', 'selective', 'full'];
export const SHARDINGS: readonly Sharding[] = ['none', 'distributed_optimizer', 'zero1', 'zero2', 'zero3', 'fsdp_full_shard'];
export const TASKS: readonly Task[] = ['pretrain', 'sft', 'lora'];
export const DTYPES: readonly Dtype[] = ['bf16', 'fp16', 'fp8'];

/** Dense decoder-only transformer. `ffn` is the FFN inner size; `gated` = SwiGLU (3 FFN GEMMs instead of 2). */
export interface ModelShape {
  layers: number;
  hidden: number;
  ffn: number;
  heads: number;
  kvHeads: number;
  vocab: number;
  /** SwiGLU/GLU FFN (Llama family). Default: true when ffn is not 4*hidden. */
  gated?: boolean;
  /** Input embedding and output projection share weights. Default false. */
  tiedEmbeddings?: boolean;
}

/** One GPU type in one cluster. Bandwidths are per GPU, one direction. */
export interface Hardware {
  name: string;
  peakTflops: { bf16: number; fp8: number };
  memoryGiB: number;
  /** HBM bandwidth, TB/s. */
  hbmTBps: number;
  /** NVLink bandwidth per GPU inside a node, GB/s one direction. */
  nvlinkGBps: number;
  /** Inter-node bandwidth per GPU (node NIC bandwidth / GPUs per node), GB/s one direction. */
  networkGBps: number;
  gpusPerNode: number;
}

export interface Plan {
  tp: number;
  pp: number;
  /** Virtual pipeline chunks per GPU (interleaved 1F1B); 1 = plain 1F1B. */
  vp: number;
  cp: number;
  ep: number;
  dp: number;
  mbs: number;
  gbs: number;
  seqLen: number;
  dtype: Dtype;
  recompute: Recompute;
  sharding: Sharding;
  task: Task;
  loraRank?: number;
  sequenceParallel: boolean;
  /** Chunked linear+cross-entropy (nnScaler seed): logits live only for `chunk` tokens at a time. */
  lossChunkTokens?: number;
  /**
   * Precision of the trained parameters and their optimizer state. `fp32` (default): mixed precision, bf16 weights
   * with fp32 gradients, master weights and Adam moments (Megatron, NeMo, torchtitan). `bf16`: weights, gradients and
   * Adam moments all bf16 (LLaMA-Factory `pure_bf16`, the reference workload's `param_dtype: bf16`).
   */
  paramDtype?: 'fp32' | 'bf16';
  /**
   * How the loss is computed. `fused` (default): Megatron's vocab-parallel cross-entropy, fp32 logits and their
   * gradient (4 B per logit). `plain`: `F.cross_entropy` over materialised logits as Hugging Face, LLaMA-Factory and
   * the reference workload compute it: bf16 logits, their fp32 copy, the fp32 log-softmax and its gradient live at
   * once (14 B per logit).
   */
  loss?: 'fused' | 'plain';
}

/** A field-level problem with a plan, e.g. {field: 'tp', message: 'heads (40) not divisible by tp (16)'}. */
export interface PlanIssue {
  field: keyof Plan | 'num_gpus' | 'model' | 'gpu';
  code: string;
  message: string;
}
