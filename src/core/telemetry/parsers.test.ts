import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectTelemetry, parseDmon, parseQueryGpuCsv, parseVmstat } from './index.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/telemetry/${name}`, import.meta.url), 'utf8');
const range = (xs: (number | null)[]) => [Math.min(...(xs as number[])), Math.max(...(xs as number[]))];
const utc = (s: string) => Date.parse(s + 'Z') / 1000;

describe('parseDmon', () => {
  it('reads the default-group capture without timestamps (trailing spaces, mtemp -)', () => {
    const { samples, warnings } = parseDmon(fixture('dmon-1gpu-loaded.txt'), { utcOffsetHours: 0 });
    expect(warnings).toEqual([]);
    expect(samples).toHaveLength(6);
    expect(samples.every((s) => s.gpu === 0 && s.t === null && s.memUsedMiB === null && s.pviolPct === null)).toBe(true);
    expect(range(samples.map((s) => s.powerW))).toEqual([164, 169]);
    expect(range(samples.map((s) => s.tempC))).toEqual([86, 87]);
    expect(range(samples.map((s) => s.util))).toEqual([99, 100]);
    expect(range(samples.map((s) => s.memUtil))).toEqual([85, 87]);
    expect(range(samples.map((s) => s.smClockMHz))).toEqual([1770, 1792]);
  });

  it('reads one row per GPU of a -s pucm capture with fb/bar1/ccpm', () => {
    const { samples } = parseDmon(fixture('dmon-4gpu-pucm-sglang.txt'), { utcOffsetHours: 0 });
    expect(samples.map((s) => s.gpu)).toEqual([0, 1, 2, 3]);
    expect(range(samples.map((s) => s.powerW))).toEqual([292, 299]);
    expect(range(samples.map((s) => s.util))).toEqual([98, 100]);
    expect(range(samples.map((s) => s.memUsedMiB))).toEqual([48209, 90538]);
  });

  it('reads the H200 -s pucvmet -o DT capture with repeated headers and local time', () => {
    const { samples, warnings } = parseDmon(fixture('h200-dmon-pucvmet-DT.txt'), { utcOffsetHours: 0 });
    expect(warnings).toEqual([]);
    expect(samples).toHaveLength(102);
    expect(samples[0]?.t).toBe(utc('2026-11-26T04:53:08'));
    expect(samples.at(-1)?.t).toBe(utc('2026-11-26T04:54:54'));
    expect(range(samples.map((s) => s.powerW))).toEqual([80, 696]);
    expect(range(samples.map((s) => s.util))).toEqual([0, 100]);
    expect(Math.max(...samples.map((s) => s.memUsedMiB ?? 0))).toBe(117229);
    const capped = samples.filter((s) => (s.pviolPct ?? 0) === 100);
    // Power-capped at 700 W: pclk held below its 1980 MHz boost.
    expect(capped).toHaveLength(23);
    expect(range(capped.map((s) => s.smClockMHz))).toEqual([1515, 1965]);
    expect(Math.max(...samples.map((s) => s.smClockMHz ?? 0))).toBe(1980);
    // Local time two hours ahead of UTC shifts every stamp back by 7200 s.
    expect(parseDmon(fixture('h200-dmon-pucvmet-DT.txt'), { utcOffsetHours: 2 }).samples[0]?.t).toBe(utc('2026-11-26T02:53:08'));
  });

  it('maps columns by the latest header when a repeated header changes them, and -o T with a date', () => {
    const text = ['#Time        gpu    pwr     sm', '#HH:MM:SS    Idx      W      %', ' 23:59:59      0    100     50 ',
      '#Time        gpu     sm    pwr  pviol', '#HH:MM:SS    Idx      %      W      %', ' 00:00:01      0     70    300      5 '].join('\n');
    const { samples } = parseDmon(text, { utcOffsetHours: 0, date: '20261126' });
    expect(samples.map((s) => [s.util, s.powerW, s.pviolPct])).toEqual([[50, 100, null], [70, 300, 5]]);
    expect(samples.map((s) => s.t)).toEqual([utc('2026-11-26T23:59:59'), utc('2026-11-27T00:00:01')]);
    expect(parseDmon(text, { utcOffsetHours: 0 }).warnings[0]).toMatch(/no date given/);
  });

  it('reads an old driver layout (temp, no jpg/ofa) and N/A values', () => {
    const text = '# gpu   pwr  temp    sm   mem   enc   dec  mclk  pclk\n# Idx     W     C     %     %     %     %   MHz   MHz\n    0   250    71    97    40     0     0  5001  1380\n    1     -     -     -     -     -     -     -     -\n';
    const { samples } = parseDmon(text, { utcOffsetHours: 0 });
    expect(samples.map((s) => [s.gpu, s.powerW, s.tempC, s.util, s.smClockMHz])).toEqual([[0, 250, 71, 97, 1380], [1, null, null, null, null]]);
  });

  it('turns a corrupt file into warnings and partial data, never a throw', () => {
    const good = fixture('h200-dmon-pucvmet-DT.txt').split('\n');
    const corrupt = [...good.slice(0, 10), ' 2026112\u0000 garbage', 'x'.repeat(5000), good[10]!.slice(0, 30), ...good.slice(11, 20)].join('\n');
    const { samples, warnings } = parseDmon(corrupt, { utcOffsetHours: 0 });
    expect(samples).toHaveLength(17);
    expect(warnings).toHaveLength(3);
    expect(parseDmon('', { utcOffsetHours: 0 }).warnings).toEqual(['no dmon samples found']);
    expect(parseDmon('\u0000\u00ff binary', { utcOffsetHours: 0 }).samples).toEqual([]);
  });
});

describe('parseVmstat', () => {
  it('drops the since-boot row and survives the widened id=100 column', () => {
    const { samples, warnings, clock } = parseVmstat(fixture('vmstat-1s-dkluffy-33.txt'), { utcOffsetHours: 0 });
    expect(warnings).toEqual([]);
    expect(clock.zone).toBeNull();
    expect(samples).toHaveLength(3);
    expect(samples.map((s) => [s.r, s.freeKiB, s.us, s.sy, s.id, s.wa, s.st])).toEqual(Array(3).fill([0, 2448940, 0, 0, 100, 0, 0]));
    expect(parseVmstat(fixture('vmstat-1s-dkluffy-33.txt'), { utcOffsetHours: 0, noFirstRow: true }).samples[0]?.id).toBe(99);
  });

  it('reads vmstat -t with the gu column, repeated headers and a UTC zone that overrides the offset', () => {
    const { samples, warnings, clock } = parseVmstat(fixture('h200-host-vmstat-t.txt'), { utcOffsetHours: 3 });
    expect(clock).toEqual({ utcOffsetHours: 0, zone: 'UTC' });
    expect(warnings).toEqual(['vmstat timestamps are UTC: ignoring --utc-offset 3']);
    expect(samples).toHaveLength(106);
    expect(samples[0]).toEqual({ t: utc('2026-11-26T04:53:09'), us: 18, sy: 1, id: 81, wa: 0, st: 0, r: 1, freeKiB: 129235980 });
    expect(samples.at(-1)?.t).toBe(utc('2026-11-26T04:54:54'));
  });

  it('uses the offset for a local zone name and warns on junk rows', () => {
    const text = 'procs ---cpu--- -timestamp-\n r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st                 CET\n' +
      ' 1  0 0 1 1 1 0 0 0 0 1 1 5 5 90 0 0 2026-11-26 06:00:00\n 1  0 0 1 1 1 0 0 0 0 1 1 7 3 90 0 0 2026-11-26 06:00:01\n 1 0 oops\n';
    const { samples, warnings } = parseVmstat(text, { utcOffsetHours: 1 });
    expect(samples).toEqual([{ t: utc('2026-11-26T05:00:01'), us: 7, sy: 3, id: 90, wa: 0, st: 0, r: 1, freeKiB: 1 }]);
    expect(warnings).toEqual(['line 5: not a vmstat row (3 fields), skipped']);
  });
});

describe('parseVmstat -w', () => {
  it('reads the wide layout (procps 4.0.2 with -w -t: gu column, --procs-- banner)', () => {
    const text = [
      '--procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- ----------cpu---------- -----timestamp-----',
      '   r    b         swpd         free         buff        cache   si   so    bi    bo   in   cs  us  sy  id  wa  st  gu                 UTC',
      '   2    0            0     18528360        56160      4011524    0    0   561  1887  391 1282  46   7  46   0   0   0 2026-11-26 06:25:16',
      '   1    0            0     18528000        56160      4011524    0    0     0     4  971 1861  79  21   0   0   0   0 2026-11-26 06:25:17',
    ].join('\n');
    const { samples, warnings } = parseVmstat(text, { utcOffsetHours: 0 });
    expect(warnings).toEqual([]);
    expect(samples).toEqual([{ t: utc('2026-11-26T06:25:17'), us: 79, sy: 21, id: 0, wa: 0, st: 0, r: 1, freeKiB: 18528000 }]);
  });
});

describe('parseQueryGpuCsv', () => {
  it('reads values with units and no timestamp (2x RTX 3090)', () => {
    const { samples, warnings } = parseQueryGpuCsv(fixture('query-gpu-csv-2x3090.csv'), { utcOffsetHours: 0 });
    expect(warnings).toEqual([]);
    expect(samples.map((s) => [s.gpu, s.util, s.memUtil, s.memUsedMiB, s.tempC, s.t])).toEqual([[0, 1, 13, 963, 42, null], [1, 0, 0, 1, 37, null]]);
  });

  it('reads the H200 trace with millisecond timestamps', () => {
    const { samples } = parseQueryGpuCsv(fixture('h200-query-gpu.csv'), { utcOffsetHours: 0 });
    expect(samples).toHaveLength(107);
    expect(samples[0]).toMatchObject({ t: utc('2026-11-26T04:53:08.173'), powerW: 80.18, smClockMHz: 345, memUsedMiB: 0 });
    expect(Math.max(...samples.map((s) => s.memUsedMiB ?? 0))).toBe(117229);
  });

  it('reads nounits output and power.limit', () => {
    const text = 'index, power.draw [W], power.limit [W], utilization.gpu [%]\n0, 650.5, 700.00, 97\n1, [N/A], 700.00, 12\n';
    const { samples } = parseQueryGpuCsv(text, { utcOffsetHours: 0 });
    expect(samples.map((s) => [s.gpu, s.powerW, s.powerLimitW, s.util])).toEqual([[0, 650.5, 700, 97], [1, null, 700, 12]]);
  });
});

describe('detectTelemetry', () => {
  it('recognises every fixture by content', () => {
    expect(['dmon-1gpu-loaded.txt', 'dmon-4gpu-pucm-sglang.txt', 'h200-dmon-pucvmet-DT.txt'].map((f) => detectTelemetry(fixture(f)))).toEqual(['dmon', 'dmon', 'dmon']);
    expect(['vmstat-1s-dkluffy-33.txt', 'h200-host-vmstat-t.txt'].map((f) => detectTelemetry(fixture(f)))).toEqual(['vmstat', 'vmstat']);
    expect(['query-gpu-csv-2x3090.csv', 'h200-query-gpu.csv'].map((f) => detectTelemetry(fixture(f)))).toEqual(['query-gpu', 'query-gpu']);
    expect(detectTelemetry('hello')).toBeNull();
  });
});
