// Step time of one plan on one GPU type: per-micro-batch compute of the slowest (last) pipeline stage, TP/CP/PP
// communication, the pipeline bubble, DP/FSDP traffic with its overlap, and the optimizer step (PERFMODEL.md,
// "Step time skeleton"). Every constant that is fitted lives in `Calibration`.
import { FITTED, gemmEfficiency, stackOf, type Calibration } from './calibration.ts';
import { DEFAULT_LORA_RANK, isFullyShardedPlan, stageParams } from './memory.ts';
import { kvHidden, layerParams, loraLayerParams, modelFlopsPerToken } from './shape.ts';
import type { Hardware, ModelShape, Plan } from './types.ts';

export interface CommPart {
  total_s: number;
  exposed_s: number;
  link: 'nvlink' | 'network' | 'none';
}

export interface StepBreakdown {
  compute_s: number;
  recompute_s: number;
  bubble_s: number;
  optimizer_s: number;
  tp: CommPart;
  cp: CommPart;
  pp: CommPart;
  /** DP gradient reduction (+ parameter gathers for distributed optimizer / FSDP / ZeRO-3). */
  dp: CommPart;
  exposed_comm_s: number;
  overlapped_comm_s: number;
}

export interface StepTime {
  step_time_s: number;
  tokens_per_s: number;
  tokens_per_s_per_gpu: number;
  /** Model FLOPs utilization vs the dtype's dense peak (LoRA x2/3, as the NeMo seeds count it). */
  mfu: number;
  breakdown: StepBreakdown;
}

/**
 * Adam over fp32 master weights reads/writes ~30 B per parameter it owns; all-bf16 Adam reads weight, gradient and
 * two moments and writes three of them back, 14 B. HBM reached at 80%.
 */
const OPTIMIZER_BYTES_PER_PARAM = { fp32: 30, bf16: 14 } as const;
const HBM_EFF = 0.8;
const P2P_LATENCY_S = 20e-6;
/** FlashAttention backward does 2.5x the forward's matmul work (5 GEMMs vs 2). */
const ATTN_BWD_FACTOR = 2.5;

const none = (): CommPart => ({ total_s: 0, exposed_s: 0, link: 'none' });

export function stepTime(m: ModelShape, plan: Plan, hw: Hardware, cal: Calibration = FITTED): StepTime {
  const { tp, pp, vp, cp, dp, mbs, gbs, seqLen } = plan;
  const lora = plan.task === 'lora';
  const micro = gbs / (mbs * dp);
  const tokens = (mbs * seqLen) / cp; // per micro-batch per GPU (before TP)
  const perTp = m.hidden / tp;
  const eff = gemmEfficiency(cal, hw, plan.dtype, plan.sharding) * (perTp / (perTp + cal.smallGemmK));
  const peak = (plan.dtype === 'fp8' ? hw.peakTflops.fp8 : hw.peakTflops.bf16) * 1e12;
  const gemmRate = peak * eff;
  const attnRate = hw.peakTflops.bf16 * 1e12 * cal.attnEff[stackOf(plan.sharding)];

  // Per layer, per micro-batch, on one GPU. LoRA skips weight gradients of the frozen base: bwd = 1x fwd.
  const gemmF = (2 * layerParams(m).total * tokens) / tp / gemmRate;
  const gemmB = gemmF * (lora ? 1 : 2);
  const attnF = (4 * seqLen * m.hidden * tokens * 0.5) / tp / attnRate; // causal: half the score blocks
  const attnB = attnF * ATTN_BWD_FACTOR;
  const recomp = plan.recompute === 'full' ? gemmF + attnF : plan.recompute === 'selective' ? attnF : 0;
  const layers = m.layers / pp;
  const logitsF = (2 * m.vocab * m.hidden * tokens) / tp / gemmRate;
  const logits = logitsF * (lora ? 2 : 3);
  // Memory-bound elementwise work (norms, activations, residuals, rotary, dropout), fwd+bwd: calibrated bytes of
  // HBM traffic per token per hidden unit per layer. It is what makes small models fall short of GEMM efficiency.
  const elementwise = (cal.ewBytes * tokens * m.hidden) / tp / (hw.hbmTBps * 1e12) * (plan.recompute === 'full' ? 4 / 3 : 1);
  const computeMb = layers * (gemmF + gemmB + attnF + attnB + recomp + elementwise) + logits;
  const recomputeMb = layers * recomp;

  const linkOf = (span: number): 'nvlink' | 'network' => (span <= hw.gpusPerNode ? 'nvlink' : 'network');
  /**
   * Bus bandwidth of a ring collective whose members are `stride` ranks apart and span `span` ranks. Inside a node:
   * NVLink. Across nodes NCCL runs one channel per member on each node, each through that GPU's own NIC (rail), so
   * the network side scales with the members per node; NVLink still caps it.
   */
  const busBw = (stride: number, span: number): number => {
    if (span <= hw.gpusPerNode) return hw.nvlinkGBps * 1e9 * cal.linkEff;
    const perNode = Math.max(1, Math.floor(hw.gpusPerNode / stride));
    return Math.min(hw.nvlinkGBps, hw.networkGBps * perNode) * 1e9 * cal.linkEff;
  };
  const latency = (members: number): number => (members - 1) * cal.ringLatencyUs * 1e-6;

  // TP: 4 all-reduces (or AG+RS pairs under SP) of 2*b*s*h bytes per layer, +2 under full recompute.
  let tpPart = none();
  if (tp > 1) {
    const size = 2 * tokens * m.hidden;
    const n = 4 + (plan.recompute === 'full' ? 2 : 0);
    const total = micro * layers * n * ((2 * (tp - 1) * size) / tp / busBw(1, tp) + latency(tp));
    tpPart = { total_s: total, exposed_s: total * cal.tpExposed, link: 'nvlink' };
  }
  // CP ring: c-1 exchanges of K and V chunks per layer forward, ~2x in backward, hidden behind attention.
  let cpPart = none();
  if (cp > 1) {
    const link = linkOf(tp * cp);
    const passes = 3 + (plan.recompute === 'full' ? 1 : 0);
    const perLayer = ((cp - 1) * 4 * tokens * (kvHidden(m) / tp) * passes) / busBw(tp, tp * cp);
    const hideable = attnF * (1 + ATTN_BWD_FACTOR);
    cpPart = { total_s: micro * layers * perLayer, exposed_s: micro * layers * Math.max(0, perLayer - hideable), link };
  }
  // PP: one activation send per virtual stage per micro-batch each way.
  let ppPart = none();
  if (pp > 1) {
    const link = linkOf(tp * cp * dp * pp);
    const msg = (2 * tokens * m.hidden) / (plan.sequenceParallel ? tp : 1);
    const total = micro * 2 * vp * (msg / busBw(tp * cp * dp, tp * cp * dp * pp) + P2P_LATENCY_S);
    ppPart = { total_s: total, exposed_s: total, link };
  }
  const perMbExposed = (tpPart.exposed_s + cpPart.exposed_s + ppPart.exposed_s) / micro;
  const bubble = pp > 1 ? ((pp - 1) / vp) * (computeMb + perMbExposed) : 0;

  // DP / sharding traffic.
  const shard = dp * cp;
  const params = stageParams(m, plan).last;
  const trainable = lora ? (layers * loraLayerParams(m, plan.loraRank ?? DEFAULT_LORA_RANK)) / tp : params;
  let dpPart = none();
  if (shard > 1) {
    const link = linkOf(tp * cp * dp);
    const rate = busBw(tp * cp, tp * cp * dp);
    const frac = (shard - 1) / shard;
    if (isFullyShardedPlan(plan.sharding)) {
      // Every micro-batch gathers the weights for forward and again for backward, and reduce-scatters grads.
      // One all-gather per layer forward and backward and one reduce-scatter per layer: 3 ring latencies each.
      const perMb = (frac * (2 * 2 * params + 2 * trainable)) / rate + 3 * layers * latency(shard);
      const exposedMb = Math.max(perMb / layers, perMb - cal.overlap * computeMb);
      dpPart = { total_s: micro * perMb, exposed_s: micro * exposedMb, link };
    } else {
      const bytes = plan.sharding === 'none' ? 2 * frac * 4 * trainable : frac * (4 + 2) * trainable;
      const total = bytes / rate;
      const window = cal.overlap * (layers * (gemmF + gemmB + attnF + attnB) + logits);
      dpPart = { total_s: total, exposed_s: Math.max(0, total - window), link };
    }
  }
  const owned = plan.sharding === 'none' ? trainable : trainable / shard;
  const optimizer = (OPTIMIZER_BYTES_PER_PARAM[plan.paramDtype ?? 'fp32'] * owned) / (hw.hbmTBps * 1e12 * HBM_EFF);

  const compute = micro * computeMb;
  const parts = [tpPart, cpPart, ppPart, dpPart];
  const exposed = parts.reduce((a, p) => a + p.exposed_s, 0);
  const totalComm = parts.reduce((a, p) => a + p.total_s, 0);
  const step = compute + bubble + exposed + optimizer;
  const gpus = tp * pp * cp * dp;
  const tokensPerS = (gbs * seqLen) / step;
  const flops = modelFlopsPerToken(m, seqLen) * (lora ? 2 / 3 : 1);
  return {
    step_time_s: step,
    tokens_per_s: tokensPerS,
    tokens_per_s_per_gpu: tokensPerS / gpus,
    mfu: (flops * tokensPerS) / (gpus * peak),
    breakdown: {
      compute_s: compute,
      recompute_s: micro * recomputeMb,
      bubble_s: bubble,
      optimizer_s: optimizer,
      tp: tpPart,
      cp: cpPart,
      pp: ppPart,
      dp: dpPart,
      exposed_comm_s: exposed,
      overlapped_comm_s: totalComm - exposed,
    },
  };
}
