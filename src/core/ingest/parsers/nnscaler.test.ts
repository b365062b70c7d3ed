// nnScaler has no public step log (SOURCES.md "Not found"): these lines are constructed from the format strings in
// nnscaler/cli/trainer.py as FORMATS.md §7 quotes them (tqdm postfix and the logger line), with seed 004's figure.
import { describe, expect, it } from 'vitest';
import { parseWindow, summarize } from '../../measure/index.ts';
import { detectFormat, parseLines } from '../index.ts';

const bar = 'Epoch 0:  10%|█  | 100/1000 [02:03<18:27,  1.23s/it, train_loss=2.35, lr=0.0001, gnorm=0.456, train_wall=1.22, loss=2.35]';
const logger = [
  '2024-10-22 06:18:55 | INFO | nnscaler.cli.trainer | Epoch 0: 0099/1000 train_loss=2.351, lr=1.000e-04, gnorm=0.456, train_wall=41.100, loss=2.351',
  '2024-10-22 06:19:36 | INFO | nnscaler.cli.trainer | Epoch 0: 0100/1000 train_loss=2.345, lr=1.000e-04, gnorm=0.456, train_wall=41.120, loss=2.345',
  '2024-10-22 06:20:17 | INFO | nnscaler.cli.trainer | Epoch 1: 0001/1000 train_loss=nan, lr=1.000e-04, gnorm=0.456, train_wall=41.140, loss=nan',
];

describe('nnscaler', () => {
  it('reads train_wall from the tqdm postfix', () => {
    const d = detectFormat([bar]);
    expect(d.parser?.name).toBe('nnscaler');
    const out = parseLines(d.parser!, [bar]);
    expect(out.steps).toEqual([expect.objectContaining({ step: 100, stepTimeS: 1.22, loss: 2.35, gradNorm: 0.456, lr: 0.0001 })]);
  });
  it('reads the logger lines; steps continue across epochs; nan loss flagged', () => {
    const out = parseLines(detectFormat(logger).parser!, logger);
    expect(out.steps.map((s) => [s.step, s.stepTimeS])).toEqual([[99, 41.1], [100, 41.12], [1001, 41.14]]);
    expect(out.steps[2]!.nanLoss).toBe(true);
    expect(out.restarts).toEqual([]);
  });
  it("seed 004: 41.12 s/step on 8x H100 with 133252.22 TFLOPs per step (GA 4) is 40.96% MFU", () => {
    const out = parseLines(detectFormat(logger).parser!, logger.slice(1, 2));
    const r = summarize(out, parseWindow('last:1'), {
      seqLen: 131072, gbs: 4, numGpus: 8, peakFlopsPerGpu: 989e12, flopsPerSample: 133252.22e12 / 4,
    });
    expect((r.mfu! * 100).toFixed(2)).toBe('40.96');
  });
});
