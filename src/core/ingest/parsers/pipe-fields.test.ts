// The in-place number reader and the span scanner against the plain versions they replace on the hot path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { num } from '../text.ts';
import { numAt, scanPipeFields } from './pipe-fields.ts';

describe('numAt', () => {
  it('reads exactly what num() reads', () => {
    const decimal = fc.tuple(fc.constantFrom('', '-', '+', ' '), fc.stringMatching(/^[0-9]{0,18}$/), fc.constantFrom('', '.'), fc.stringMatching(/^[0-9]{0,18}$/), fc.constantFrom('', 'e-3', ' ', ',5', 'x'))
      .map((p) => p.join(''));
    fc.assert(fc.property(decimal, fc.double(), (s, d) => {
      for (const raw of [s, String(d), d.toFixed(4)]) {
        const text = `k: ${raw} |`;
        expect(Object.is(numAt(text, 3, 3 + raw.length), num(raw)) || (Number.isNaN(numAt(text, 3, 3 + raw.length)) && Number.isNaN(num(raw)))).toBe(true);
      }
    }), { numRuns: 2000 });
    expect(numAt('x', -1, -1)).toBeUndefined();
  });
});

describe('scanPipeFields', () => {
  it('takes the first occurrence of each key, values up to the next ` |`', () => {
    const keys = ['lr', 'loss', 'train_step_timing in s'];
    expect(scanPipeFields('Training | lr: 0.1 | loss: 2 | lr: 9 | train_step_timing in s: 0.5 | x: 1', keys, 9)).toEqual(['0.1', '2', '0.5']);
    expect(scanPipeFields('loss:3 | lrr: 1 | lr:  7 ', keys)).toEqual([' 7 ', undefined, undefined]);
  });
});

describe('scanPipeFields edge', () => {
  it('a key right before ` |` has an empty value', () => {
    expect(scanPipeFields('lr: | loss: 1', ['lr', 'loss'])).toEqual(['', '1']);
  });
});
