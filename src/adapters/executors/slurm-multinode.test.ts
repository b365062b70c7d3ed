// The executor contract across nodes: the same four cases (complete, a raising rank, cancel, resume) as 2 nodes x 1
// rank on the namespace cluster (scripts/cluster-netns.sh), ranks meeting over the nodes' own network.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll } from 'vitest';
import { acquireClusterLockSync } from '../cluster/__tests__/cluster-lock.ts';
import { netnsRankEnv, netnsSlurmEnv } from '../cluster/netns.ts';
import { runExecutorContract } from './executor.contract.ts';
import { createSlurmExecutor } from './slurm.ts';

const script = resolve(import.meta.dirname, '..', '..', '..', 'scripts', 'cluster-netns.sh');
const release = acquireClusterLockSync();
const wasUp = spawnSync('bash', [script, 'status'], { stdio: 'ignore' }).status === 0;
const up = spawnSync('bash', [script, 'up', '2'], { encoding: 'utf8', timeout: 300_000 });
const skipReason = up.status === 0 ? undefined : `namespace cluster unavailable: ${(up.stderr || up.stdout).trim()}`;
if (skipReason) console.error(`\n*** SKIPPING the multi-node executor contract: ${skipReason} ***\n`);

afterAll(() => {
  if (!wasUp) spawnSync('bash', [script, 'down'], { stdio: 'ignore', timeout: 120_000 });
  release();
});

runExecutorContract('slurm-2-nodes', {
  create: () => createSlurmExecutor({ env: netnsSlurmEnv(), cancelWaitMs: 60_000 }),
  skip: () => skipReason,
  base: { nodes: 2, tasksPerNode: 1, env: netnsRankEnv() },
});
