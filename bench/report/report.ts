// How long the telemetry join and the HTML report take for a long run (many steps, 8 GPUs sampled each second).
// Run: node node_modules/vite-node/vite-node.mjs bench/report/report.ts [STEPS]   (fixed iteration counts, warm-up dropped)
import { loadavg } from 'node:os';
import { renderReportHtml, type ReportInput } from '../../src/core/report/index.ts';
import { alignTelemetry, type CpuSample, type GpuSample } from '../../src/core/telemetry/index.ts';
import { loadEchartsSource } from '../../src/adapters/ui/write-report.ts';

const nSteps = Number(process.argv[2] ?? 100_000);
const stepS = 0.5;
const seconds = Math.ceil(nSteps * stepS);
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${nSteps} steps, ${seconds} s of 8-GPU samples`);

const steps = Array.from({ length: nSteps }, (_, i) => ({ step: i + 1, end: 1e9 + (i + 1) * stepS, stepTimeS: stepS }));
const gpu: GpuSample[] = Array.from({ length: seconds * 8 }, (_, i) => ({
  t: 1e9 + Math.floor(i / 8), gpu: i % 8, util: 90, memUtil: 50, powerW: 600 + (i % 97), memUsedMiB: 70_000, smClockMHz: 1800, tempC: 60, pviolPct: i % 5, powerLimitW: null,
}));
const cpu: CpuSample[] = Array.from({ length: seconds }, (_, i) => ({ t: 1e9 + i, us: 20, sy: 3, id: 77, wa: 0, st: 0, r: 2, freeKiB: 1e6 }));

function time<T>(label: string, iterations: number, fn: () => T): T {
  let out = fn(); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) out = fn();
  console.log(`${label.padEnd(36)} ${(Number(process.hrtime.bigint() - t0) / 1e6 / iterations).toFixed(1)} ms/op  (${iterations} ops)`);
  return out;
}

const aligned = time('alignTelemetry', 5, () => alignTelemetry(steps, gpu, cpu, { utcOffsetHours: 0, zone: null }));
const input: ReportInput = {
  title: 'bench', summary: null, assumptions: [], window: { from: 10, to: nSteps }, telemetry: aligned,
  steps: steps.map((s) => ({ step: s.step, stepTimeS: s.stepTimeS, loss: 3, time: s.end })),
};
const echarts = loadEchartsSource();
const html = time('renderReportHtml', 5, () => renderReportHtml(input, echarts));
console.log(`report size ${(html.length / 1e6).toFixed(1)} MB`);
