import { describe, expect, it } from 'vitest';
import { FITTED, type Calibration } from './calibration.ts';
import { BUILTIN_GPUS } from './hardware.ts';
import { layerParams, modelFlopsPerToken } from './shape.ts';
import { stepTime } from './step-time.ts';
import type { ModelShape, Plan } from './types.ts';

const h100 = BUILTIN_GPUS.H100!;
const gpt: ModelShape = { layers: 24, hidden: 2048, ffn: 8192, heads: 16, kvHeads: 16, vocab: 50000 };
const base: Plan = {
  tp: 1, pp: 1, vp: 1, cp: 1, ep: 1, dp: 1, mbs: 1, gbs: 8, seqLen: 2048, dtype: 'bf16',
  recompute: 'none', sharding: 'distributed_optimizer', task: 'pretrain', sequenceParallel: false,
};
/** A calibration that turns everything but GEMMs off, for hand calculations. */
const gemmOnly: Calibration = {
  ...FITTED,
  gemmEff: { ...FITTED.gemmEff, 'H100-bf16-megatron': 0.5 },
  smallGemmK: 0,
  attnEff: { megatron: 1e12, fsdp: 1e12 },
  ewBytes: 0,
};

describe('step time', () => {
  it('single GPU, GEMMs only: 6 x params x tokens / (peak x efficiency)', () => {
    const t = stepTime(gpt, base, h100, gemmOnly);
    const gemmParams = gpt.layers * layerParams(gpt).total + gpt.vocab * gpt.hidden;
    const expected = (6 * gemmParams * 8 * 2048) / (989e12 * 0.5);
    expect(t.breakdown.compute_s).toBeCloseTo(expected, 6);
    expect(t.step_time_s).toBeCloseTo(expected + t.breakdown.optimizer_s, 6);
    expect(t.breakdown.bubble_s).toBe(0);
  });

  it('pipeline bubble is (p-1)/v of one micro-batch per stage, i.e. (p-1)/(v*m) of compute', () => {
    const p4 = stepTime(gpt, { ...base, pp: 4 }, h100, gemmOnly);
    const m = 8;
    expect(p4.breakdown.bubble_s / p4.breakdown.compute_s).toBeCloseTo(3 / m, 1);
    const v2 = stepTime(gpt, { ...base, pp: 4, vp: 2 }, h100, gemmOnly);
    expect(v2.breakdown.bubble_s).toBeLessThan(p4.breakdown.bubble_s * 0.55);
  });

  it('full recompute adds one forward (~1/3 of compute); LoRA skips weight gradients (~2/3)', () => {
    const plain = stepTime(gpt, base, h100, gemmOnly).breakdown.compute_s;
    const full = stepTime(gpt, { ...base, recompute: 'full' }, h100, gemmOnly).breakdown;
    expect(full.compute_s / plain).toBeGreaterThan(1.3);
    expect(full.compute_s / plain).toBeLessThan(1.34);
    const lora = stepTime(gpt, { ...base, task: 'lora' }, h100, gemmOnly).breakdown.compute_s;
    expect(lora / plain).toBeCloseTo(2 / 3, 2);
  });

  it('TP traffic goes over NVLink, DP over the network once the group leaves the node; breakdown adds up', () => {
    const t = stepTime(gpt, { ...base, tp: 2, dp: 16, gbs: 64, sequenceParallel: true }, h100);
    expect(t.breakdown.tp.link).toBe('nvlink');
    expect(t.breakdown.dp.link).toBe('network');
    const b = t.breakdown;
    expect(t.step_time_s).toBeCloseTo(b.compute_s + b.bubble_s + b.exposed_comm_s + b.optimizer_s, 9);
    expect(b.exposed_comm_s + b.overlapped_comm_s).toBeCloseTo(b.tp.total_s + b.cp.total_s + b.pp.total_s + b.dp.total_s, 9);
  });

  it('FSDP over a slow network is dominated by the weight gathers', () => {
    const slow = { ...h100, networkGBps: 1 };
    const t = stepTime(gpt, { ...base, dp: 16, gbs: 16, sharding: 'fsdp_full_shard' }, slow);
    expect(t.breakdown.dp.exposed_s).toBeGreaterThan(t.breakdown.compute_s);
  });

  it('MFU uses the model-FLOPs convention of the NeMo seeds (LoRA x2/3)', () => {
    const t = stepTime(gpt, base, h100);
    expect(t.mfu).toBeCloseTo((modelFlopsPerToken(gpt, 2048) * t.tokens_per_s) / 989e12, 9);
    const l = stepTime(gpt, { ...base, task: 'lora' }, h100);
    expect(l.mfu).toBeCloseTo(((2 / 3) * modelFlopsPerToken(gpt, 2048) * l.tokens_per_s) / 989e12, 9);
  });
});
