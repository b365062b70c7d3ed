// The executor contract on a real Slurm: the embedded single-host cluster from scripts/slurm-local.sh.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/__tests__/run-cli.ts';
import { createRunDir } from '../rundir/index.ts';
import type { JobHandle } from './types.ts';
import { runExecutorContract } from './executor.contract.ts';
import { LOCAL_SLURM_CONF } from './__tests__/local-slurm.ts';
import { createSlurmExecutor, failedTasks } from './slurm.ts';

const SLURM_CONF = LOCAL_SLURM_CONF;

function startSlurm(): string | undefined {
  const script = resolve(import.meta.dirname, '..', '..', '..', 'scripts', 'slurm-local.sh');
  const run = spawnSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  if (run.status === 0) return undefined;
  const why = `scripts/slurm-local.sh start failed (exit ${run.status}): ${(run.stderr || run.stdout).trim()}`;
  console.error(`\n*** SKIPPING the slurm executor contract: ${why} ***\n`);
  return why;
}

const skipReason = startSlurm();
const executor = createSlurmExecutor({ env: { SLURM_CONF }, cancelWaitMs: 60_000 });

runExecutorContract('slurm', { create: () => executor, skip: () => skipReason });

describe.skipIf(skipReason !== undefined)('slurm executor on the embedded cluster', () => {
  const root = mkdtempSync(join(tmpdir(), 'tb-slurm-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const env = { ...process.env, SLURM_CONF, TRAINBENCH_HOME: root };

  it('scripts/slurm-local.sh is idempotent and writes the single-host config', () => {
    const script = resolve(import.meta.dirname, '..', '..', '..', 'scripts', 'slurm-local.sh');
    const again = spawnSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/starting/); // nothing restarted
    expect(spawnSync('bash', [script, 'status'], { encoding: 'utf8' }).stdout).toMatch(/^slurm-local: up .*idle/);
    const conf = readFileSync(SLURM_CONF, 'utf8');
    for (const line of ['ClusterName=trainbench', 'SlurmUser=root', 'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none', 'SelectType=select/cons_tres', 'SelectTypeParameters=CR_Core', 'JobAcctGatherType=jobacct_gather/none', 'ReturnToService=2', 'MinJobAge=3600']) {
      expect(conf).toContain(`${line}\n`);
    }
    expect(conf).toMatch(/^PartitionName=debug .*Default=YES MaxTime=INFINITE/m);
  });

  it('refuses a job sbatch rejects with a scheduler error', async () => {
    const runDir = createRunDir(root, 'too-big');
    const spec = { name: 'too-big', runDir, nodes: 1, tasksPerNode: 1, partition: 'no_such_partition', command: ['true'], env: {} };
    await expect(executor.submit(spec)).rejects.toMatchObject({ code: 'sbatch-failed', exitCode: 7 });
  });

  it('hands back a job that can never start as PENDING stuck, with the reason', async () => {
    const runDir = createRunDir(root, 'impossible');
    const h = await executor.submit({ name: 'impossible', runDir, nodes: 1, tasksPerNode: 64, command: ['true'], env: {} });
    try {
      expect(await executor.wait(h, { pollMs: 200 })).toEqual({ state: 'PENDING', reason: 'PartitionConfig', stuck: true });
      const human = await runCli(['status', runDir], { env });
      expect(human.stdout).toContain('request does not fit the partition configuration');
    } finally {
      await executor.cancel(h);
    }
  });

  it('status/logs/cancel work on a Slurm job through the CLI', async () => {
    const runDir = createRunDir(root, 'sleepy');
    const h = await executor.submit({ name: 'sleepy', runDir, nodes: 1, tasksPerNode: 1, command: ['bash', '-c', 'echo "hello from $RANK/$WORLD_SIZE"; sleep 120'], env: {} });
    for (let i = 0; i < 100 && !existsSync(h.logFile); i++) await new Promise((r) => setTimeout(r, 200));
    const status = await runCli(['status', 'sleepy', '--json'], { env });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ executor: 'slurm', jobId: h.jobId, state: { state: 'RUNNING' } });
    const cancel = await runCli(['cancel', h.jobId], { env });
    expect(cancel.stdout).toBe('CANCELLED\n');
    const logs = await runCli(['logs', 'sleepy', '-f'], { env });
    expect(logs.stdout).toContain('hello from 0/1');
    expect(logs.stdout).toMatch(/CANCELLED AT/);
  });

  it('reads the outcome from the run directory once Slurm has forgotten the job', async () => {
    const runDir = createRunDir(root, 'forgotten');
    const h: JobHandle = { executor: 'slurm', jobId: '987654321', name: 'forgotten', runDir, submittedAt: new Date().toISOString(), worldSize: 1, logFile: join(runDir, 'log.out') };
    writeFileSync(h.logFile, 'slurmstepd-vm: error: *** JOB 987654321 ON vm CANCELLED AT 2026-11-26T05:59:58 DUE TO TIME LIMIT ***\n');
    expect((await executor.status(h)).state).toBe('TIMEOUT');
    writeFileSync(h.logFile, 'step 1\n');
    writeFileSync(join(runDir, 'slurm.exit'), '0\n');
    expect(await executor.status(h)).toEqual({ state: 'COMPLETED', exitCode: 0 });
    writeFileSync(join(runDir, 'slurm.exit'), '2\n');
    expect(await executor.status(h)).toMatchObject({ state: 'FAILED', exitCode: 2, reason: 'step 1' });
  });
});

describe('failedTasks', () => {
  it('expands the task lists srun prints', () => {
    expect(failedTasks('srun: error: vm: task 1: Exited with exit code 1\n')).toEqual([1]);
    expect(failedTasks('srun: error: node[01-02]: tasks 0-2,5: Exited with exit code 3\n')).toEqual([0, 1, 2, 5]);
    expect(failedTasks('srun: error: vm: task 0: Killed\n')).toEqual([]);
  });
});
