// The workload's output contract and DDP on real PyTorch ranks: step lines, events, loss going down on the mock
// data, the same data order (and so the same losses) on 1 and 2 ranks, FLOPs from parameter shapes, config errors.
import { afterAll, describe, expect, it } from 'vitest';
import {
  STEP_LINE,
  TINY,
  describeFailure,
  events,
  runRanks,
  stepLosses,
  tempDir,
  writeConfig,
  type RankResult,
} from './__tests__/harness.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function checkStepLines(stdout: string, steps: number, gbs: number): number[] {
  const lines = stdout.split('\n').filter((l) => l.startsWith('Training epoch'));
  expect(lines).toHaveLength(steps);
  return lines.map((line, i) => {
    const m = STEP_LINE.exec(line);
    expect(m, line).not.toBeNull();
    const [, iter, last, lr, batch, globalStep, peak, , loss, , consumed] = m!;
    expect(Number(iter)).toBe(i);
    expect(Number(last)).toBe(steps - 1);
    expect(Number(globalStep)).toBe(i);
    expect(Number(lr)).toBeCloseTo(TINY.lr, 10);
    expect(Number(batch)).toBe(gbs);
    expect(Number(peak)).toBeGreaterThan(0);
    expect(Number(consumed)).toBe((i + 1) * gbs);
    return Number(loss);
  });
}

describe('workload train.py on torch CPU', () => {
  const results: Record<number, RankResult[]> = {};

  for (const world of [1, 2]) {
    it(`completes on ${world} rank(s), prints the contract lines, and the loss goes down`, async () => {
      const config = writeConfig(tmp.dir, TINY, `run-${world}.json`);
      const r = await runRanks({ world, configPath: config });
      results[world] = r;
      expect(r.map((x) => x.code), describeFailure(r)).toEqual(Array(world).fill(0));
      const out = r[0]!.stdout;
      const losses = checkStepLines(out, TINY.steps, TINY.global_batch);
      const first = losses.slice(0, 3).reduce((a, b) => a + b) / 3;
      const last = losses.slice(-3).reduce((a, b) => a + b) / 3;
      expect(last).toBeLessThan(first - 1.0);

      const ev = events(out);
      const start = ev.find((e) => e.event === 'start')!;
      expect(start).toMatchObject({ rank: 0, world_size: world, device: 'cpu', dtype: 'bf16', resumed_from: null });
      expect(start['grad_accum']).toBe(TINY.global_batch / (TINY.micro_batch * world));
      const steps = ev.filter((e) => e.event === 'step');
      expect(steps.map((e) => e['step'])).toEqual([...Array(TINY.steps).keys()]);
      for (const s of steps) {
        expect(s['tokens']).toBe(TINY.global_batch * TINY.seq_len);
        expect(s['step_time_s']).toBeGreaterThan(0);
        expect(s['time']).toBeGreaterThan(1.6e9);
        expect(s).not.toHaveProperty('cuda_event_ms');
      }
      expect(ev.at(-1)).toMatchObject({ event: 'end', status: 'completed', steps: TINY.steps });
      // Only rank 0 logs.
      if (world === 2) expect(r[1]!.stdout).toBe('');
    });
  }

  it('uses the same samples per global batch on 1 and 2 ranks (losses agree)', () => {
    const one = stepLosses(results[1]![0]!.stdout);
    const two = stepLosses(results[2]![0]!.stdout);
    expect(one.size).toBe(TINY.steps);
    // Step 0 sees identical weights and data; later steps drift only by bf16 reduction order.
    expect(Math.abs(one.get(0)! - two.get(0)!)).toBeLessThan(1e-4);
    for (const [step, loss] of one) expect(Math.abs(loss - two.get(step)!) / loss).toBeLessThan(2e-2);
  });

  it('takes rank and world size from Slurm variables (MASTER_ADDR defaults to 127.0.0.1 on one node)', async () => {
    const r = await runRanks({ world: 2, slurm: true, configPath: writeConfig(tmp.dir, { ...TINY, steps: 2 }, 'slurm.json') });
    expect(r.map((x) => x.code), describeFailure(r)).toEqual([0, 0]);
    expect(events(r[0]!.stdout).find((e) => e.event === 'start')).toMatchObject({ world_size: 2 });
  });

  it('reports flops_per_token = 6 * N_non_embedding + 12 * layers * hidden * seq from the parameter shapes', () => {
    const start = events(results[1]![0]!.stdout).find((e) => e.event === 'start')!;
    const { layers, hidden: h, ffn: f, heads, kv_heads: kv, vocab: v } = TINY.model;
    const kvDim = (h / heads) * kv;
    const perLayer = h * h * 2 + h * kvDim * 2 + 3 * h * f + 2 * h; // q,o + k,v + gate/up/down + 2 RMSNorm
    const nonEmbedding = layers * perLayer + h + v * h; // + final norm + untied lm_head
    expect(start['non_embedding_params']).toBe(nonEmbedding);
    expect(start['params']).toBe(nonEmbedding + v * h);
    expect(start['trainable_params']).toBe(nonEmbedding + v * h);
    expect(start['flops_per_token']).toBe(6 * nonEmbedding + 12 * layers * h * TINY.seq_len);
  });

  it('gives the same loss with the chunked linear cross-entropy as with full logits (sft task)', async () => {
    const base = { ...TINY, task: 'sft', steps: 3, dtype: 'fp32' };
    const full = await runRanks({ world: 1, configPath: writeConfig(tmp.dir, base, 'full.json') });
    const chunked = await runRanks({ world: 1, configPath: writeConfig(tmp.dir, { ...base, ce_chunk: 24 }, 'ch.json') });
    expect([full[0]!.code, chunked[0]!.code], describeFailure([...full, ...chunked])).toEqual([0, 0]);
    const a = stepLosses(full[0]!.stdout);
    const b = stepLosses(chunked[0]!.stdout);
    for (const [step, loss] of a) expect(Math.abs(loss - b.get(step)!) / loss).toBeLessThan(1e-4);
  });

  it('takes the GPU settings on a CPU: `tune` and pinned attention fall back to SDPA (an event says so), bf16 weights train', async () => {
    const base = { ...TINY, steps: 3 };
    const gpuish = { ...base, attention: 'tune', rms_norm: 'fused', param_dtype: 'bf16', cuda_event_timing: true };
    const plain = await runRanks({ world: 1, configPath: writeConfig(tmp.dir, base, 'plain.json') });
    const r = await runRanks({ world: 1, configPath: writeConfig(tmp.dir, gpuish, 'gpuish.json') });
    expect([plain[0]!.code, r[0]!.code], describeFailure([...plain, ...r])).toEqual([0, 0]);
    const ev = events(r[0]!.stdout);
    expect(ev.find((e) => e.event === 'attention')).toMatchObject({ requested: 'tune', backend: 'sdpa' });
    expect(ev.find((e) => e.event === 'start')).toMatchObject({ param_dtype: 'bf16' });
    // No CUDA events off a GPU; no attention event when nothing was asked for.
    for (const s of ev.filter((e) => e.event === 'step')) expect(s).not.toHaveProperty('cuda_event_ms');
    expect(events(plain[0]!.stdout).some((e) => e.event === 'attention')).toBe(false);
    expect([...stepLosses(r[0]!.stdout).values()].every(Number.isFinite)).toBe(true);
  });
});

describe('workload config errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown key', ['model.layer=3'], /unknown config key 'model\.layer'/],
    ['a wrong type', ['steps="ten"'], /config key 'steps' must be integer/],
    ['a bad choice', ['task=dpo'], /config key 'task' must be one of pretrain\|sft\|lora/],
    ['an unknown attention kernel', ['attention=fa3'], /config key 'attention' must be one of sdpa\|flash\|cudnn\|efficient\|math\|tune/],
    ['a global batch that does not divide', ['global_batch=6', 'micro_batch=4'], /global_batch \(6\).*micro_batch \(4\)/],
  ];
  for (const [what, sets, message] of cases) {
    it(`exits 3 naming the key for ${what}`, async () => {
      const [r] = await runRanks({ world: 1, sets });
      expect(r!.code).toBe(3);
      expect(r!.stderr).toMatch(message);
      expect(events(r!.stdout)).toEqual([expect.objectContaining({ event: 'error', type: 'ConfigError', exit_code: 3 })]);
    });
  }
});
