import { describe, expect, it } from 'vitest';
import { stepTimeStats } from '../measure/index.ts';
import { findParser } from './index.ts';

const line = (i: number) => `Training epoch 0, iteration ${i}/9999 | global_step: ${i} | reduced_train_loss: 7 | train_step_timing in s: ${(0.4 + (i % 7) / 100).toFixed(2)}`;

describe('bounded step series', () => {
  it('merges older records in pairs past the cap: mean and steps covered stay exact, recent records stay whole', () => {
    const full = findParser('nemo2')!.create();
    const capped = findParser('nemo2')!.create({ maxSteps: 40 });
    for (let i = 0; i < 1000; i++) {
      full.push(line(i));
      capped.push(line(i));
    }
    const a = full.end();
    const b = capped.end();
    expect(b.steps.length).toBeLessThanOrEqual(40);
    const sa = stepTimeStats(a.steps)!;
    const sb = stepTimeStats(b.steps)!;
    expect(sb.stepsCovered).toBe(1000);
    expect(sb.meanS).toBeCloseTo(sa.meanS, 12);
    expect(b.steps.slice(-10)).toEqual(a.steps.slice(-10));
    expect(b.warnings.join()).toContain('merged in pairs');
    expect(b.lines).toEqual(a.lines);
  });
  it('never merges across a restart: the contract still holds', async () => {
    const sink = findParser('nemo2')!.create({ maxSteps: 16 });
    for (let i = 0; i < 30; i++) sink.push(line(i));
    for (let i = 5; i < 40; i++) sink.push(line(i));
    const out = sink.end();
    expect(out.restarts).toEqual([{ line: 31, fromStep: 29, toStep: 5 }]);
    const { checkOutput } = await import('./parser.contract.ts');
    expect(checkOutput(findParser('nemo2')!, out, 65)).toEqual([]);
    expect(stepTimeStats(out.steps)!.stepsCovered).toBe(65);
  });
});

describe('thinOlder at scale', () => {
  it('merges 400k records without overflowing the stack', async () => {
    const { thinOlder } = await import('./thin.ts');
    const steps = Array.from({ length: 400_000 }, (_, i) => ({ step: i, line: i + 1, stepTimeS: 1 }));
    expect(thinOlder(steps, 100_000)).toBe(150_000);
    expect(steps).toHaveLength(250_000);
    expect(steps[0]).toMatchObject({ step: 1, interval: 2 });
    expect(steps.at(-1)).toEqual({ step: 399_999, line: 400_000, stepTimeS: 1 });
  });
});

describe('bounded step series, property', () => {
  it('any step sequence (restarts, untimed records): contract holds, timed steps covered and mean unchanged', async () => {
    const fc = (await import('fast-check')).default;
    const { checkOutput } = await import('./parser.contract.ts');
    const parser = findParser('nemo2')!;
    const untimed = (i: number) => `Training epoch 0, iteration ${i}/9999 | global_step: ${i} | reduced_train_loss: 7`;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.boolean()), { maxLength: 300 }), fc.integer({ min: 16, max: 64 }), (seq, cap) => {
        const lines = seq.map(([s, timed]) => (timed ? line(s) : untimed(s)));
        const full = parser.create();
        const capped = parser.create({ maxSteps: cap });
        for (const l of lines) {
          full.push(l);
          capped.push(l);
        }
        const [a, b] = [full.end(), capped.end()];
        expect(checkOutput(parser, b, lines.length)).toEqual([]);
        const [sa, sb] = [stepTimeStats(a.steps), stepTimeStats(b.steps)];
        expect(sb?.stepsCovered).toBe(sa?.stepsCovered);
        if (sa && sb) expect(sb.meanS).toBeCloseTo(sa.meanS, 9);
      }),
      { numRuns: 200 },
    );
  });
});
