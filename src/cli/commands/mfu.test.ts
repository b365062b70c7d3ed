import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

const base = ['mfu', '--gbs', '32', '--seq', '4096', '--gpus', '8', '--gpu', 'h100'];

describe('trainbench mfu', () => {
  it('reproduces seed 000 SFT BF16 8 GPUs and prints its assumptions', async () => {
    const r = await runCli([...base, '--step-time', '1.32', '--model-flops', '1.84E+14']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('MFU             56.38%');
    expect(r.stdout).toContain('99,297');
    expect(r.stdout).toContain('116.56');
    expect(r.stdout).toMatch(/peak\s+989 TFLOP\/s per GPU — h100-sxm bf16: NVIDIA H100/);
    expect(r.stdout).toContain('--model-flops');
  });

  it('--json, LoRA FP8 with a model formula and full recompute', async () => {
    const r = await runCli([...base, '--step-time', '0.68', '--dtype', 'fp8', '--lora', '--model', 'llama3-8b', '--recompute', 'full', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.assumptions).toMatchObject({ peak_tflops_per_gpu: 1979, lora_factor: 2 / 3, flops_source: 'llama3-8b at seq 4096, llama formula' });
    const expected = ((32 * doc.assumptions.flops_per_sample) / 0.68 / 8 / 1979e12) * (2 / 3);
    expect(doc.mfu).toBeCloseTo(expected, 12);
    expect(doc.hfu).toBeCloseTo((expected * 4) / 3, 12);
    expect(doc.tokens_per_s).toBeCloseTo((4096 * 32) / 0.68, 6);
  });

  it('invalid numbers, unknown names, missing inputs, no peak: exit 2 with a message', async () => {
    const bad = await runCli([...base, '--step-time', '-1', '--model', 'llama3-8b']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--step-time must be a positive number')]);
    const nan = await runCli([...base, '--step-time', 'NaN', '--model', 'llama3-8b']);
    expect(nan.code).toBe(2);
    const gpu = await runCli(['mfu', '--gbs', '1', '--seq', '1', '--gpus', '1', '--gpu', 'a100-4gb', '--step-time', '1', '--model', 'llama3-8b']);
    expect([gpu.code, gpu.stderr]).toEqual([2, expect.stringMatching(/did you mean .*'a100-40gb'/)]);
    const missing = await runCli(['mfu', '--gbs', '32', '--model', 'llama3-8b']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('--step-time, --seq, --gpus, --gpu')]);
    const both = await runCli([...base, '--step-time', '1', '--model', 'llama3-8b', '--model-flops', '1e14']);
    expect(both.code).toBe(2);
    const fp8 = await runCli(['mfu', '--gbs', '32', '--seq', '4096', '--gpus', '8', '--gpu', 'a100-80gb', '--dtype', 'fp8', '--step-time', '1', '--model', 'llama3-8b']);
    expect([fp8.code, fp8.stderr]).toEqual([2, expect.stringContaining('no FP8 tensor cores')]);
    const cpuFp8 = await runCli(['mfu', '--gbs', '8', '--seq', '256', '--gpus', '2', '--gpu', 'cpu', '--dtype', 'fp8', '--step-time', '1', '--model', 'llama3-8b']);
    expect([cpuFp8.code, cpuFp8.stderr]).toEqual([2, expect.stringContaining('no FP8 matmul on CPU')]);
  });

  describe('--gpu cpu: the peak is measured on this machine', () => {
    const home = mkdtempSync(join(tmpdir(), 'tb-mfu-'));
    afterAll(() => rmSync(home, { recursive: true, force: true }));
    const env = { ...process.env, TRAINBENCH_HOME: home };
    const cpu = ['mfu', '--gbs', '8', '--seq', '256', '--gpus', '2', '--gpu', 'cpu', '--step-time', '2', '--model-flops', '1e9'];
    const threads = Math.max(1, Math.floor(availableParallelism() / 2));

    it('measures a real matmul peak per rank, caches it, and --json says how and where', async () => {
      const r = await runCli([...cpu, '--json'], { env });
      expect([r.code, r.stderr]).toEqual([0, '']);
      const doc = JSON.parse(r.stdout);
      const m = doc.assumptions.peak_measured;
      expect(m).toMatchObject({ dtype: 'bf16', threads_per_rank: threads, cached: false });
      expect(m.cache_file.startsWith(join(home, 'peaks'))).toBe(true);
      expect(existsSync(m.cache_file)).toBe(true);
      expect(m.method).toMatch(new RegExp(`bf16 matmuls on ${threads} thread`));
      const stored = JSON.parse(readFileSync(m.cache_file, 'utf8'));
      expect(doc.assumptions.peak_tflops_per_gpu).toBe(stored.flopsPerRank / 1e12);
      expect(doc.assumptions.peak_source).toContain(m.cache_file);
      expect(doc.mfu).toBeCloseTo((8 * 1e9) / 2 / 2 / stored.flopsPerRank, 12);
    });

    it('a second run reuses the cached measurement and prints it as an assumption', async () => {
      const r = await runCli(cpu, { env });
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toMatch(/peak\s+[\d.e-]+ TFLOP\/s per rank \(measured\) — measured: best of 8 1024x1024 bf16 matmuls .*, cached in .*peaks.*; per rank/);
    });

    it('--peak-tflops still wins, and nothing is measured', async () => {
      const other = mkdtempSync(join(tmpdir(), 'tb-mfu-'));
      try {
        const r = await runCli([...cpu, '--peak-tflops', '0.5', '--json'], { env: { ...process.env, TRAINBENCH_HOME: other } });
        expect(r.code).toBe(0);
        const doc = JSON.parse(r.stdout);
        expect(doc.assumptions).toMatchObject({ peak_tflops_per_gpu: 0.5, peak_source: '--peak-tflops' });
        expect(doc.assumptions.peak_measured).toBeUndefined();
        expect(existsSync(join(other, 'peaks'))).toBe(false);
      } finally {
        rmSync(other, { recursive: true, force: true });
      }
    });
  });
});
