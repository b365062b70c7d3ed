import { describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

describe('trainbench show', () => {
  it('shows a recipe with derived values and published vs recomputed figures', async () => {
    const r = await runCli(['show', 'llama3.1-70b-pretrain-bf16-2048gpu']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('DP NA (derived 64)');
    expect(r.stdout).toContain('grad accumulation 64');
    expect(r.stdout).toMatch(/tokens\/s\s+2248957 {2}\| {2}2239949/);
    expect(r.stdout).toMatch(/MFU\s+53.38% {2}\| {2}53.19%/);
  });

  it('--json: the resolved recipe (scale applied) and derived values', async () => {
    const r = await runCli(['show', 'workload-mini-cpu', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.recipe.model).toMatchObject({ name: 'llama3-8b-mini', layers: 2, hidden: 256, kv_heads: 1 });
    expect(doc.derived).toMatchObject({ nodes: 1, dp: 2, grad_accum: 2, flops_source: 'formula', peak_flops_per_gpu: null });
    expect(doc.published).toBeNull();
  });

  it('unknown recipe: did-you-mean, exit 2', async () => {
    const r = await runCli(['show', 'workload-mini-gpu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean 'workload-mini-cpu'");
  });
});
