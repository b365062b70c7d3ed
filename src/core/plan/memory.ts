// Memory per GPU for a plan: static state (weights, gradients, optimizer) + activations + logits + transient
// FSDP gathers + a stated framework overhead, on the worse of the first and last pipeline stage.
import { stageActivations, type ActivationOptions } from './activations.ts';
import { embeddingParams, layerParams, loraLayerParams } from './shape.ts';
import type { Hardware, ModelShape, Plan, Sharding } from './types.ts';

const GiB = 1024 ** 3;
/**
 * What the allocator does not see or cannot use: CUDA context (~0.5 GiB), NCCL buffers (~1 GiB), cuBLAS workspaces
 * and fragmentation. A stated constant, not fitted (no published row gives total device memory).
 */
export const FRAMEWORK_OVERHEAD_GIB = 2.5;
export const DEFAULT_LORA_RANK = 16;

export interface MemoryBreakdown {
  /** Bytes per GPU on the worse stage. */
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  logits: number;
  fsdpGather: number;
  /** Sum of the above: what torch.cuda.max_memory_allocated would report. */
  allocatorPeak: number;
  overhead: number;
  total: number;
  totalGiB: number;
  capacityGiB: number;
  marginGiB: number;
  fits: boolean;
  stage: 'first' | 'last';
}

/**
 * Bytes per parameter of (weights, gradients, optimizer); `shard` is the sharding group. Mixed precision (`fp32`
 * parameters): bf16 weights + fp32 grads + fp32 master, Adam m and v (Megatron default: 18 B/param). `bf16`
 * parameters: bf16 weights and grads, bf16 Adam m and v, no master copy (8 B/param). FP8 (Transformer Engine) keeps
 * an extra fp8 weight copy (+1 B/param). fp16 is counted like bf16.
 */
export function bytesPerParam(sharding: Sharding, shard: number, fp8: boolean, paramDtype: 'fp32' | 'bf16' = 'fp32') {
  const w = 2 + (fp8 ? 1 : 0);
  const grad = paramDtype === 'bf16' ? 2 : 4;
  const opt = paramDtype === 'bf16' ? 4 : 12;
  switch (sharding) {
    case 'none':
      return { w, g: grad, o: opt };
    case 'distributed_optimizer':
    case 'zero1':
      return { w, g: grad, o: opt / shard };
    case 'zero2':
      return { w, g: grad / shard, o: opt / shard };
    case 'zero3':
    case 'fsdp_full_shard':
      return { w: w / shard, g: grad / shard, o: opt / shard };
  }
}

export const isFullyShardedPlan = (s: Sharding): boolean => s === 'zero3' || s === 'fsdp_full_shard';

/** Weights of each pipeline stage held by one TP rank (first stage: + input embedding; last: + output layer). */
export function stageParams(m: ModelShape, plan: Plan): { first: number; last: number; layer: number } {
  const layer = layerParams(m).total / plan.tp;
  const body = (m.layers / plan.pp) * layer;
  const emb = embeddingParams(m) / plan.tp;
  if (plan.pp === 1) return { first: body + emb * (m.tiedEmbeddings ? 1 : 2), last: body + emb * (m.tiedEmbeddings ? 1 : 2), layer };
  return { first: body + emb, last: body + emb, layer };
}

export function memoryPerGpu(m: ModelShape, plan: Plan, hw: Hardware, opts: ActivationOptions = {}): MemoryBreakdown {
  const shard = plan.dp * plan.cp; // Megatron shards optimizer state over the DP x CP group
  const fp8 = plan.dtype === 'fp8';
  const sp = stageParams(m, plan);
  const act = stageActivations(m, plan, opts);
  const full = isFullyShardedPlan(plan.sharding);
  const stage = (which: 'first' | 'last') => {
    const params = which === 'first' ? sp.first : sp.last;
    let weights: number;
    let gradients: number;
    let optimizer: number;
    if (plan.task === 'lora') {
      // Frozen base in bf16 (sharded only under FSDP/ZeRO-3); adapters carry grads and optimizer state.
      const adapters = ((m.layers / plan.pp) * loraLayerParams(m, plan.loraRank ?? DEFAULT_LORA_RANK)) / plan.tp;
      const b = bytesPerParam(plan.sharding, shard, false, plan.paramDtype);
      weights = (params * 2) / (full ? shard : 1) + adapters * b.w;
      gradients = adapters * b.g;
      optimizer = adapters * b.o;
    } else {
      const b = bytesPerParam(plan.sharding, shard, fp8, plan.paramDtype);
      weights = params * b.w;
      gradients = params * b.g;
      optimizer = params * b.o;
    }
    // FSDP holds the gathered current unit and the prefetched next one (one layer each, bf16).
    const fsdpGather = full ? 2 * sp.layer * 2 : 0;
    const activations = which === 'first' ? act.first : act.last;
    const logits = which === 'last' ? act.logits : 0;
    const allocatorPeak = weights + gradients + optimizer + activations + logits + fsdpGather;
    return { weights, gradients, optimizer, activations, logits, fsdpGather, allocatorPeak };
  };
  const first = stage('first');
  const last = stage('last');
  const worst = plan.pp === 1 ? last : first.allocatorPeak >= last.allocatorPeak ? first : last;
  const overhead = FRAMEWORK_OVERHEAD_GIB * GiB;
  const total = worst.allocatorPeak + overhead;
  const totalGiB = total / GiB;
  return {
    ...worst,
    overhead,
    total,
    totalGiB,
    capacityGiB: hw.memoryGiB,
    marginGiB: hw.memoryGiB - totalGiB,
    fits: totalGiB <= hw.memoryGiB,
    stage: plan.pp === 1 || worst === last ? 'last' : 'first',
  };
}
