import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat, findParser, parseLines } from '../ingest/index.ts';
import { parseWindow, summarize } from '../measure/index.ts';
import { buildCharts, reportFromResult, reportSteps } from './index.ts';

const log = readFileSync(new URL('../../../fixtures/logs/megatron/fixstars-mdk-gpt3-7b-1node.log', import.meta.url), 'utf8').split('\n');

describe('reportFromResult on a real Megatron log', () => {
  const parser = detectFormat(log.slice(0, 200)).parser ?? findParser('megatron')!;
  const out = parseLines(parser, log);
  const result = summarize(out, parseWindow('last:5'), { seqLen: 2048, gbs: out.header.globalBatchSize, numGpus: 8, gpu: 'H100', model: 'gpt3-7b', totalTokens: 1e12 });
  const input = reportFromResult({ title: 'gpt3 7b', steps: reportSteps(out.steps), result, telemetry: null, warnings: [] });

  it('keeps the Result window, figures and assumptions verbatim', () => {
    expect(input.window).toEqual({ from: result.window.firstStep, to: result.window.lastStep });
    expect(input.metrics?.stepTimeS).toBe(result.stepTime?.meanS);
    expect(input.summary?.columns).toEqual(['Throughput on 8x H100 GPUs']);
    expect(input.assumptions.slice(0, result.assumptions.length)).toEqual(result.assumptions);
    expect(input.assumptions.filter((a) => a.startsWith('not computed: '))).toHaveLength(result.missing.length);
  });

  it('draws one step-time point per logged step and shades the window', () => {
    const chart = buildCharts(input).find((c) => c.id === 'step-time')!;
    const series = (chart.option!.series as { data: unknown[]; markArea: { data: [{ xAxis: number }, { xAxis: number }][] } }[])[0]!;
    expect(series.data).toHaveLength(out.steps.filter((s) => s.stepTimeS !== undefined).length);
    expect(series.markArea.data[0]?.[0].xAxis).toBe(result.window.firstStep);
  });
});
