// `trainbench parse` and `trainbench compare` end to end, in-process, on real fixtures and temp files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

const fx = (p: string) => join(import.meta.dirname, '../../../fixtures/logs', p);
const tmp = mkdtempSync(join(tmpdir(), 'tb-parse-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const seed001 = 'Epoch 0: : 100%|██████████| 50/50 [31:51<00:00, reduced_train_loss=6.130, global_step=50.0, consumed_samples=76800.0, train_step_timing in s=5.900, val_loss=6.250]\n';

describe('trainbench parse', () => {
  it('prints format, file, line counts, steps, the table and its assumptions', async () => {
    const r = await runCli(['parse', fx('megatron/fixstars-mdk-gpt3-7b-1node.log'), '--window', 'skip:2', '--seq', '2048']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('format:  megatron (detected, confidence 0.95)');
    expect(r.stdout).toContain('lines:   17 total, 11 parsed, 6 unparsed');
    expect(r.stdout).toContain('steps:   10 (step 10 .. 100), 16 skipped iterations');
    expect(r.stdout).toContain('| Throughput in tokens per second |');
    expect(r.stdout).toContain('window: all logged steps after the first 2 (8 of 10 timed records)');
    expect(r.stdout).toContain('GBS 1024 [stated in the log]');
    expect(r.stdout).toContain('MFU needs GPU count (--gpus), GPU peak FLOPS (--gpu), model FLOPs (--model)');
  });
  it('MFU from the catalog (GPU peak and model FLOPs) with their sources as assumptions', async () => {
    const log = join(tmp, 'seed001.out');
    writeFileSync(log, seed001);
    const r = await runCli(['parse', log, '--window', 'last:1', '--seq', '2048', '--gbs', '256', '--gpus', '128', '--gpu', 'h100', '--dtype', 'fp8', '--model', 'gpt3-175b', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.format).toBe('nemo1');
    expect(doc.result.stepTime.meanS).toBe(5.9);
    expect(Math.round(doc.result.tokensPerS)).toBe(88862);
    expect(doc.result.mfu).toBeGreaterThan(0.37);
    expect(doc.result.mfu).toBeLessThan(0.38);
    expect(doc.result.assumptions.join('\n')).toMatch(/peak 1979 TFLOP\/s per GPU .*fp8/);
    expect(doc.result.assumptions.join('\n')).toMatch(/dense-gpt formula at seq 2048/);
  });
  it('--gpu cpu: MFU against this machine\'s measured matmul peak per rank, with how it was measured', async () => {
    const env = { ...process.env, TRAINBENCH_HOME: join(tmp, 'home') };
    const r = await runCli(['parse', fx('megatron/fixstars-mdk-gpt3-7b-1node.log'), '--seq', '2048', '--gpus', '2', '--gpu', 'cpu', '--model', 'llama3.2-1b', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.result.mfu).toBeGreaterThan(0);
    expect(doc.result.assumptions.join('\n')).toMatch(/measured: best of 8 1024x1024 bf16 matmuls .*\/home\/peaks\/.*-cpu-bf16-\d+t\.json; per rank/);
  });
  it('says why MFU is missing when the GPU has no peak for the dtype', async () => {
    const r = await runCli(['parse', fx('nemo2/bionemo-esm2-pr740.log'), '--gpu', 'a100-80gb', '--dtype', 'fp8', '--gpus', '1', '--seq', '1024', '--model', 'llama3-8b']);
    expect(r.stdout).toMatch(/MFU needs GPU peak FLOPS \(a100-80gb has no fp8 peak in data\/gpus\/a100-80gb\.yaml/);
  });
  it('prints the diagnosis of a failed run', async () => {
    const r = await runCli(['parse', fx('failures/nccl-watchdog-nemo-bar-pytorch-118369.log')]);
    expect(r.code).toBe(5);
    expect(r.stdout).toContain('diagnosis: nccl_timeout');
    expect(r.stdout).toMatch(/line 1: .*Watchdog caught collective operation timeout/);
  });
  it('--running: a log untouched for 30 min is a hang', async () => {
    const { utimesSync } = await import('node:fs');
    const log = join(tmp, 'stuck.out');
    writeFileSync(log, 'Training epoch 0, iteration 9/99 | global_step: 9 | reduced_train_loss: 7.1 | train_step_timing in s: 0.41 | consumed_samples: 80\n');
    const old = new Date(Date.now() - 1800_000);
    utimesSync(log, old, old);
    const r = await runCli(['parse', log, '--running']);
    expect(r.stdout).toMatch(/diagnosis: hang: no progress for 30 min after step 9/);
    expect((await runCli(['parse', log])).stdout).not.toContain('diagnosis');
  });
  it('exit 4 when nothing is found; exit 2 for a bad window or an unknown format', async () => {
    const empty = join(tmp, 'empty.log');
    writeFileSync(empty, 'hello\n');
    expect((await runCli(['parse', empty])).code).toBe(4);
    const bad = await runCli(['parse', empty, '--window', 'first:3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('last:N | skip:N');
    const fmt = await runCli(['parse', empty, '--format', 'megatrom']);
    expect(fmt.stderr).toContain("did you mean 'megatron'");
  });
});

describe('trainbench compare', () => {
  it('same log on both sides passes; a faster baseline makes a regression (exit 6)', async () => {
    const log = fx('megatron/fixstars-mdk-gpt3-7b-1node.log');
    const same = await runCli(['compare', log, log, '--window', 'all']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('verdict: pass');
    const fast = join(tmp, 'baseline.json');
    writeFileSync(fast, JSON.stringify({ stepTimeS: 10 }));
    const slow = await runCli(['compare', fast, log, '--window', 'all', '--tolerance', '5%', '--json']);
    expect(slow.code).toBe(6);
    const doc = JSON.parse(slow.stdout);
    expect(doc.verdict).toBe('regression');
    expect(doc.metrics[0]).toMatchObject({ metric: 'stepTimeS', baseline: 10, verdict: 'regression' });
  });
  it('compares with a published row of data/published (seed 000 SFT BF16 on 8x H100: 1.32 s)', async () => {
    const { readFileSync } = await import('node:fs');
    const row = readFileSync(join(import.meta.dirname, '../../../data/published/seed_runs.jsonl'), 'utf8').split('\n')[0]!;
    const published = join(tmp, 'published.json');
    writeFileSync(published, row);
    const log = join(tmp, 'seed000.out');
    writeFileSync(log, 'Training epoch 0, iteration 99/99 | global_step: 99 | reduced_train_loss: 0.208 | train_step_timing in s: 1.45 | consumed_samples: 3200\n');
    const r = await runCli(['compare', published, log, '--seq', '4096', '--gbs', '32', '--json']);
    expect(r.code).toBe(6);
    const doc = JSON.parse(r.stdout);
    expect(doc.metrics.map((m: { metric: string; verdict: string }) => [m.metric, m.verdict])).toEqual([['stepTimeS', 'regression'], ['tokensPerS', 'regression'], ['daysToTrain', 'regression']]);
    expect(doc.metrics[1].baseline).toBeCloseTo((4096 * 32) / 1.32, 6);
  });
  it('reads a parse --json result as a side', async () => {
    const log = fx('nemo2/bionemo-esm2-pr740.log');
    const parsed = await runCli(['parse', log, '--json', '--window', 'all']);
    const saved = join(tmp, 'result.json');
    writeFileSync(saved, parsed.stdout);
    const r = await runCli(['compare', saved, log, '--window', 'all']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| stepTimeS \| .* \| 1\.000 \| 0\.0% \| pass \|/);
  });
});
