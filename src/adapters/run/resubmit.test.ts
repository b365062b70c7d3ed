// The resubmit policy and the failing-rank reading, on lines captured from real runs of the fault suite (Slurm 22.05).
import { describe, expect, it } from 'vitest';
import { failingRank } from './diagnose.ts';
import { shouldResubmit } from './resubmit.ts';

describe('resubmit policy', () => {
  it('resubmits preemption, time limit, node failure and a USR1 checkpoint exit; never a cancel or a crash', () => {
    expect(shouldResubmit({ state: 'TIMEOUT' }, {}, 0, 1)).toBe(true);
    expect(shouldResubmit({ state: 'NODE_FAIL' }, {}, 0, 1)).toBe(true);
    expect(shouldResubmit({ state: 'PREEMPTED' }, {}, 0, 1)).toBe(true);
    expect(shouldResubmit({ state: 'COMPLETED', exitCode: 0 }, { preempted: { signal: 'SIGUSR1', step: 7, checkpoint: '/c' } }, 0, 1)).toBe(true);
    expect(shouldResubmit({ state: 'COMPLETED', exitCode: 0 }, {}, 0, 1)).toBe(false);
    expect(shouldResubmit({ state: 'CANCELLED' }, { preempted: { signal: 'SIGTERM', step: 7, checkpoint: '/c' } }, 0, 1)).toBe(false);
    expect(shouldResubmit({ state: 'FAILED', exitCode: 1 }, {}, 0, 3)).toBe(false);
    expect(shouldResubmit({ state: 'TIMEOUT' }, {}, 1, 1)).toBe(false); // no resubmissions left
  });
});

describe('failing rank', () => {
  it('names the SIGKILLed rank, not the peer that lost its connection', () => {
    const log = [
      'srun: error: vm: task 1: Killed',
      'srun: launch/slurm: _step_signal: Terminating StepId=198.0',
      'TRAINBENCH_EVENT {"event":"error","rank":0,"type":"RuntimeError","message":"[./gloo/transport/tcp/pair.cc:598] Connection closed by peer [127.0.0.1]:17824","exit_code":1}',
      'slurmstepd-vm: error: *** STEP 198.0 ON vm CANCELLED AT 2026-11-26T06:49:05 ***',
      'srun: error: vm: task 0: Exited with exit code 1',
    ].join('\n');
    expect(failingRank(log, { state: 'FAILED' })).toMatchObject({ rank: 1, cause: expect.stringMatching(/SIGKILL/) });
    // The other order, also seen: srun reports the casualty's exit before the killed rank.
    const raced = [
      'TRAINBENCH_EVENT {"event":"error","rank":0,"type":"RuntimeError","message":"[./gloo/transport/tcp/pair.cc:589] Read error [127.0.0.1]:7074: Connection reset by peer","exit_code":1}',
      'srun: error: vm: task 0: Exited with exit code 1',
      'srun: launch/slurm: _step_signal: Terminating StepId=326.0',
      'srun: error: vm: task 1: Killed',
    ].join('\n');
    expect(failingRank(raced, { state: 'FAILED' })).toMatchObject({ rank: 1, cause: expect.stringMatching(/SIGKILL/) });
  });

  it('names the rank of an error event and of an NCCL watchdog line', () => {
    const raised = 'TRAINBENCH_EVENT {"event":"error","rank":1,"type":"RuntimeError","message":"injected fault (TRAINBENCH_FAULT) at step 2 on rank 1","exit_code":1}\nsrun: error: vm: task 1: Exited with exit code 1';
    expect(failingRank(raised, { state: 'FAILED' })).toMatchObject({ rank: 1, cause: expect.stringMatching(/^RuntimeError: injected/) });
    const nccl = '[Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=7, OpType=ALLREDUCE, Timeout(ms)=600000) ran for 600012 milliseconds before timing out.';
    expect(failingRank(nccl, { state: 'FAILED' })).toMatchObject({ rank: 1, cause: 'NCCL collective timed out' });
    expect(failingRank('', { state: 'FAILED', detail: 'rank 3', exitCode: 9 })).toMatchObject({ rank: 3, cause: 'exited first with code 9' });
    expect(failingRank('nothing', { state: 'FAILED' })).toBeUndefined();
  });
});
