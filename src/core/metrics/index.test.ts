import { describe, expect, it } from 'vitest';
import { TrainbenchError } from '../errors.ts';
import {
  denseGptFlopsPerSample,
  hardwareFlopsUtilization,
  llamaFlopsPerSample,
  mfu,
  nnscalerStepFlops,
  timeToTrainDays,
  tokensPerSecond,
} from './index.ts';

const llama31_70b = { layers: 80, hidden: 8192, ffn: 28672, heads: 64, kvHeads: 8, vocab: 128256 };

describe('model FLOPs formulas (worked examples from the seeds)', () => {
  it('dense GPT: seed 001 GPT-3 175B breakdown, digit for digit', () => {
    const f = denseGptFlopsPerSample({ layers: 96, hidden: 12288, vocab: 51200 }, 2048);
    expect(f.attention).toBe(376_883_380_224);
    expect(f.mlp).toBe(695_784_701_952);
    expect(f.embedding).toBe(3_774_873_600);
    expect(f.total.toExponential(2)).toBe('2.20e+15');
  });

  it('llama: seed 002 Llama 3.1 70B breakdown, digit for digit', () => {
    const f = llamaFlopsPerSample(llama31_70b, 8192);
    expect(f.attention).toBe(136_902_082_560);
    expect(f.mlp).toBe(338_228_674_560);
    expect(f.embedding).toBe(6_304_038_912);
    expect(f.total.toExponential(2)).toBe('3.94e+15');
  });

  it('llama: Llama 3 8B at seq 4096 gives 2.11E+14, not seed 000 constant 1.84E+14 (audit reports it)', () => {
    const f = llamaFlopsPerSample({ layers: 32, hidden: 4096, ffn: 14336, heads: 32, kvHeads: 8, vocab: 128256 }, 4096);
    expect(f.total.toExponential(2)).toBe('2.11e+14');
  });

  it('nnScaler: seed 004 forward 11104.35 TFLOPs and step 133252.22 TFLOPs', () => {
    const r = nnscalerStepFlops({ params: 8e9, layers: 32, hidden: 4096, seqLen: 128 * 1024, gradAccum: 4 });
    expect((r.forward / 1e12).toFixed(2)).toBe('11104.35');
    expect((r.step / 1e12).toFixed(2)).toBe('133252.22');
  });
});

describe('throughput, time to train, MFU', () => {
  it('seed 000 example: 8192 * 128 / 0.9181 = 1142115 and 10.13 days', () => {
    const tps = tokensPerSecond(8192, 128, 0.9181);
    expect(Math.round(tps)).toBe(1142115);
    expect(timeToTrainDays(1e12, tps).toFixed(2)).toBe('10.13');
  });

  it('seed 000 MFU example: 32 * 1.84E+14 / 1.32 / 8 / 9.89E+14 = 56.38% (a fraction)', () => {
    const v = mfu({ flopsPerSample: 1.84e14, gbs: 32, stepTimeS: 1.32, numGpus: 8, peakFlopsPerGpu: 9.89e14 });
    expect((v * 100).toFixed(2)).toBe('56.38');
  });

  it('LoRA multiplies MFU by 2/3', () => {
    const x = { flopsPerSample: 1.84e14, gbs: 32, stepTimeS: 0.92, numGpus: 8, peakFlopsPerGpu: 9.89e14 };
    expect(mfu({ ...x, lora: true })).toBeCloseTo((mfu(x) * 2) / 3, 12);
  });

  it('seed 004: 133252.22 TFLOPs / 41.12 s / 8 / 989 TFLOPS = 40.96%', () => {
    const v = mfu({ flopsPerSample: 133252.22e12, gbs: 1, stepTimeS: 41.12, numGpus: 8, peakFlopsPerGpu: 989e12 });
    expect((v * 100).toFixed(2)).toBe('40.96');
  });

  it('HFU is MFU times 4/3 under full recompute and equal without', () => {
    const x = { flopsPerSample: 1e14, gbs: 8, stepTimeS: 1, numGpus: 8, peakFlopsPerGpu: 1e15 };
    expect(hardwareFlopsUtilization({ ...x, recompute: 'none' })).toBeCloseTo(mfu(x), 12);
    expect(hardwareFlopsUtilization({ ...x, recompute: 'full' })).toBeCloseTo((mfu(x) * 4) / 3, 12);
    expect(hardwareFlopsUtilization({ ...x, recomputeFactor: 1.05 })).toBeCloseTo(mfu(x) * 1.05, 12);
    expect(() => hardwareFlopsUtilization({ ...x, recomputeFactor: 0.5 })).toThrow(TrainbenchError);
  });
});

describe('validation', () => {
  const bad = [0, -1, Number.NaN, Number.POSITIVE_INFINITY];
  it.each(bad)('rejects %s with usageError invalid-number', (v) => {
    const calls = [
      () => tokensPerSecond(v, 1, 1),
      () => timeToTrainDays(1e12, v),
      () => mfu({ flopsPerSample: 1, gbs: 1, stepTimeS: v, numGpus: 1, peakFlopsPerGpu: 1 }),
      () => denseGptFlopsPerSample({ layers: v, hidden: 1, vocab: 1 }, 1),
      () => llamaFlopsPerSample({ ...llama31_70b, kvHeads: v }, 1),
      () => nnscalerStepFlops({ params: 1, layers: 1, hidden: 1, seqLen: 1, gradAccum: v }),
    ];
    for (const call of calls) {
      try {
        call();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(TrainbenchError);
        expect((e as TrainbenchError).code).toBe('invalid-number');
        expect((e as TrainbenchError).kind).toBe('usage');
      }
    }
  });
});
