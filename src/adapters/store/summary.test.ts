import { describe, expect, it } from 'vitest';
import { summarize } from '../../core/measure/index.ts';
import { summariseResult } from './summary.ts';

describe('summariseResult', () => {
  it('lifts step time, tokens/s and MFU out of a real core/measure Result', () => {
    const steps = Array.from({ length: 10 }, (_, i) => ({ step: i + 1, line: i + 1, stepTimeS: 2 }));
    const result = summarize({ steps, restarts: [] }, { kind: 'all' }, {
      seqLen: 4096, gbs: 128, numGpus: 8, peakFlopsPerGpu: 989e12, flopsPerSample: 6 * 8e9 * 4096,
    });
    const summary = summariseResult(result);
    expect(summary.stepTimeS).toBe(2);
    expect(summary.tokensPerS).toBeCloseTo((4096 * 128) / 2);
    expect(summary.mfu).toBeCloseTo(result.mfu!);
  });

  it('accepts other spellings and leaves what it cannot find empty', () => {
    expect(summariseResult({ mean_step_time_s: 1.5, throughput: { tokens_per_second: 900 } })).toEqual({ stepTimeS: 1.5, tokensPerS: 900, mfu: null });
    expect(summariseResult('not an object')).toEqual({ stepTimeS: null, tokensPerS: null, mfu: null });
  });
});
