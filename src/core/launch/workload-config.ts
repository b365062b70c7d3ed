// A resolved recipe -> the reference workload's run.json (workload/README.md). The workload trains in bf16 autocast
// or fp32; fp8 recipes run their bf16 shape and say so, tf32 maps to fp32.
import type { ResolvedRecipe } from '../catalog/index.ts';

/** The recipe's `workload` knobs, written only when the recipe sets them (the workload's defaults apply otherwise). */
export type WorkloadKnobs = NonNullable<ResolvedRecipe['workload']>;

export interface WorkloadRunConfig extends WorkloadKnobs {
  model: { layers: number; hidden: number; ffn: number; heads: number; kv_heads: number; vocab: number };
  task: 'pretrain' | 'sft' | 'lora';
  seq_len: number;
  micro_batch: number;
  global_batch: number;
  steps: number;
  dtype: 'bf16' | 'fp32';
  seed: number;
  data: { kind: 'mock' } | { kind: 'megatron'; prefix: string };
  checkpoint: { dir: string | null; every: number };
  device: 'auto' | 'cpu' | 'cuda';
  cpu_threads: number;
}

export interface WorkloadOptions {
  checkpointDir: string;
  steps?: number;
  dataPrefix?: string;
  device?: 'auto' | 'cpu' | 'cuda';
  cpuThreadsPerRank?: number;
  checkpointEvery?: number;
}

export function workloadRunConfig(r: ResolvedRecipe, o: WorkloadOptions): { config: WorkloadRunConfig; notes: string[] } {
  const notes: string[] = [];
  if (r.dtype === 'fp8') notes.push('the reference workload has no fp8 path: it runs the bf16 shape of this recipe');
  const m = r.model;
  return {
    config: {
      model: { layers: m.layers, hidden: m.hidden, ffn: m.ffn, heads: m.heads, kv_heads: m.kv_heads, vocab: m.vocab },
      task: r.task,
      seq_len: r.seq_len,
      micro_batch: r.mbs,
      global_batch: r.gbs,
      steps: o.steps ?? r.steps ?? 30,
      dtype: r.dtype === 'tf32' ? 'fp32' : 'bf16',
      seed: 1234,
      data: o.dataPrefix ? { kind: 'megatron', prefix: o.dataPrefix } : { kind: 'mock' },
      checkpoint: { dir: o.checkpointDir, every: o.checkpointEvery ?? r.checkpoint_every ?? 0 },
      device: o.device ?? (r.gpu.measured_at_runtime ? 'cpu' : 'auto'),
      cpu_threads: o.cpuThreadsPerRank ?? 0,
      ...r.workload,
    },
    notes,
  };
}
