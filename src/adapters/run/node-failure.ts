// A job that ends NODE_FAIL names no node in its own state; the nodes Slurm marked down/failed at that moment do.
import { spawnSync } from 'node:child_process';
import type { JobState } from '../../core/jobs/state.ts';

export function failedNodes(slurmEnv: Record<string, string> = {}): string[] {
  const r = spawnSync('sinfo', ['-h', '-N', '-t', 'down,drain,fail,no_respond', '-o', '%N|%E'], {
    encoding: 'utf8',
    env: { ...process.env, ...slurmEnv },
    timeout: 30_000,
  });
  if (r.status !== 0) return [];
  return [...new Set(r.stdout.split('\n').filter(Boolean).map((l) => {
    const [node, reason] = l.split('|');
    return reason && reason !== 'none' ? `${node} (${reason})` : node!;
  }))];
}

export function withFailedNodes(state: JobState, slurmEnv?: Record<string, string>): JobState {
  if (state.state !== 'NODE_FAIL') return state;
  const nodes = failedNodes(slurmEnv);
  if (!nodes.length) return state;
  return { ...state, reason: `node failure: ${nodes.join(', ')}${state.reason ? ` [${state.reason}]` : ''}` };
}
