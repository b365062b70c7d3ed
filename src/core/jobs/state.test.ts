import { describe, expect, it } from 'vitest';
import { JOB_STATES, describeState, fromShellStatus, isTerminal, parseExitPair } from './state.ts';
import { describePendingReason, mapSlurmState } from './slurm-state.ts';

describe('job state', () => {
  it('knows which states are terminal', () => {
    expect(JOB_STATES.filter((s) => !isTerminal({ state: s, exitCode: 0 } as never))).toEqual(['PENDING', 'RUNNING']);
  });

  it('splits exit pairs and shell statuses', () => {
    expect(parseExitPair('3:0')).toEqual({ exitCode: 3 });
    expect(parseExitPair('0:15')).toEqual({ exitCode: 0, signal: 15 });
    expect(parseExitPair('junk')).toEqual({});
    expect(fromShellStatus(143)).toEqual({ signal: 15 });
    expect(fromShellStatus(1)).toEqual({ exitCode: 1 });
  });

  it('describes states for humans', () => {
    expect(describeState({ state: 'FAILED', exitCode: 3, reason: 'boom' })).toBe('FAILED (exit 3): boom');
    expect(describeState({ state: 'COMPLETED', exitCode: 0 })).toBe('COMPLETED');
  });
});

describe('Slurm state mapping', () => {
  it.each([
    ['COMPLETING', 'RUNNING'],
    ['CONFIGURING', 'PENDING'],
    ['REQUEUED', 'PENDING'],
    ['BOOT_FAIL', 'NODE_FAIL'],
    ['DEADLINE', 'TIMEOUT'],
    ['OUT_OF_MEMORY', 'OUT_OF_MEMORY'],
    ['PREEMPTED', 'PREEMPTED'],
    ['CANCELLED+', 'CANCELLED'],
    ['SPECIAL_EXIT', 'FAILED'],
  ])('%s -> %s', (slurm, ours) => {
    expect(mapSlurmState({ state: slurm }).state).toBe(ours);
  });

  it('reports a state it does not know instead of guessing', () => {
    expect(mapSlurmState({ state: 'WEIRD' })).toMatchObject({ state: 'FAILED', detail: 'WEIRD' });
  });

  it('explains pending reasons and flags the ones that never start', () => {
    expect(describePendingReason('DependencyNeverSatisfied').stuck).toBe(true);
    expect(describePendingReason('Resources').stuck).toBe(false);
    expect(describePendingReason('SomethingNew')).toEqual({ text: 'SomethingNew', stuck: false });
  });
});
