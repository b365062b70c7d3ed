// Rows kept as numbers (RowStore, sink.pushRows) against rows made objects one by one (sink.pushRow): the same adds,
// redraw merges, restarts, intervals and thinning must give the same output, keys in the same order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeriesBuilder } from './builder.ts';
import { nemo2Parser } from './parsers/nemo2.ts';
import type { StepRecord } from './types.ts';

const STRIDE = 14;
const row = fc.record({
  gap: fc.nat(2), step: fc.oneof(fc.constant(-1), fc.nat(80)), time: fc.option(fc.double({ min: 0.01, max: 5, noNaN: true }), { nil: undefined }),
  loss: fc.option(fc.double({ min: 0, max: 9, noNaN: true }), { nil: undefined }), gib: fc.option(fc.nat(80), { nil: undefined }),
  total: fc.constantFrom(-1, 99), gbs: fc.option(fc.constantFrom(8, 16), { nil: undefined }),
});

describe('RowStore', () => {
  it('adds, merges, restarts and thins exactly as the object path', () => {
    fc.assert(fc.property(fc.array(row, { maxLength: 300 }), fc.integer({ min: 16, max: 48 }), (rs, maxSteps) => {
      const r = new Float64Array(rs.length * STRIDE).fill(Number.NaN);
      let index = 0;
      let step = 0;
      rs.forEach((x, k) => {
        index += x.gap;
        step = x.step < 0 ? step + 1 : x.step; // mostly counting up, with restarts and redraws
        r.set([index++, step, 0, x.time ?? Number.NaN, x.loss ?? Number.NaN, 3e-5, Number.NaN, step * 8, Number.NaN, Number.NaN, Number.NaN, x.total, x.gib ?? Number.NaN, x.gbs ?? Number.NaN], k * STRIDE);
      });
      const numbers = nemo2Parser.create({ maxSteps, rowStore: true });
      const objects = nemo2Parser.create({ maxSteps });
      numbers.pushRows!(r, 0, r.length, 0);
      let cursor = 0;
      for (let o = 0; o < r.length; o += STRIDE) {
        objects.skip(r[o]! - cursor);
        objects.pushRow!(r, o);
        cursor = r[o]! + 1;
      }
      const a = objects.end();
      const b = numbers.end();
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(b).toStrictEqual(a);
    }), { numRuns: 300 });
  });

  it('takes over only records of the NeMo 2 shape', () => {
    const literal: StepRecord = { step: 1, line: 1, epoch: 0, stepTimeS: 1, loss: undefined, lr: 3e-5, gradNorm: undefined, consumedSamples: 8, peakMemoryBytes: undefined, tflopsPerGpu: undefined, tokensPerSPerGpu: undefined };
    const b = new SeriesBuilder('nemo2', 100, true);
    b.addValidated({ step: 1, line: 1, stepTimeS: 1 });
    expect(b.rowStore()).toBeUndefined();
    const c = new SeriesBuilder('nemo2', 100, true);
    c.addValidated(literal);
    expect(c.rowStore()?.length).toBe(1);
    expect(c.steps).toStrictEqual([literal]);
    expect(new SeriesBuilder('nemo2', 100).rowStore()).toBeUndefined();
  });
});
