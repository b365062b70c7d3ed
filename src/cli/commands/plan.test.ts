import { describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

describe('trainbench plan', () => {
  it('ranks plans for a catalog model and explains the winner', async () => {
    const r = await runCli(['plan', 'llama3.1-8b', '--gpus', '8', '--gpu', 'h100', '--seq', '4096', '--gbs', '32', '--top', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/plans considered/);
    expect(r.stdout).toMatch(/^#1 TP\d+ PP\d+/m);
    expect(r.stdout).toMatch(/^#2 /m);
    expect(r.stdout).toMatch(/why:\n {2}best:/);
  });

  it('--json gives one document with the top plans, their breakdowns and memory', async () => {
    const r = await runCli(['plan', 'llama3-70b', '--gpus', '16', '--gpu', 'a100-40gb', '--gpus-per-node', '4', '--network-gbps', '6.25',
      '--seq', '2048', '--gbs', '128', '--task', 'lora', '--lora-rank', '8', '--top', '3', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.top).toHaveLength(3);
    expect(doc.top[0].memory.fits).toBe(true);
    expect(doc.top[0].breakdown.dp).toHaveProperty('exposed_s');
    expect(doc.gpu.gpusPerNode).toBe(4);
    expect(doc.why[0]).toMatch(/^best:/);
  });

  it('--sharding/--recompute restrict the search; a bad value is a usage error', async () => {
    const r = await runCli(['plan', 'llama3.1-8b', '--gpus', '8', '--seq', '4096', '--gbs', '32', '--sharding', 'distributed_optimizer',
      '--recompute', 'full', '--top', '50', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.top.length).toBeGreaterThan(0);
    expect(doc.top.every((p: { plan: { sharding: string; recompute: string } }) => p.plan.sharding === 'distributed_optimizer' && p.plan.recompute === 'full')).toBe(true);
    const bad = await runCli(['plan', 'llama3.1-8b', '--gpus', '8', '--seq', '4096', '--gbs', '32', '--sharding', 'zero4']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown value 'zero4'/);
  });

  it('--param-dtype bf16: 8B on one H200 fits only with bf16 parameters and Adam moments (the GPU recipes\' choice)', async () => {
    const args = ['plan', 'llama3-8b', '--gpus', '1', '--gpu', 'h200', '--seq', '4096', '--gbs', '4', '--json'];
    const mixed = JSON.parse((await runCli(args)).stdout);
    expect(mixed.fitting).toBe(0);
    const bf16 = await runCli([...args, '--param-dtype', 'bf16']);
    expect(bf16.code).toBe(0);
    const doc = JSON.parse(bf16.stdout);
    expect(doc.fitting).toBeGreaterThan(0);
    expect(doc.top[0].plan.paramDtype).toBe('bf16');
    expect(doc.top[0].memory.optimizer / doc.top[0].memory.weights).toBeCloseTo(2, 6); // two bf16 moments per bf16 weight
  });

  it('unknown model: usage error with a suggestion; missing options: usage error naming them', async () => {
    const unknown = await runCli(['plan', 'llama3.1-7b', '--gpus', '8', '--seq', '4096', '--gbs', '32']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/llama3\.1-8b/);
    const missing = await runCli(['plan', 'llama3.1-8b', '--gpus', '8']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--seq, --gbs/);
  });

  it('plan validate prints MAPE per split and the worst rows; --json carries every row', async () => {
    const text = await runCli(['plan', 'validate']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/MAPE train \d+\.\d% \(86 rows\), validation \d+\.\d% \(207 rows\)/);
    expect(text.stdout).toMatch(/worst validation rows/);
    const json = await runCli(['plan', 'validate', '--json']);
    const doc = JSON.parse(json.stdout);
    expect(doc.rows).toHaveLength(293);
    expect(doc.skipped).toHaveLength(4);
    expect(doc.mape.validation).toBeLessThan(10);
  });
});
