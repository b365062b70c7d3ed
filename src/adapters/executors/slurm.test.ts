// The executor contract on a real Slurm: the embedded single-host cluster from scripts/slurm-local.sh.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExecutorContract } from './executor.contract.ts';
import { createSlurmExecutor, failedTasks } from './slurm.ts';

const slurmDir = process.env.TRAINBENCH_SLURM_DIR ?? '/var/tmp/trainbench-slurm';
const SLURM_CONF = join(slurmDir, 'slurm.conf');

function startSlurm(): string | undefined {
  const script = resolve(import.meta.dirname, '..', '..', '..', 'scripts', 'slurm-local.sh');
  const run = spawnSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  if (run.status === 0) return undefined;
  const why = `scripts/slurm-local.sh start failed (exit ${run.status}): ${(run.stderr || run.stdout).trim()}`;
  console.error(`\n*** SKIPPING the slurm executor contract: ${why} ***\n`);
  return why;
}

runExecutorContract('slurm', {
  create: () => createSlurmExecutor({ env: { SLURM_CONF }, cancelWaitMs: 60_000 }),
  skip: startSlurm,
});

describe('failedTasks', () => {
  it('expands the task lists srun prints', () => {
    expect(failedTasks('srun: error: vm: task 1: Exited with exit code 1\n')).toEqual([1]);
    expect(failedTasks('srun: error: node[01-02]: tasks 0-2,5: Exited with exit code 3\n')).toEqual([0, 1, 2, 5]);
    expect(failedTasks('srun: error: vm: task 0: Killed\n')).toEqual([]);
  });
});
