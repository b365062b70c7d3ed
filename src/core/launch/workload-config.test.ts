import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../adapters/catalog/index.ts';
import { resolveRecipe } from '../catalog/index.ts';
import { workloadRunConfig } from './workload-config.ts';

describe('workloadRunConfig', () => {
  const catalog = loadCatalog();

  it('writes a GPU recipe\'s workload settings into run.json, with the full model shape', () => {
    const { config } = workloadRunConfig(resolveRecipe(catalog, 'workload-llama3-8b-h200'), { checkpointDir: '/ckpt' });
    expect(config).toMatchObject({
      model: { layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256 },
      seq_len: 4096, micro_batch: 1, global_batch: 4, steps: 30, dtype: 'bf16', device: 'auto',
      param_dtype: 'bf16', compile: true, cuda_event_timing: true, attention: 'tune', rms_norm: 'fused',
      checkpoint: { dir: '/ckpt', every: 0 },
    });
  });

  it('leaves the workload\'s defaults alone for a recipe without settings (the CPU default)', () => {
    const { config } = workloadRunConfig(resolveRecipe(catalog, 'workload-mini-cpu'), { checkpointDir: '/ckpt', cpuThreadsPerRank: 1 });
    expect(config.device).toBe('cpu');
    for (const key of ['param_dtype', 'compile', 'ce_chunk', 'activation_checkpointing', 'cuda_event_timing', 'attention', 'rms_norm']) {
      expect(config).not.toHaveProperty(key);
    }
  });
});
