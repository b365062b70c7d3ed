import { describe, expect, it } from 'vitest';
import { scanPipeFields } from './parsers/pipe-fields.ts';
import { duration, num, scaled, segments, timestamp } from './text.ts';

describe('text helpers', () => {
  it('numbers as engines print them', () => {
    expect([num('2e+3'), num('2.56e+5'), num('7,282'), num(" '10.58' "), num(''), num('abc'), num('5.900')]).toEqual([2000, 256000, 7282, 10.58, undefined, undefined, 5.9]);
    expect(num('nan')).toBeNaN();
    expect(scaled(12104.3, 1e-3)).toBe(12.1043);
  });
  it('durations and timestamps', () => {
    expect([duration('0:16:08.44'), duration('1 day, 2:03:04'), duration('02:03'), duration('x')]).toEqual([968.44, 93784, 123, undefined]);
    expect(timestamp('[titan] 2026-05-18 16:04:46,338 - root')).toBe(Date.UTC(2026, 4, 18, 16, 4, 46) / 1000 + 0.338);
  });
  it('segments: CR and literal ^M redraws, ANSI, srun and torchrun rank prefixes, NUL bytes', () => {
    expect(segments('a\rb^Mc')).toEqual([{ text: 'a', rank: undefined }, { text: 'b', rank: undefined }, { text: 'c', rank: undefined }]);
    expect(segments('\x1b[32m3: [rank3]:step\x00 1')).toEqual([{ text: 'step 1', rank: 3 }]);
    expect(segments('  \r\t')).toEqual([]);
  });
  it('field lookups respect key boundaries', () => {
    const line = 'reduced_train_loss: 0.208 | train_step_timing in s: 0.9181 | loss: 9 | lr: 3e-05';
    expect(scanPipeFields(line, ['loss', 'lr', 'train_step_timing in s', 'x'])).toEqual(['9', '3e-05', '0.9181', undefined]);
  });
});
