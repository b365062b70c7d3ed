// The step-time model's named constants. `FITTED` holds the values fitted on the declared training split of
// data/published (every 3rd row, see data/published/README.md) by `fitCalibration`; a test re-fits and checks
// they are reproduced, so the numbers here are never hand-tuned.
import type { Dtype, Hardware, Sharding } from './types.ts';

export type GpuClass = 'A100' | 'H100';
/**
 * The software stack a plan runs on, which the published rows show matters as much as the GPU: Megatron/NeMo with
 * Transformer Engine kernels vs the PyTorch FSDP stack (llm-foundry, torchtitan, HF accelerate/LLaMA-Factory).
 * A plan with `sharding: fsdp_full_shard` is taken to run on the latter.
 */
export type Stack = 'megatron' | 'fsdp';
export type EffKey = `${GpuClass}-${'bf16' | 'fp8'}-${Stack}`;

export interface Calibration {
  /** Fraction of dense peak that large GEMMs reach, per GPU class, dtype (fp16 counts as bf16) and stack. */
  gemmEff: Record<EffKey, number>;
  /** Small-GEMM penalty: efficiency x (h/t) / (h/t + smallGemmK). */
  smallGemmK: number;
  /** Fraction of bf16 peak that (flash) attention reaches, per stack. */
  attnEff: Record<Stack, number>;
  /** Fraction of TP collective time not hidden behind compute. */
  tpExposed: number;
  /** Fraction of achievable bus bandwidth NCCL reaches on NVLink and on the network. */
  linkEff: number;
  /** HBM bytes of elementwise traffic per token, per hidden unit, per layer (fwd+bwd). */
  ewBytes: number;
  /** Per-hop latency of ring collectives, microseconds. */
  ringLatencyUs: number;
  /** Fraction of a micro-batch's compute that FSDP/ZeRO-3 gathers and DP reductions can hide behind. */
  overlap: number;
}

/** Where the fit starts (round guesses); `FITTED` is what `fitCalibration(training split, START)` returns. */
export const START: Calibration = {
  gemmEff: {
    'A100-bf16-megatron': 0.75,
    'A100-bf16-fsdp': 0.75,
    'A100-fp8-megatron': 0.75,
    'A100-fp8-fsdp': 0.75,
    'H100-bf16-megatron': 0.65,
    'H100-bf16-fsdp': 0.55,
    'H100-fp8-megatron': 0.5,
    'H100-fp8-fsdp': 0.4,
  },
  smallGemmK: 64,
  attnEff: { megatron: 0.35, fsdp: 0.3 },
  tpExposed: 0.3,
  linkEff: 0.8,
  overlap: 0.5,
  ewBytes: 100,
  ringLatencyUs: 5,
};

/** A100-class parts use the A100 fit; everything else (H100, H200, ...) the H100 one. */
export const gpuClass = (hw: Hardware): GpuClass => (/a100/i.test(hw.name) ? 'A100' : 'H100');

export const stackOf = (sharding: Sharding): Stack => (sharding === 'fsdp_full_shard' ? 'fsdp' : 'megatron');

export function gemmEfficiency(cal: Calibration, hw: Hardware, dtype: Dtype, sharding: Sharding): number {
  const d = dtype === 'fp8' ? 'fp8' : 'bf16';
  return cal.gemmEff[`${gpuClass(hw)}-${d}-${stackOf(sharding)}`];
}

export const FITTED: Calibration = {
  gemmEff: {
    'A100-bf16-megatron': 0.5,
    'A100-bf16-fsdp': 0.73,
    'A100-fp8-megatron': 0.5,
    'A100-fp8-fsdp': 0.73,
    'H100-bf16-megatron': 0.67,
    'H100-bf16-fsdp': 0.5,
    'H100-fp8-megatron': 0.52,
    'H100-fp8-fsdp': 0.3,
  },
  smallGemmK: 64,
  attnEff: { megatron: 0.42, fsdp: 0.28 },
  tpExposed: 0.3,
  linkEff: 1,
  overlap: 0.5,
  ewBytes: 200,
  ringLatencyUs: 0,
};
