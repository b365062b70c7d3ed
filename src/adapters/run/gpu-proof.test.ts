// trainbench's GPU proof, kept as fixtures: run folders that `trainbench run` wrote on one H200
// (fixtures/gpu/h200-2026-11-26, bench/gpu/RESULTS.md). Re-measuring the committed logs here, on a machine without a
// GPU, must give the figures trainbench printed there; the host clock must agree with the CUDA events; the telemetry
// must show per step what the GPU did; and RESULTS.md must print these figures, not others.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRecipe } from '../../core/catalog/index.ts';
import type { Result } from '../../core/measure/index.ts';
import { runCli } from '../../cli/__tests__/run-cli.ts';
import { loadCatalog } from '../catalog/index.ts';
import { packageRoot } from '../paths.ts';
import { reportInputFromLog } from '../ui/write-report.ts';
import { measureWorkloadRun, type Measured } from './measure-run.ts';

const root = join(packageRoot(), 'fixtures', 'gpu', 'h200-2026-11-26');
const home = mkdtempSync(join(tmpdir(), 'tb-gpu-proof-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const runs = [
  { dir: 'call2/8b', recipe: 'workload-llama3-8b-h200', tokensPerS: 11727, mfuPct: 61.03 },
  { dir: 'call2/8b-gbs1', recipe: 'workload-llama3-8b-h200-gbs1', tokensPerS: 10725, mfuPct: 55.81 },
  { dir: 'call2/1b', recipe: 'workload-llama3.2-1b-h200', tokensPerS: 60286, mfuPct: 55.01 },
  { dir: 'call3/1b', recipe: 'workload-llama3.2-1b-h200', tokensPerS: 59321, mfuPct: 54.13 },
  { dir: 'call1-eager/8b', recipe: 'workload-llama3-8b-h200', tokensPerS: 10617, mfuPct: 55.26 },
  { dir: 'call1-eager/8b-gbs1', recipe: 'workload-llama3-8b-h200-gbs1', tokensPerS: 9794, mfuPct: 50.97 },
  { dir: 'call1-eager/1b', recipe: 'workload-llama3.2-1b-h200', tokensPerS: 52869, mfuPct: 48.25 },
];

/** The largest peak_memory_usage (torch.cuda.max_memory_allocated) of a run's step lines. */
const peakMemory = (dir: string): number =>
  Math.max(...[...readFileSync(join(root, dir, 'log-rank0.out'), 'utf8').matchAll(/peak_memory_usage: (\d+)/g)].map((m) => Number(m[1])));

const storedResult = (dir: string): Result => (JSON.parse(readFileSync(join(root, dir, 'result.json'), 'utf8')) as { result: Result }).result;

/** The JSON summary line bench/gpu/hf_baseline.py prints last. */
function hfBaseline(file: string): { tokens_per_s: number; mfu: number; median_step_s: number; median_cuda_event_s: number } {
  const line = readFileSync(join(root, file), 'utf8').split('\n').find((l) => l.startsWith('HF_BASELINE '));
  if (!line) throw new Error(`no HF_BASELINE line in ${file}`);
  return JSON.parse(line.slice('HF_BASELINE '.length));
}

describe('GPU proof fixtures (one H200, 2026-11-26)', () => {
  const catalog = loadCatalog();
  // Each run folder is measured once, as trainbench run measured it, and shared by the checks below.
  const measuredRuns = new Map<string, Promise<Measured>>();
  const measure = (dir: string, recipe: string): Promise<Measured> => {
    if (!measuredRuns.has(dir)) measuredRuns.set(dir, measureWorkloadRun(resolveRecipe(catalog, recipe), join(root, dir, 'log-rank0.out'), home, 0));
    return measuredRuns.get(dir)!;
  };

  it.each(runs)('$dir: re-measured here, the log gives what trainbench printed on the GPU machine', async (run) => {
    const measured = await measure(run.dir, run.recipe);
    const stored = storedResult(run.dir);
    expect(measured.result.window).toEqual(stored.window);
    expect(measured.result.tokensPerS).toBeCloseTo(stored.tokensPerS!, 6);
    expect(measured.result.mfu).toBeCloseTo(stored.mfu!, 12);
    expect(Math.round(measured.result.tokensPerS!)).toBe(run.tokensPerS);
    expect((measured.result.mfu! * 100).toFixed(2)).toBe(run.mfuPct.toFixed(2));
    // The model FLOPs trainbench counts from the catalog shape vs the workload's count from its real tensors.
    expect(Math.abs(measured.flops!.relativeDifference)).toBeLessThan(1e-4);
  });

  it.each(runs)('$dir: tokens/s and MFU by the host clock agree with CUDA events within 1%', async (run) => {
    const measured = await measure(run.dir, run.recipe);
    const d = measured.deviceTiming!;
    expect(d.steps).toBe(measured.result.window.records);
    expect(Math.abs(d.relativeDifference)).toBeLessThan(0.01);
    const r = resolveRecipe(catalog, run.recipe);
    const byEvents = (r.gbs * r.seq_len) / d.deviceMeanS;
    expect(Math.abs(measured.result.tokensPerS! / byEvents - 1)).toBeLessThan(0.01);
  });

  it('the attention kernel was chosen by timing the backends at the run shape, and the event says so', () => {
    const log = readFileSync(join(root, 'call2/8b/log-rank0.out'), 'utf8');
    const event = JSON.parse(log.split('\n').find((l) => l.includes('"event":"attention"'))!.slice('TRAINBENCH_EVENT '.length));
    expect(event).toMatchObject({ requested: 'tune', backend: 'cudnn', shape: [1, 32, 4096, 128] });
    expect(event.ms.cudnn).toBeLessThan(event.ms.flash);
  });

  it('trainbench run says which attention kernel the workload chose and why', async () => {
    const measured = await measure('call2/8b', 'workload-llama3-8b-h200');
    expect(measured.attention).toBe('attention: cudnn, the fastest forward+backward per layer at [1, 32, 4096, 128] (flash 2.08 ms, cudnn 1.17 ms, efficient 4.13 ms)');
  });

  it('the committed figures beat the plain Hugging Face loop measured in the same device call', () => {
    const hf8b = hfBaseline('call2/hf-8b.log');
    const hf1b = hfBaseline('call3/hf-1b.log');
    expect(Math.round(hf8b.tokens_per_s)).toBe(9345);
    expect(Math.round(hf1b.tokens_per_s)).toBe(47951);
    // The baseline's own two clocks agree too.
    expect(Math.abs(hf8b.median_step_s / hf8b.median_cuda_event_s - 1)).toBeLessThan(0.01);
    expect(storedResult('call2/8b-gbs1').tokensPerS! / hf8b.tokens_per_s).toBeGreaterThan(1);
    expect(storedResult('call3/1b').tokensPerS! / hf1b.tokens_per_s).toBeGreaterThan(1);
  });

  it('the 8B telemetry shows GPU utilisation, power and memory per step, and that the 700 W cap was hit', async () => {
    const { input } = await reportInputFromLog(join(root, 'call2/8b'));
    // Steps 5..28: the last step's 1-s sample also covers the process ending (66% SM, 536 W).
    const perStep = input.telemetry!.perStep.filter((s) => s.step >= 5 && s.step < 29);
    expect(perStep).toHaveLength(24);
    for (const s of perStep) {
      expect(s.gpuSamples).toBeGreaterThan(0);
      expect(s.gpuUtil).toBeGreaterThanOrEqual(98);
      expect(s.powerW).toBeGreaterThan(680);
      expect(s.memUsedMiB).toBeGreaterThan(80_000);
      expect(s.smClockMHz).toBeLessThan(1980); // below the 1980 MHz boost clock: the power cap, not the kernels, sets the pace
      expect(s.powerCapped).toBe(true);
    }
  });

  it('`trainbench parse RUN_DIR` prints the table and the CUDA-event check for the GPU run', async () => {
    const r = await runCli(['parse', join(root, 'call2/8b'), '--window', 'skip:5', '--gpu', 'h200', '--model', 'llama3-8b']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| Throughput in tokens per second | 11727 |');
    expect(r.stdout).toContain('| Model flops utilization | 61.03% |');
    expect(r.stdout).toMatch(/Step time by CUDA events \(steps 5\.\.29, 25 steps\): 1\.397 s on the GPU vs 1\.397 s by the host clock, difference 0\.01%/);
  });

  it('the planner predicts these step times within 10% and says why 8B fits one H200 only with bf16 parameters', async () => {
    const shape = { gpu: 'h200', num_gpus: 1, dtype: 'bf16', seq_len: 4096, tp: 1, pp: 1, cp: 1, dp: 1, sharding: 'none', loss: 'plain' };
    const rows = [
      { ...shape, model: 'llama3-8b', gbs: 4, mbs: 1, param_dtype: 'bf16' },
      { ...shape, model: 'llama3-8b', gbs: 1, mbs: 1, param_dtype: 'bf16' },
      { ...shape, model: 'llama3.2-1b', gbs: 4, mbs: 4, param_dtype: 'bf16' },
      { ...shape, model: 'llama3-8b', gbs: 4, mbs: 1, param_dtype: 'fp32' },
    ];
    const file = join(home, 'plans.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const r = await runCli(['predict', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const p = (JSON.parse(r.stdout) as { predictions: { step_time_s: number; fits: boolean; memory: { allocatorPeak: number } }[] }).predictions;
    const measured = ['call2/8b', 'call2/8b-gbs1', 'call2/1b'].map((d) => storedResult(d).stepTime!.meanS);
    measured.forEach((m, i) => expect(Math.abs(p[i]!.step_time_s / m - 1)).toBeLessThan(0.1));
    expect(p.slice(0, 3).every((x) => x.fits)).toBe(true);
    // Memory: never below what the run's allocator peaked at (a plan said to fit must fit), within 15% where one
    // full set of gradients lives beside the activations (4 micro-batches; the 1B step's large logits).
    const peaks = ['call2/8b', 'call2/8b-gbs1', 'call2/1b'].map((d) => peakMemory(d));
    peaks.forEach((peak, i) => expect(p[i]!.memory.allocatorPeak).toBeGreaterThanOrEqual(peak));
    for (const i of [0, 2]) expect(p[i]!.memory.allocatorPeak / peaks[i]!).toBeLessThan(1.15);
    // Mixed precision (fp32 master weights and Adam moments, 18 B/param) would need ~157 GiB: no fit.
    expect(p[3]!.fits).toBe(false);
  });

  it('bench/gpu/RESULTS.md prints these figures', () => {
    const text = readFileSync(join(packageRoot(), 'bench', 'gpu', 'RESULTS.md'), 'utf8');
    for (const run of runs) expect(text).toContain(run.tokensPerS.toLocaleString('en-US'));
    for (const figure of ['9,345', '47,951', '61.0%']) expect(text).toContain(figure);
  });
});
