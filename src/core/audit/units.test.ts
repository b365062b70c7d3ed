import { describe, expect, it } from 'vitest';
import { parsePrinted, printed } from '../catalog/printed.ts';
import { evaluate } from './expr.ts';
import { readLogLine } from './logline.ts';
import { formatLike, judge } from './verdict.ts';

describe('printed figures', () => {
  it.each([
    ['56.38%', 56.38, 0.01, 'percent'],
    ['1.84E+14', 1.84e14, 1e12, 'plain'],
    ['116', 116, 1, 'plain'],
    ['40.5', 40.5, 0.1, 'plain'],
    ['6,471,680', 6471680, 1, 'plain'],
    ['16:35:57', 59757, 1, 'duration'],
    ['49:47', 2987, 1, 'duration'],
  ] as const)('%s', (text, value, unit, kind) => {
    const p = printed(text);
    expect([p.value, p.unit, p.kind]).toEqual([value, unit, kind]);
  });
  it('comparators and junk', () => {
    expect(parsePrinted('>50')).toMatchObject({ value: 50, comparator: '>' });
    expect(parsePrinted('about half')).toBeUndefined();
    expect(parsePrinted('1,2')).toBeUndefined();
  });
});

describe('expression evaluator', () => {
  it('evaluates the seeds arithmetic exactly', () => {
    expect(evaluate('24 * 96 * 12288^2 + 12 * 96 * 12288 * 2048').value).toBe(376_883_380_224);
    expect(evaluate('8129 * (136,902,082,560 + 338,228,674,560 + 6,304,038,912)').value).toBe(8129 * 481_434_796_032);
    expect(evaluate('12 * 80 * 8192^2 * (1 + 8/64 + 8192/8192)').value).toBe(136_902_082_560);
    expect(evaluate('floor(ceil(981 / 16) / 8) * 3').value).toBe(21);
    expect(evaluate('2 ^ 3 ^ 2').value).toBe(512);
    expect(evaluate('-(3 - 5)').value).toBe(2);
  });
  it('gives decimal literals their printed range and keeps integers exact', () => {
    const r = evaluate('20 * 2987.90');
    expect(r.value).toBeCloseTo(59758, 9);
    expect(r.lo).toBeCloseTo(59757.9, 9);
    expect(r.hi).toBeCloseTo(59758.2, 9);
    expect(evaluate('8192 * 128')).toEqual({ value: 1048576, lo: 1048576, hi: 1048576 });
  });
  it('rejects anything that is not arithmetic', () => {
    expect(() => evaluate('process.exit(1)')).toThrow(/cannot evaluate/);
    expect(() => evaluate('1 +')).toThrow(/unexpected end/);
    expect(() => evaluate('(1 + 2')).toThrow(/expected '\)'/);
  });
});

describe('tolerance rule', () => {
  const x = (v: number) => ({ value: v, lo: v, hi: v });
  it('accepts rounding and truncation to the printed digit, nothing more', () => {
    expect(judge(printed('99296'), x(99296.97)).verdict).toBe('ok'); // truncated
    expect(judge(printed('197'), x(196.69)).verdict).toBe('ok'); // rounded
    expect(judge(printed('39.16%'), x(39.148)).verdict).toBe('MISMATCH');
    expect(judge(printed('40.5'), x(40.62)).verdict).toBe('MISMATCH');
    expect(judge(printed('16:35:57'), x(59758)).verdict).toBe('MISMATCH');
  });
  it('accepts a value reachable from inputs that print the same way, labelled input-precision', () => {
    expect(judge(printed('39.16%'), { value: 39.148, lo: 38.9, hi: 39.4 })).toEqual({ verdict: 'ok', rule: 'input-precision' });
  });
  it('handles claims printed with a comparator', () => {
    expect(judge(printed('>50'), x(17.4)).verdict).toBe('MISMATCH');
    expect(judge(printed('>50'), x(52)).verdict).toBe('ok');
  });
  it('formats computed values like the published ones, one digit more', () => {
    expect(formatLike(printed('56.38%'), 56.378)).toBe('56.378%');
    expect(formatLike(printed('1.84E+14'), 2.108e14)).toBe('2.108E+14');
    expect(formatLike(printed('116'), 116.56)).toBe('116.6');
    expect(formatLike(printed('16:35:57'), 59758)).toBe('16:35:58.0');
  });
});

describe('example log lines', () => {
  it('NeMo 2', () => {
    expect(readLogLine('reduced_train_loss: 0.208 | train_step_timing in s: 0.9181 | consumed_samples: 3168')).toEqual({ stepTimeS: '0.9181', consumedSamples: 3168 });
  });
  it('NeMo 1 Lightning bar', () => {
    const f = readLogLine('Epoch 0: : 100%|██████████| 50/50 [31:51<00:00, reduced_train_loss=6.130, global_step=50.0, consumed_samples=76800.0, train_step_timing in s=5.900, val_loss=6.250]');
    expect(f).toEqual({ stepTimeS: '5.900', consumedSamples: 76800, globalStep: 50, progressDone: 50, progressTotal: 50 });
  });
  it('tqdm', () => {
    expect(readLogLine('  5%|▍         | 1/21 [49:47<16:35:57, 2987.90s/it]')).toEqual({ stepTimeS: '2987.90', progressDone: 1, progressTotal: 21 });
  });
});
