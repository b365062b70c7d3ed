// LoRA: only the adapters train. The start event's trainable_params must equal the analytic adapter count and the
// frozen base weights (sha256 over their bytes, reported with report_checksums) must be the same after training.
import { afterAll, describe, expect, it } from 'vitest';
import { TINY, describeFailure, events, runRanks, stepLosses, tempDir, writeConfig } from './__tests__/harness.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('workload task=lora', () => {
  it('trains only rank-r adapters on q/k/v/o/gate/up/down over 2 ranks; base weights unchanged', async () => {
    const rank = 4;
    const config = { ...TINY, task: 'lora', lora: { rank, alpha: 8 }, steps: 6, report_checksums: true };
    const r = await runRanks({ world: 2, configPath: writeConfig(tmp.dir, config) });
    expect(r.map((x) => x.code), describeFailure(r)).toEqual([0, 0]);
    const ev = events(r[0]!.stdout);
    const start = ev.find((e) => e.event === 'start')!;
    const end = ev.find((e) => e.event === 'end')!;

    const { layers, hidden: h, ffn: f, heads, kv_heads: kv, vocab: v } = TINY.model;
    const kvDim = (h / heads) * kv;
    // rank x (in + out) for each adapted projection
    const adapters = layers * rank * (2 * (h + h) + 2 * (h + kvDim) + 2 * (h + f) + (f + h));
    expect(start['trainable_params']).toBe(adapters);
    const base = layers * (2 * h * h + 2 * h * kvDim + 3 * h * f + 2 * h) + h + 2 * v * h;
    expect(start['params']).toBe(base + adapters);
    expect(start['non_embedding_params']).toBe(base + adapters - v * h);

    expect(typeof start['frozen_checksum']).toBe('string');
    expect(end['frozen_checksum']).toBe(start['frozen_checksum']);
    // The adapters do learn (B starts at zero, so step 0 is the base model's loss).
    const losses = [...stepLosses(r[0]!.stdout).values()];
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
  });

  it('a pretrain run with report_checksums has nothing frozen', async () => {
    const r = await runRanks({ world: 1, configPath: writeConfig(tmp.dir, { ...TINY, steps: 1, report_checksums: true }, 'p.json') });
    expect(r[0]!.code, describeFailure(r)).toBe(0);
    const start = events(r[0]!.stdout).find((e) => e.event === 'start')!;
    expect(start['trainable_params']).toBe(start['params']);
  });
});
