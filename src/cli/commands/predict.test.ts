import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tb-predict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const seed002 = { model: 'llama3.1-70b', gpu: 'h100', num_gpus: 64, dtype: 'bf16', seq_len: 8192, gbs: 128, mbs: 1, tp: 4, pp: 4, vp: 5, cp: 2, ep: 1, recompute: 'none', task: 'pretrain' };
const inline = { model: { layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256 }, gpu: 'H100', num_gpus: 8, seq_len: 4096, gbs: 32, task: 'lora' };

describe('trainbench predict', () => {
  it('predicts every row of a JSONL file: step time, tokens/s, MFU, memory, fits, breakdown', async () => {
    const file = write('ok.jsonl', [seed002, inline].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = await runCli(['predict', file]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    // seed 002 measured 14.72 s/step on 64 H100 (BF16); the model is within 10% of it.
    expect(Math.abs(rows[0].step_time_s / 14.72 - 1)).toBeLessThan(0.1);
    expect(rows[0].plan.dp).toBe(2);
    expect(rows[0]).toHaveProperty('breakdown.tp.exposed_s');
    expect(rows[1].model).toBe('inline');
    for (const row of rows) {
      expect(row.fits).toBe(true);
      expect(row.mfu).toBeGreaterThan(0.2);
      expect(row.memory_gb_per_gpu).toBeGreaterThan(0);
      expect(row.tokens_per_s).toBeCloseTo((row.plan.gbs * row.plan.seqLen) / row.step_time_s, 6);
    }
  });

  it('rejects bad rows one by one with field-level messages, predicts the rest, exits 3', async () => {
    const bad = [
      seed002,
      { ...seed002, tp: 3 },
      { ...seed002, model: 'lama3.1-70b' },
      { ...inline, seq_len: -1 },
    ];
    const file = write('mixed.jsonl', bad.map((r) => JSON.stringify(r)).join('\n') + '\nnot json\n');
    const r = await runCli(['predict', file]);
    expect(r.code).toBe(3);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.filter((x) => !x.rejected)).toHaveLength(1);
    expect(r.stderr).toMatch(/row 2: tp: heads \(64\) not divisible by tp \(3\)/);
    expect(r.stderr).toMatch(/row 3: model: .*llama3\.1-70b/);
    expect(r.stderr).toMatch(/row 4: seq_len:/);
    expect(r.stderr).toMatch(/row 5: \(row\): not valid JSON/);
    expect(r.stderr).toMatch(/4 of 5 rows rejected/);
  });

  it('--json: one document; a JSON array file works too', async () => {
    const file = write('rows.json', JSON.stringify([seed002, { ...seed002, gbs: 127 }]));
    const r = await runCli(['predict', file, '--json']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.predictions).toHaveLength(1);
    expect(doc.rejected[0].issues[0].field).toBe('gbs');
  });

  it('unreadable file: input error (exit 4)', async () => {
    const r = await runCli(['predict', join(dir, 'missing.jsonl')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot read/);
  });
});
