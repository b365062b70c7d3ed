import { describe, expect, it } from 'vitest';
import { BUILTIN_GPUS } from './hardware.ts';
import type { ModelShape, Plan } from './types.ts';
import { validatePlan } from './validate.ts';

const h100 = BUILTIN_GPUS.H100!;
const a100 = BUILTIN_GPUS['A100-80GB']!;
const llama70: ModelShape = { layers: 80, hidden: 8192, ffn: 28672, heads: 64, kvHeads: 8, vocab: 128256 };
const ok: Plan = {
  tp: 4, pp: 4, vp: 5, cp: 2, ep: 1, dp: 2, mbs: 1, gbs: 128, seqLen: 8192, dtype: 'bf16',
  recompute: 'none', sharding: 'distributed_optimizer', task: 'pretrain', sequenceParallel: true,
};
const fields = (p: Partial<Plan>, numGpus = 64, hw = h100) => validatePlan(llama70, { ...ok, ...p }, hw, { numGpus }).map((i) => `${i.field}:${i.code}`);

describe('validatePlan', () => {
  it('accepts the seed 002 plan (Llama 3.1 70B, TP4 PP4 CP2 VP5, 64 GPUs)', () => {
    expect(fields({})).toEqual([]);
  });
  it('reports each broken rule on its field', () => {
    expect(fields({}, 63)).toEqual(['num_gpus:world-size']);
    expect(fields({ tp: 16, dp: 1, pp: 2, vp: 5, gbs: 128 }, 64)).toContain('tp:tp-node');
    expect(fields({ tp: 3, dp: 1 }, 96)).toEqual(expect.arrayContaining(['tp:heads-tp', 'tp:kv-heads-tp']));
    expect(fields({ pp: 3, vp: 1, dp: 1 }, 24)).toContain('pp:layers-pp');
    expect(fields({ vp: 3 })).toContain('vp:layers-pp');
    expect(fields({ gbs: 101 })).toContain('gbs:gbs-divisible');
    expect(fields({ seqLen: 8190 })).toContain('cp:seq-cp');
    expect(fields({ ep: 2 })).toContain('ep:dense-ep');
    expect(fields({ dtype: 'fp8' }, 64, a100)).toContain('dtype:no-fp8');
    expect(fields({ pp: 1, vp: 2, dp: 8 })).toContain('vp:vp-without-pp');
    expect(fields({ gbs: 4, dp: 2 })).toContain('vp:interleave-microbatches');
    expect(fields({ mbs: 0 })).toEqual(['mbs:not-positive-integer']);
    expect(fields({}, 64, { ...h100, name: 'cpu', peakTflops: { bf16: 0, fp8: 0 } })).toContain('gpu:no-peak');
  });
  it('allows TP above kv_heads by replicating KV heads (tp % kv_heads == 0)', () => {
    const small = { ...llama70, kvHeads: 2 };
    expect(validatePlan(small, ok, h100, { numGpus: 64 })).toEqual([]);
  });
});
