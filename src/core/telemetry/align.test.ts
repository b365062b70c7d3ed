import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alignTelemetry, parseDmon, parseVmstat, type StepTiming } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/telemetry/${name}`, import.meta.url), 'utf8');
const utc = (s: string) => Date.parse(s + 'Z') / 1000;

// A synthetic 1-s step list covering 04:53:30..04:54:50, the minute the H200 fixtures were captured in.
const t0 = utc('2026-11-26T04:53:30');
const steps: StepTiming[] = Array.from({ length: 80 }, (_, i) => ({ step: i + 1, end: t0 + i + 1, stepTimeS: 1 }));
const byEnd = (aligned: ReturnType<typeof alignTelemetry>, hms: string) =>
  aligned.perStep[steps.findIndex((s) => s.end === utc(`2026-11-26T${hms}`))];

describe('alignTelemetry on the H200 captures', () => {
  const gpu = parseDmon(fixture('h200-dmon-pucvmet-DT.txt'), { utcOffsetHours: 0 });
  const cpu = parseVmstat(fixture('h200-host-vmstat-t.txt'), { utcOffsetHours: 0 });
  const aligned = alignTelemetry(steps, gpu.samples, cpu.samples, cpu.clock);

  it('gives a training step the power-capped sample that covers it', () => {
    expect(byEnd(aligned, '04:53:48')).toEqual({
      step: 18, gpuUtil: 99, powerW: 688, memUsedMiB: 75529, smClockMHz: 1725, gpuUtilMin: 99, smClockMin: 1725, powerCapped: true,
      cpuUs: 5, cpuSy: 2, cpuWa: 0, cpuId: 94, gpuSamples: 1, cpuSamples: 1,
    });
  });

  it('gives an idle step idle values and no cap', () => {
    expect(byEnd(aligned, '04:53:40')).toMatchObject({ gpuUtil: 0, powerW: 80, powerCapped: false, cpuUs: 6, cpuSy: 1 });
  });

  it('leaves a step null where dmon skipped a second (04:53:43 is missing)', () => {
    expect(byEnd(aligned, '04:53:43')).toMatchObject({ gpuUtil: null, powerW: null, powerCapped: null, gpuSamples: 0, cpuSamples: 1 });
  });

  it('averages every overlapping sample for a long step', () => {
    const long = alignTelemetry([{ step: 1, end: utc('2026-11-26T04:54:10'), stepTimeS: 2 }], gpu.samples, cpu.samples, cpu.clock);
    // Samples at 04:54:09 (238 W, pviol 47) and 04:54:10 (129 W).
    expect(long.perStep[0]).toMatchObject({ powerW: (238 + 129) / 2, powerCapped: true, gpuSamples: 2, cpuSamples: 2, cpuUs: 6 });
  });

  it('records the clock, the series and the GPU count', () => {
    expect(aligned.clock).toEqual({ utcOffsetHours: 0, zone: 'UTC' });
    expect(aligned.gpuSeries).toHaveLength(102);
    expect(aligned.cpuSeries).toHaveLength(106);
    expect(aligned.gpuCount).toBe(1);
    expect(aligned.warnings).toEqual([]);
    // dmon skipped 04:53:43, 04:54:04, 04:54:25 and 04:54:45 of the 80 seconds.
    expect(aligned.perStep.filter((s) => s.gpuSamples > 0)).toHaveLength(76);
  });

  it('warns when a wrong UTC offset leaves every step without samples', () => {
    const shifted = parseDmon(fixture('h200-dmon-pucvmet-DT.txt'), { utcOffsetHours: 5 });
    const out = alignTelemetry(steps, shifted.samples, [], { utcOffsetHours: 5, zone: null });
    expect(out.warnings).toEqual(['no telemetry sample falls inside any step: check --utc-offset (captures print local time)']);
  });

  it('averages GPUs of one timestamp and counts untimed samples', () => {
    const untimed = parseDmon(fixture('dmon-4gpu-pucm-sglang.txt'), { utcOffsetHours: 0 }).samples;
    const out = alignTelemetry(steps, untimed, [], { utcOffsetHours: 0, zone: null });
    expect(out.gpuCount).toBe(4);
    expect(out.warnings).toEqual(['4 samples have no timestamp and cannot be joined to steps']);
  });

  it('keeps the lowest GPU beside the mean, across nodes whose GPU indexes repeat', () => {
    const dmon = (rows: string[]) => ['#Date       Time        gpu    pwr     sm   pclk', '#YYYYMMDD   HH:MM:SS    Idx      W      %    MHz', ...rows].join('\n');
    const nodeA = parseDmon(dmon([' 20261126    04:53:31      0    700    100   1600', ' 20261126    04:53:31      1    700     98   1620']), { utcOffsetHours: 0 });
    const nodeB = parseDmon(dmon([' 20261126    04:53:31      0    300     40   1980', ' 20261126    04:53:31      1    690     99   1610']), { utcOffsetHours: 0 });
    const out = alignTelemetry([{ step: 1, end: t0 + 1, stepTimeS: 1 }], [...nodeA.samples, ...nodeB.samples], [], { utcOffsetHours: 0, zone: null });
    expect(out.gpuCount).toBe(4);
    expect(out.perStep[0]).toMatchObject({ gpuUtil: (100 + 98 + 40 + 99) / 4, gpuUtilMin: 40, smClockMin: 1600, powerW: (700 + 700 + 300 + 690) / 4 });
  });
});
