import { describe, expect, it } from 'vitest';
import { explainBest } from './explain.ts';
import { BUILTIN_GPUS } from './hardware.ts';
import { searchPlans } from './search.ts';
import type { ModelShape } from './types.ts';
import { validatePlan } from './validate.ts';

const h100 = BUILTIN_GPUS.H100!;
const llama405: ModelShape = { layers: 126, hidden: 16384, ffn: 53248, heads: 128, kvHeads: 8, vocab: 128256 };
const llama70: ModelShape = { layers: 80, hidden: 8192, ffn: 28672, heads: 64, kvHeads: 8, vocab: 128256 };

describe('searchPlans', () => {
  it('returns only valid plans that fit, fastest first, with a reason for the winner', () => {
    const r = searchPlans({ model: llama70, hw: h100, numGpus: 64, seqLen: 8192, gbs: 128, dtype: 'bf16', task: 'pretrain' });
    expect(r.ranked.length).toBeGreaterThan(10);
    expect(r.considered).toBe(r.invalid + r.outOfMemory + r.ranked.length);
    for (const p of r.ranked.slice(0, 20)) {
      expect(validatePlan(llama70, p.plan, h100, { numGpus: 64 })).toEqual([]);
      expect(p.memory.fits).toBe(true);
    }
    const times = r.ranked.map((p) => p.time.step_time_s);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // 70B at 8K tokens on 64 H100s needs model parallelism: plain DP does not fit.
    expect(r.ranked[0]!.plan.tp * r.ranked[0]!.plan.pp * r.ranked[0]!.plan.cp).toBeGreaterThan(1);
    const why = explainBest(r);
    expect(why[0]).toMatch(/^best: TP\d+ PP\d+/);
    expect(why.join('\n')).toMatch(/vs #2/);
  });

  it('searches the whole space for a 405B model on 16,384 GPUs (timing is in bench/plan, not here)', () => {
    const r = searchPlans({ model: llama405, hw: h100, numGpus: 16384, seqLen: 8192, gbs: 2048, dtype: 'bf16', task: 'pretrain' });
    expect(r.considered).toBeGreaterThan(1000);
    expect(r.ranked.length).toBeGreaterThan(0);
  });

  it('says why nothing fits when nothing does', () => {
    const r = searchPlans({ model: llama405, hw: h100, numGpus: 8, seqLen: 8192, gbs: 8, dtype: 'bf16', task: 'pretrain' });
    expect(r.ranked).toHaveLength(0);
    expect(explainBest(r)[0]).toMatch(/no valid plan fits in memory/);
  });
});
