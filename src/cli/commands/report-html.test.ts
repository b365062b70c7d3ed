import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

const fixtures = fileURLToPath(new URL('../../../fixtures/telemetry/', import.meta.url));
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A run directory like the workload leaves: a log with TRAINBENCH_EVENT lines and telemetry/ captures. */
export function makeRunDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tb-report-html-'));
  dirs.push(dir);
  const t0 = Date.parse('2026-11-26T04:53:30Z') / 1000;
  const lines = ['TRAINBENCH_EVENT {"event":"start","world_size":1,"device":"cuda","model":"llama-tiny","task":"pretrain","seq_len":2048,"global_batch":8}'];
  for (let k = 1; k <= 80; k++) {
    lines.push(`step ${k}: noise that is not an event`);
    lines.push(`TRAINBENCH_EVENT {"event":"step","step":${k},"time":${t0 + k},"step_time_s":1.0,"loss":${(10 - k / 20).toFixed(3)},"tokens":16384}`);
  }
  lines.push('TRAINBENCH_EVENT {"event":"step", broken');
  writeFileSync(join(dir, 'train.log'), lines.join('\n') + '\n');
  mkdirSync(join(dir, 'telemetry'));
  copyFileSync(join(fixtures, 'h200-dmon-pucvmet-DT.txt'), join(dir, 'telemetry', 'gpu01-dmon.txt'));
  copyFileSync(join(fixtures, 'h200-host-vmstat-t.txt'), join(dir, 'telemetry', 'gpu01-vmstat.txt'));
  writeFileSync(join(dir, 'telemetry', 'gpu01-pids'), '123 456\n');
  return dir;
}

describe('trainbench report-html', () => {
  it('writes a self-contained report from a run directory with its telemetry joined to steps', async () => {
    const dir = makeRunDir();
    const out = join(dir, 'out', 'report.html');
    const r = await runCli(['report-html', dir, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ out, steps: 80, window: { from: 9, to: 80 }, stepTimeS: 1, tokensPerS: 16384 });
    expect(doc.telemetry).toEqual({ gpuSamples: 102, cpuSamples: 106, stepsJoined: 80, utcOffsetHours: 0, zone: 'UTC' });
    expect(doc.warnings).toEqual(['1 TRAINBENCH_EVENT line(s) did not hold valid JSON and were skipped']);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<td>Throughput in tokens per second</td><td>16384</td>');
    expect(html.length).toBeGreaterThan(1_000_000); // echarts inlined
  });

  it('prints a one-line summary and warnings, and rejects a bad offset or a missing input', async () => {
    const dir = makeRunDir();
    const r = await runCli(['report-html', join(dir, 'train.log'), '--out', join(dir, 'r.html'), '--utc-offset', '-3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*r\.html: 80 steps, telemetry joined to 80 steps\n$/);
    // vmstat says UTC, so its offset is fixed; dmon shifted by 3 h no longer overlaps.
    expect(r.stderr).toContain('warning: gpu01-vmstat.txt: vmstat timestamps are UTC: ignoring --utc-offset -3');
    expect((await runCli(['report-html', dir, '--out', 'x.html', '--utc-offset', 'abc'])).code).toBe(2);
    const missing = await runCli(['report-html', join(dir, 'nope'), '--out', join(dir, 'x.html'), '--store', join(dir, 'store.sqlite')]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/unknown-run/);
  });
});
