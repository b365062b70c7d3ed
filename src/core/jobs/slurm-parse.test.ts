import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSacct, parseScontrolFields, parseScontrolShowJob, parseSqueue } from './slurm-parse.ts';
import { stateFromLogMarkers } from './log-markers.ts';

// Captured from the embedded Slurm 22.05.8 (scripts/slurm-local.sh) with sbatch jobs that completed, exited 3,
// killed their own shell, timed out, were cancelled, held, and depended on a cancelled job.
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('scontrol show job -o (real 22.05 output)', () => {
  const jobs = parseScontrolShowJob(fixture('scontrol-show-job-22.05.txt'));
  const byName = Object.fromEntries(jobs.map((j) => [j.name, j.state]));

  it('reads every job', () => {
    expect(jobs.map((j) => j.jobId)).toEqual(['3', '4', '5', '8', '10', '9', '6', '7', '9']);
  });

  it('maps terminal states with exit code and signal', () => {
    expect(byName.ok).toEqual({ state: 'COMPLETED', exitCode: 0 });
    expect(byName.fail).toEqual({ state: 'FAILED', exitCode: 3, reason: 'NonZeroExitCode' });
    expect(byName.sig).toEqual({ state: 'FAILED', exitCode: 0, signal: 9, reason: 'JobLaunchFailure' });
    expect(byName.tmo).toEqual({ state: 'TIMEOUT', exitCode: 0, signal: 15, reason: 'TimeLimit' });
    expect(byName.run).toEqual({ state: 'CANCELLED', exitCode: 0, signal: 15 });
  });

  it('keeps pending reasons', () => {
    expect(byName.held).toEqual({ state: 'PENDING', reason: 'JobHeldUser', stuck: true });
    // job 9 was captured twice: waiting on job 7, then after job 7 was cancelled
    expect(jobs.filter((j) => j.name === 'dep').map((j) => j.state)).toEqual([
      { state: 'PENDING', reason: 'Dependency' },
      { state: 'PENDING', reason: 'DependencyNeverSatisfied', stuck: true },
    ]);
  });

  it('splits keys with punctuation and values with spaces', () => {
    const f = parseScontrolFields('JobId=1 AllocNode:Sid=vm:12 CPUs/Task=1 Command=/bin/echo a b Reason=None');
    expect(f).toEqual({ JobId: '1', 'AllocNode:Sid': 'vm:12', 'CPUs/Task': '1', Command: '/bin/echo a b', Reason: 'None' });
  });
});

describe('squeue -h -o %i|%T|%r|%j (real 22.05 output)', () => {
  it('maps states and reasons', () => {
    const rows = parseSqueue(fixture('squeue-22.05.txt'));
    expect(rows.map((r) => [r.jobId, r.name, r.state])).toEqual([
      ['9', 'dep', { state: 'PENDING', reason: 'Dependency' }],
      ['8', 'held', { state: 'PENDING', reason: 'JobHeldUser', stuck: true }],
      ['6', 'tmo', { state: 'RUNNING' }],
      ['7', 'run', { state: 'RUNNING' }],
      ['9', 'dep', { state: 'PENDING', reason: 'DependencyNeverSatisfied', stuck: true }],
    ]);
  });
});

describe('sacct -P', () => {
  // sacct's documented -P layout (header, `|`-separated, steps as ID.batch / ID.0); accounting is off on the
  // embedded Slurm, so this one is written by hand from sacct(1) and the desispec capture in fixtures/logs/failures.
  const text = [
    'JobID|JobName|State|ExitCode|Reason',
    '52222788|ztile|CANCELLED by 1000|0:15|None',
    '52222788.batch|batch|CANCELLED|0:15|',
    '52222788.0|desi_zproc|OUT_OF_MEMORY|0:125|',
    '52222790|train|OUT_OF_MEMORY|0:125|None',
    '52222791|train|NODE_FAIL|1:0|None',
  ].join('\n');

  it('takes the allocation row, not its steps', () => {
    expect(parseSacct(text, '52222788')?.state).toEqual({ state: 'CANCELLED', exitCode: 0, signal: 15, reason: 'by 1000' });
    expect(parseSacct(text, '52222790')?.state).toEqual({ state: 'OUT_OF_MEMORY', exitCode: 0, signal: 125 });
    expect(parseSacct(text, '52222791')?.state).toEqual({ state: 'NODE_FAIL', exitCode: 1 });
  });

  it('finds columns by header, whatever else was asked for (a 256-node run reported in this shape)', () => {
    const wide = [
      'JobID|JobName|State|ExitCode|Elapsed|NNodes|Start|End',
      '4908935|smoke|COMPLETED|0:0|00:20:53|256|2026-06-27T12:14:05|2026-06-27T12:34:58',
      '4908935.batch|batch|COMPLETED|0:0|00:20:53|1|2026-06-27T12:14:05|2026-06-27T12:34:58',
    ].join('\n');
    expect(parseSacct(wide)).toEqual({ jobId: '4908935', state: { state: 'COMPLETED', exitCode: 0 } });
  });

  it('returns undefined for text that is not sacct -P', () => {
    expect(parseSacct('Slurm accounting storage is disabled\n')).toBeUndefined();
  });
});

describe('log markers', () => {
  it('reads time-out and cancel markers (real 22.05 output, argv0 slurmstepd-vm)', () => {
    const [timeout = '', cancel = ''] = fixture('slurmstepd-markers-22.05.txt').split('\n');
    expect(stateFromLogMarkers(timeout)?.state).toBe('TIMEOUT');
    expect(stateFromLogMarkers(cancel)).toEqual({ state: 'CANCELLED', reason: 'JOB 10 ON vm CANCELLED AT 2026-11-26T05:59:58' });
  });

  it('reads the public time-limit log and the 25.05 wording', () => {
    const desi = readFileSync(new URL('../../../fixtures/logs/failures/slurm-time-limit-desitarget-628.log', import.meta.url), 'utf8');
    expect(stateFromLogMarkers(desi)?.state).toBe('TIMEOUT');
    const sig = 'slurmstepd: error: *** JOB 1234 ON node01 CANCELLED AT 2025-01-31T23:59:59 DUE to SIGNAL Terminated ***';
    expect(stateFromLogMarkers(sig)?.state).toBe('CANCELLED');
    expect(stateFromLogMarkers('srun: error: node01: task 0: Out Of Memory')?.state).toBe('OUT_OF_MEMORY');
    expect(stateFromLogMarkers('srun: error: node01: task 3: Exited with exit code 2')).toMatchObject({ state: 'FAILED', exitCode: 2 });
    expect(stateFromLogMarkers('step 5 loss 1.0\n')).toBeUndefined();
  });

  it('a STEP marker after a task died (srun --kill-on-bad-exit) is a failure, not a cancellation', () => {
    // Real 22.05 output of the fault suite: rank 1 SIGKILLed, srun cancels the step.
    const killed = [
      'srun: error: vm: task 1: Killed',
      'srun: launch/slurm: _step_signal: Terminating StepId=198.0',
      'slurmstepd-vm: error: *** STEP 198.0 ON vm CANCELLED AT 2026-11-26T06:49:05 ***',
      'srun: error: vm: task 0: Exited with exit code 1',
    ].join('\n');
    expect(stateFromLogMarkers(killed)).toEqual({ state: 'FAILED', reason: 'srun: error: vm: task 1: Killed' });
    const cancelled = 'slurmstepd-vm: error: *** STEP 9.0 ON vm CANCELLED AT 2026-11-26T06:00:00 ***\nsrun: error: vm: task 0: Exited with exit code 143';
    expect(stateFromLogMarkers(cancelled)?.state).toBe('CANCELLED');
  });
});
