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
  // The reference workload's two contracts: a NeMo-2-style step line and a TRAINBENCH_EVENT line per step.
  const lines = ['TRAINBENCH_EVENT {"event":"start","rank":0,"world_size":1,"device":"cuda","model":"llama-tiny","task":"pretrain","seq_len":2048,"global_batch":8,"micro_batch":8,"steps":80}'];
  for (let k = 1; k <= 80; k++) {
    const loss = (10 - k / 20).toFixed(4);
    lines.push(`Training epoch 0, iteration ${k}/80 | lr: 0.006 | global_batch_size: 8 | global_step: ${k} | peak_memory_usage: 1000 | memory_allocated: 900 | reduced_train_loss: ${loss} | train_step_timing in s: 1.0000 | consumed_samples: ${(k + 1) * 8}`);
    lines.push(`TRAINBENCH_EVENT {"event":"step","step":${k},"time":${t0 + k},"step_time_s":1.0,"loss":${loss},"tokens":16384}`);
  }
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
    expect(doc).toMatchObject({ out, steps: 80, window: { from: 61, to: 80 }, stepTimeS: 1, tokensPerS: 16384, mfu: null });
    expect(doc.telemetry).toEqual({ gpuSamples: 102, cpuSamples: 106, stepsJoined: 80, utcOffsetHours: 0, zone: 'UTC' });
    expect(doc.warnings).toEqual([]);
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

  it('reads an engine log through the ingest parsers; without per-step times telemetry is drawn over time', async () => {
    const dir = makeRunDir();
    const log = fileURLToPath(new URL('../../../fixtures/logs/hf/transformers-5.17-trainer-h200.log', import.meta.url));
    const r = await runCli(['report-html', log, '--telemetry', join(dir, 'telemetry'), '--out', join(dir, 'hf.html'), '--power-limit', '700', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ steps: 60, window: { from: 41, to: 60 }, telemetry: { gpuSamples: 102, cpuSamples: 106, stepsJoined: 0 } });
    expect(doc.warnings).toEqual(['the hf log has no wall-clock time per step, so telemetry is shown over time, not per step']);
    expect(readFileSync(join(dir, 'hf.html'), 'utf8')).toContain('power cap 700 W');
  });

  it('uses the Result a `trainbench run` directory stored, unless another window is asked for', async () => {
    const dir = makeRunDir();
    const result = { window: { spec: { kind: 'range', from: 5, to: 50 }, description: 'steps 5-50', records: 46, available: 80, firstStep: 5, lastStep: 50 },
      stepTime: { n: 46, stepsCovered: 46, meanS: 1, medianS: 1, minS: 1, maxS: 1, p95S: 1 }, tokensPerS: 16384, mfu: 0.4, daysToTrain: 706, totalTokens: 1e12,
      facts: { numGpus: 1, gpu: 'H200' }, assumptions: ['peak 989 TFLOPS (catalog)'], missing: [] };
    writeFileSync(join(dir, 'result.json'), JSON.stringify({ runId: 'x', result }));
    const kept = JSON.parse((await runCli(['report-html', dir, '--out', join(dir, 'a.html'), '--json'])).stdout);
    expect(kept).toMatchObject({ window: { from: 5, to: 50 }, mfu: 0.4 });
    expect(readFileSync(join(dir, 'a.html'), 'utf8')).toContain('<li>peak 989 TFLOPS (catalog)</li>');
    const asked = JSON.parse((await runCli(['report-html', dir, '--out', join(dir, 'b.html'), '--window', 'last:10', '--json'])).stdout);
    expect(asked).toMatchObject({ window: { from: 71, to: 80 }, mfu: null });
  });
});
