// The seeds' example lines, read from the seed documents, must give the seeds' own figures.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, findParser, parseLines } from '../ingest/index.ts';
import { parseWindow, renderResultTable, summarize } from './index.ts';

const seedDir = join(import.meta.dirname, '../../../fixtures/seeds');
function seedLine(prefix: string, contains: string): string {
  const file = readdirSync(seedDir).find((f) => f.startsWith(prefix))!;
  return readFileSync(join(seedDir, file), 'utf8').split('\n').find((l) => l.includes(contains))!;
}
function parseSeed(line: string) {
  const parser = detectFormat([line]).parser!;
  return { format: parser.name, out: parseLines(findParser(parser.name)!, [line]) };
}

describe('seed 000 (NeMo 2 Llama 3 8B fine-tuning, last 20 steps)', () => {
  const { format, out } = parseSeed(seedLine('000', 'train_step_timing in s: 0.9181'));
  it('parses the NeMo 2 fragment', () => {
    expect(format).toBe('nemo2');
    expect(out.steps[0]).toMatchObject({ stepTimeS: 0.9181, loss: 0.208, peakMemoryBytes: 35475423232, consumedSamples: 3168 });
  });
  it('8192 * 128 / 0.9181 = 1142115 tokens/s; 1e12 / 1142115 / 86400 = 10.13 days', () => {
    const r = summarize(out, parseWindow('last:20'), { seqLen: 8192, gbs: 128 });
    expect(Math.round(r.tokensPerS!)).toBe(1142115);
    expect(r.daysToTrain!.toFixed(2)).toBe('10.13');
    const table = renderResultTable(r);
    expect(table).toContain('| Throughput in tokens per second | 1142115 |');
    expect(table).toContain('window: last 20 logged steps (1 of 1 timed records)');
    expect(table).toContain('only 1 timed step(s) in the log, fewer than the 20 asked for');
  });
  it('MFU 32 * 1.84E+14 / 1.32 / 8 / 9.89E+14 = 56.38%, LoRA x 2/3', () => {
    const series = { steps: [{ step: 99, line: 1, stepTimeS: 1.32 }], restarts: [] };
    const facts = { gbs: 32, seqLen: 4096, numGpus: 8, peakFlopsPerGpu: 989e12, flopsPerSample: 1.84e14 };
    expect((summarize(series, { kind: 'all' }, facts).mfu! * 100).toFixed(2)).toBe('56.38');
    expect(summarize(series, { kind: 'all' }, { ...facts, lora: true }).mfu).toBeCloseTo((0.5638 * 2) / 3, 3);
  });
});

describe('seed 001 (NeMo 1 GPT-3 175B, last step)', () => {
  const { format, out } = parseSeed(seedLine('001', 'train_step_timing in s=5.900'));
  it('reads 5.900 s at global step 50 from the bar', () => {
    expect(format).toBe('nemo1');
    expect(out.steps).toEqual([expect.objectContaining({ step: 50, stepTimeS: 5.9, loss: 6.13, consumedSamples: 76800 })]);
  });
  it('MFU = 256 * 2.20E+15 / 5.90 / 128 / 1979E+12 = 37.68%', () => {
    const r = summarize(out, parseWindow('last:1'), { seqLen: 2048, gbs: 256, numGpus: 128, peakFlopsPerGpu: 1979e12, flopsPerSample: 2.2e15, gpu: 'H100', dtype: 'fp8' });
    expect(renderResultTable(r)).toContain('| Model flops utilization | 37.68% |');
    expect(renderResultTable(r)).toContain('| Training step time (seconds per step) | 5.900 |');
    expect(r.assumptions.join('\n')).toContain('peak 1979 TFLOP/s per GPU (H100 fp8)');
  });
  it("the seed's tokens/s example (2048 * 256 / 5.80 = 90394.48, 128.04 days)", () => {
    const r = summarize({ steps: [{ step: 50, line: 1, stepTimeS: 5.8 }], restarts: [] }, { kind: 'all' }, { seqLen: 2048, gbs: 256 });
    expect(r.tokensPerS!.toFixed(2)).toBe('90394.48');
    expect(r.daysToTrain!.toFixed(2)).toBe('128.04');
  });
});

describe('seed 002 (NeMo 1 Llama 3.1 70B, last step)', () => {
  const { format, out } = parseSeed(seedLine('002', 'train_step_timing in s=11.20'));
  it('reads 11.20 s at step 100 (global_step=99.00 is 0-based)', () => {
    expect(format).toBe('nemo1');
    expect(out.steps[0]).toMatchObject({ step: 100, stepTimeS: 11.2, loss: 6.37, consumedSamples: 12800 });
    const r = summarize(out, parseWindow('last:1'), { seqLen: 8192, gbs: 128 });
    expect(Math.round(r.tokensPerS!)).toBe(93623);
  });
  it("the seed's worked example at 11.31 s: 92712 tokens/s, 124.84 days, 35.21% MFU", () => {
    const r = summarize({ steps: [{ step: 100, line: 1, stepTimeS: 11.31 }], restarts: [] }, { kind: 'all' }, {
      seqLen: 8192, gbs: 128, numGpus: 64, peakFlopsPerGpu: 1979e12, flopsPerSample: 3.94e15,
    });
    expect(Math.round(r.tokensPerS!)).toBe(92712);
    expect(r.daysToTrain!.toFixed(2)).toBe('124.84');
    expect((r.mfu! * 100).toFixed(2)).toBe('35.21');
  });
});
