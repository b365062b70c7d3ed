import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alignTelemetry, parseDmon, parseVmstat } from '../telemetry/index.ts';
import { buildCharts, renderReportHtml, summaryTable, type ReportInput } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/telemetry/${name}`, import.meta.url), 'utf8');
const t0 = Date.parse('2026-11-26T04:53:30Z') / 1000;
const steps = Array.from({ length: 80 }, (_, i) => ({ step: i + 1, stepTimeS: 1, loss: 10 - i * 0.05, time: t0 + i + 1 }));
const cpu = parseVmstat(fixture('h200-host-vmstat-t.txt'), { utcOffsetHours: 0 });
const gpu = parseDmon(fixture('h200-dmon-pucvmet-DT.txt'), { utcOffsetHours: 0 });
const telemetry = alignTelemetry(steps.map((s) => ({ step: s.step, end: s.time, stepTimeS: s.stepTimeS })), gpu.samples, cpu.samples, cpu.clock);
const full: ReportInput = {
  title: 'Llama <script>alert(1)</script> run',
  summary: summaryTable('Llama3 8b SFT BF16', [{ label: 'Throughput on 8x H100 GPUs', stepTimeS: 1.32, tokensPerS: 99296.4, mfu: 0.5638, days: 116.4 }]),
  assumptions: ['peak 989 TFLOPS bf16 dense per H100'],
  steps,
  window: { from: 11, to: 70 },
  metrics: { stepTimeS: 1.0, tokensPerS: 90_000, mfu: 0.5 },
  baseline: { label: 'seed 8xH100', stepTimeS: 1.32, tokensPerS: 99296, mfu: 0.5638 },
  telemetry,
  scaling: [{ gpus: 8, tokensPerS: 99296, mfu: 0.5638 }, { gpus: 16, tokensPerS: 198593, mfu: 0.5638 }, { gpus: 32, tokensPerS: 397184, mfu: 0.5595 }],
};
const byId = (input: ReportInput) => new Map(buildCharts(input).map((c) => [c.id, c]));
const seriesData = (option: Record<string, unknown> | null, i = 0) => ((option?.series as { data: unknown[] }[])[i]?.data ?? []);

describe('summaryTable', () => {
  it('has the seeds shape', () => {
    expect(full.summary?.rows.map((r) => [r.label, ...r.values])).toEqual([
      ['Training step time (seconds per step)', '1.32'],
      ['Throughput in tokens per second', '99296'],
      ['Model flops utilization', '56.38%'],
      ['Time to train 1T tokens in days', '116.4'],
    ]);
  });
});

describe('buildCharts', () => {
  it('draws step time with the averaging window shaded, loss, telemetry lanes, baseline and scaling', () => {
    const charts = byId(full);
    expect([...charts.keys()]).toEqual(['step-time', 'loss', 'gpu-util', 'gpu-power', 'gpu-memory', 'sm-clock', 'cpu', 'baseline', 'scaling']);
    const step = charts.get('step-time')!.option!;
    expect(seriesData(step)).toHaveLength(80);
    expect((step.series as { markArea: { data: unknown } }[])[0]?.markArea.data).toEqual([[{ name: 'averaging window 11-70', xAxis: 11 }, { xAxis: 70 }]]);
    expect(seriesData(charts.get('loss')!.option)).toHaveLength(80);
    // 76 of the 80 steps have a dmon sample; the capped ones get a red marker series.
    expect(seriesData(charts.get('gpu-util')!.option)).toHaveLength(80);
    expect(seriesData(charts.get('gpu-power')!.option, 1).length).toBeGreaterThan(10);
    expect((charts.get('cpu')!.option!.series as unknown[]).length).toBe(3);
    // One GPU: no 'lowest GPU' line beside the mean.
    expect((charts.get('gpu-util')!.option!.series as { name: string }[]).map((s) => s.name)).toEqual(['GPU utilisation']);
    const multi = byId({ ...full, telemetry: { ...telemetry, gpuCount: 8 } });
    expect((multi.get('sm-clock')!.option!.series as { name: string }[]).map((s) => s.name)).toEqual(['SM clock (mean of 8 GPUs)', 'lowest GPU']);
    expect(seriesData(charts.get('baseline')!.option)).toEqual([75.8, 90.6, 88.7]);
    expect(seriesData(charts.get('scaling')!.option, 1)).toEqual([[8, 99296], [16, 198592], [32, 397184]]);
  });

  it('explains every empty state instead of drawing nothing', () => {
    const none = byId({ title: 'x', summary: null, assumptions: [], steps: [], window: null });
    expect([...none.values()].map((c) => [c.id, c.option === null])).toEqual([['step-time', true], ['loss', true], ['telemetry', true], ['baseline', true]]);
    expect(none.get('step-time')!.empty).toMatch(/No training steps/);
    expect(none.get('telemetry')!.empty).toMatch(/No telemetry was captured/);
    // Telemetry without steps: plotted over time, with the reason.
    const noSteps = byId({ title: 'x', summary: null, assumptions: [], steps: [], window: null, telemetry: alignTelemetry([], gpu.samples, cpu.samples, cpu.clock) });
    const util = noSteps.get('gpu-util')!;
    expect((util.option!.xAxis as { type: string }).type).toBe('time');
    expect(seriesData(util.option)).toHaveLength(102);
    expect(util.note).toMatch(/No training steps to align to/);
    expect(byId({ ...full, scaling: [{ gpus: 8, tokensPerS: 1, mfu: null }] }).get('scaling')!.empty).toMatch(/two or more/);
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(full, '/*echarts*/ var echarts = {}; "</script>";');
  it('is one self-contained file: no external URLs, library inlined, data as JSON', () => {
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).toContain('/*echarts*/');
    expect(html).toContain('<\\/script>";');
    expect(html).toContain('id="tb-data"');
  });
  it('escapes user text in the page and in the JSON', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('Llama &lt;script&gt;alert(1)&lt;/script&gt; run');
    const json = html.slice(html.indexOf('id="tb-data">') + 13, html.indexOf('</script>', html.indexOf('id="tb-data">')));
    expect(JSON.parse(json).charts).toHaveLength(9);
  });
  it('prints the summary, assumptions and telemetry warnings', () => {
    expect(html).toContain('<td>Model flops utilization</td><td>56.38%</td>');
    expect(html).toContain('<li>peak 989 TFLOPS bf16 dense per H100</li>');
    const warned = renderReportHtml({ ...full, telemetry: { ...telemetry, warnings: ['3 samples & more'] } }, '');
    expect(warned).toContain('<li>3 samples &amp; more</li>');
  });
});
