import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { llamaFlopsPerSample, mfu, timeToTrainDays, tokensPerSecond } from './index.ts';

const pos = fc.double({ min: 1e-3, max: 1e6, noNaN: true });
const int = fc.integer({ min: 1, max: 1 << 16 });

describe('metric properties', () => {
  it('time to train x tokens/s x 86400 gives back the tokens', () => {
    fc.assert(fc.property(int, int, pos, (seq, gbs, step) => {
      const tps = tokensPerSecond(seq, gbs, step);
      expect(timeToTrainDays(1e12, tps) * tps * 86400).toBeCloseTo(1e12, -3);
    }));
  });

  it('MFU halves when the step time or the GPU count doubles; LoRA is exactly 2/3', () => {
    fc.assert(fc.property(pos, int, pos, int, pos, (f, gbs, step, gpus, peak) => {
      const x = { flopsPerSample: f * 1e9, gbs, stepTimeS: step, numGpus: gpus, peakFlopsPerGpu: peak * 1e12 };
      const base = mfu(x);
      expect(mfu({ ...x, stepTimeS: step * 2 }) / base).toBeCloseTo(0.5, 12);
      expect(mfu({ ...x, numGpus: gpus * 2 }) / base).toBeCloseTo(0.5, 12);
      expect(mfu({ ...x, lora: true }) / base).toBeCloseTo(2 / 3, 12);
    }));
  });

  it('Llama FLOPs: total = seq x (terms); only attention depends on seq, linearly', () => {
    const shape = fc.record({ layers: int, hidden: int, ffn: int, heads: int, kvHeads: int, vocab: int });
    fc.assert(fc.property(shape, int, (m, seq) => {
      const a = llamaFlopsPerSample(m, seq);
      const b = llamaFlopsPerSample(m, seq * 2);
      expect(a.total).toBeCloseTo(seq * (a.attention + a.mlp + a.embedding), -Math.floor(Math.log10(a.total)) + 9);
      expect([b.mlp, b.embedding]).toEqual([a.mlp, a.embedding]);
      expect(b.attention - a.attention).toBeCloseTo(12 * m.layers * m.hidden * seq, -Math.floor(Math.log10(b.attention)) + 9);
    }));
  });
});
