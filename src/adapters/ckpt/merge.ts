// `trainbench ckpt merge`: picks the step (layout.ts) and runs workload/tools/merge_ckpt.py with the Python that has
// torch. DDP ranks hold replicated model state, so the merge keeps rank 0's model once the checksums agree, and each
// rank's optimizer/RNG state under optimizer.rank_N / rng.rank_N.
import { spawnSync } from 'node:child_process';
import { resolve, join } from 'node:path';
import { inputError } from '../../core/errors.ts';
import { packageRoot } from '../paths.ts';
import { findPython } from '../python/index.ts';
import { findWorkloadStep } from './layout.ts';

export interface MergeResult {
  out: string;
  step: number;
  world_size: number;
  tensors: number;
  parameters: number;
  model_sha256: string;
  ranks_agree: boolean;
  optimizer_ranks: number;
  bytes: number;
  source: string;
}

export const mergeScript = (): string => join(packageRoot(), 'workload', 'tools', 'merge_ckpt.py');

export function mergeCheckpoint(root: string, out: string, step?: number, env: NodeJS.ProcessEnv = process.env): MergeResult {
  const found = findWorkloadStep(resolve(root), step);
  const python = findPython(env);
  const r = spawnSync(python, [mergeScript(), found.dir, '--out', resolve(out)], { encoding: 'utf8', env, timeout: 600_000 });
  const message = (r.stderr || String(r.error ?? '')).trim().replace(/^merge_ckpt: /, '');
  if (r.status === 6) throw inputError(message, { code: 'checkpoint-replicas-differ', file: found.dir, hint: 'the ranks diverged before this step; merge an older --step or keep the shards' });
  if (r.status !== 0) throw inputError(message || `merge_ckpt.py exited ${r.status}`, { code: 'checkpoint-unreadable', file: found.dir, hint: 'the shard files may be truncated; try an older --step' });
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  return { ...(JSON.parse(line) as Omit<MergeResult, 'source'>), source: found.dir };
}
