import { describe, expect, it } from 'vitest';
import { TrainbenchError } from '../errors.ts';
import type { StepRecord } from '../ingest/index.ts';
import { applyWindow, compareFigures, parseWindow, renderComparison, stepTimeStats, summarize } from './index.ts';

const rec = (step: number, stepTimeS?: number, line = step, interval?: number): StepRecord => ({ step, line, stepTimeS, interval });
const series = (times: number[]) => ({ steps: times.map((t, i) => rec(i + 1, t)), restarts: [] });

describe('windows', () => {
  it('parses every form and rejects the rest with the syntax in the hint', () => {
    expect(parseWindow('last:20')).toEqual({ kind: 'last', n: 20 });
    expect(parseWindow('skip:5')).toEqual({ kind: 'skip', first: 5 });
    expect(parseWindow('skip-pct:10')).toEqual({ kind: 'skip-pct', pct: 10 });
    expect(parseWindow('range:10-50')).toEqual({ kind: 'range', from: 10, to: 50 });
    expect(parseWindow('all')).toEqual({ kind: 'all' });
    for (const bad of ['last:0', 'last', 'range:50-10', 'skip-pct:100', 'first:3', 'last:2.5']) {
      expect(() => parseWindow(bad)).toThrow(TrainbenchError);
    }
  });
  it('cuts timed records; range uses step numbers; untimed records never count', () => {
    const s = { steps: [rec(1, 9), rec(2), rec(3, 1), rec(4, 2), rec(5, 3)], restarts: [] };
    expect(applyWindow(s, { kind: 'last', n: 2 }).steps.map((r) => r.step)).toEqual([4, 5]);
    expect(applyWindow(s, { kind: 'skip', first: 1 }).steps.map((r) => r.step)).toEqual([3, 4, 5]);
    expect(applyWindow(s, { kind: 'skip-pct', pct: 50 }).steps.map((r) => r.step)).toEqual([4, 5]);
    expect(applyWindow(s, { kind: 'range', from: 2, to: 4 }).steps.map((r) => r.step)).toEqual([3, 4]);
    expect(applyWindow(s, { kind: 'all' }).available).toBe(4);
  });
  it('after a restart only the last segment counts, and says so', () => {
    const s = { steps: [rec(1, 5, 1), rec(2, 5, 2), rec(1, 1, 3), rec(2, 1, 4)], restarts: [{ line: 3, fromStep: 2, toStep: 1 }] };
    const w = applyWindow(s, { kind: 'all' });
    expect(w.steps.map((r) => r.stepTimeS)).toEqual([1, 1]);
    expect(w.notes[0]).toContain('restart');
  });
});

describe('statistics', () => {
  it('mean weighted by interval, median, p95 nearest-rank', () => {
    const st = stepTimeStats([rec(10, 2, 1, 10), rec(20, 1, 2, 10), rec(25, 4, 3, 5)])!;
    expect(st.meanS).toBeCloseTo((20 + 10 + 20) / 25, 12);
    expect(st).toMatchObject({ n: 3, stepsCovered: 25, medianS: 2, minS: 1, maxS: 4, p95S: 4 });
    const many = stepTimeStats(Array.from({ length: 100 }, (_, i) => rec(i, i + 1)))!;
    expect(many.p95S).toBe(95);
    expect(many.medianS).toBe(50.5);
  });
  it('a result without step times says why, instead of inventing figures', () => {
    const r = summarize({ steps: [rec(1)], restarts: [] }, { kind: 'all' }, { seqLen: 4096, gbs: 8 });
    expect(r.stepTime).toBeUndefined();
    expect(r.missing).toEqual(['no step times in the log']);
  });
  it('lists what MFU and tokens/s need when facts are missing', () => {
    const r = summarize(series([1, 1]), { kind: 'all' }, {});
    expect(r.missing.join('\n')).toMatch(/--seq.*--gbs[\s\S]*MFU needs GBS, GPU count/);
  });
});

describe('compare', () => {
  const base = { stepTimeS: 1.32, tokensPerS: 99296, mfu: 0.5638, daysToTrain: 116 };
  it('within tolerance passes', () => {
    expect(compareFigures({ ...base, stepTimeS: 1.35 }, base, 0.05).verdict).toBe('pass');
  });
  it('slower beyond tolerance is a regression; faster is an improvement', () => {
    const slow = compareFigures({ stepTimeS: 1.5, tokensPerS: 87381 }, base, 0.05);
    expect(slow.verdict).toBe('regression');
    expect(slow.metrics.map((m) => m.verdict)).toEqual(['regression', 'regression']);
    expect(slow.metrics[0]!.change).toBeCloseTo(1.32 / 1.5 - 1, 12);
    expect(slow.skipped).toEqual(['mfu: only on the baseline side', 'daysToTrain: only on the baseline side']);
    expect(compareFigures({ stepTimeS: 1.0 }, base).verdict).toBe('improvement');
    expect(renderComparison(slow, { baseline: 'A', candidate: 'B' })).toContain('verdict: regression (tolerance ±5.0%');
  });
});
