// The row store against the object path it stands in for: the same adds, redraw merges, restarts and thinning
// must give the same records (keys in the same order) and the same restarts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeriesBuilder } from './builder.ts';
import type { StepRecord } from './types.ts';

const record = fc.record({
  step: fc.nat(60), time: fc.option(fc.double({ min: 0.01, max: 5, noNaN: true }), { nil: undefined }),
  loss: fc.option(fc.double({ min: 0, max: 9, noNaN: true }), { nil: undefined }), interval: fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined }),
});

function literal(r: { step: number; time: number | undefined; loss: number | undefined; interval: number | undefined }, line: number): StepRecord {
  const rec: StepRecord = { step: r.step, line, epoch: 0, stepTimeS: r.time, loss: r.loss, lr: 3e-5, gradNorm: undefined, consumedSamples: line * 8, peakMemoryBytes: undefined, tflopsPerGpu: undefined, tokensPerSPerGpu: undefined };
  if (r.interval !== undefined) rec.interval = r.interval;
  return rec;
}

describe('RowStore', () => {
  it('adds, merges, restarts and thins exactly as the object builder', () => {
    fc.assert(fc.property(fc.array(record, { maxLength: 400 }), fc.integer({ min: 16, max: 64 }), (recs, maxSteps) => {
      const objects = new SeriesBuilder('nemo2', maxSteps);
      const rows = new SeriesBuilder('nemo2', maxSteps, true);
      const v = new Float64Array(12);
      recs.forEach((r, i) => {
        objects.addValidated(literal(r, i + 1));
        const store = rows.rowStore()!;
        const o = literal(r, i + 1) as unknown as Record<string, number | undefined>;
        Object.values(o).forEach((x, k) => (v[k] = x ?? Number.NaN));
        if (r.interval === undefined) v[11] = Number.NaN;
        rows.addRow(store, v);
      });
      const a = objects.output({ total: recs.length, parsed: recs.length });
      const b = rows.output({ total: recs.length, parsed: recs.length });
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(b).toStrictEqual(a);
    }), { numRuns: 300 });
  });

  it('takes over only records of the NeMo 2 shape', () => {
    const b = new SeriesBuilder('nemo2', 100, true);
    b.addValidated({ step: 1, line: 1, stepTimeS: 1 });
    expect(b.rowStore()).toBeUndefined();
    const c = new SeriesBuilder('nemo2', 100, true);
    c.addValidated(literal({ step: 1, time: 1, loss: undefined, interval: undefined }, 1));
    expect(c.rowStore()?.length).toBe(1);
    expect(c.steps).toHaveLength(1);
    expect(new SeriesBuilder('nemo2', 100).rowStore()).toBeUndefined();
  });
});
