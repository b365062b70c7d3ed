// status / logs / cancel end to end: real jobs on the local executor (plain bash ranks), run dirs under a temp home.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalExecutor } from '../../adapters/executors/local.ts';
import { createRunDir } from '../../adapters/rundir/index.ts';
import type { JobHandle } from '../../adapters/executors/types.ts';
import { runCli } from '../__tests__/run-cli.ts';

const home = mkdtempSync(join(tmpdir(), 'tb-jobcmd-'));
const env = { ...process.env, TRAINBENCH_HOME: home };
const executor = createLocalExecutor({ graceSeconds: 2 });
const handles: JobHandle[] = [];
afterAll(async () => {
  for (const h of handles) await executor.cancel(h);
  rmSync(home, { recursive: true, force: true });
});

const STEP = 'Training epoch 0, iteration $i/2 | reduced_train_loss: 1.0 | train_step_timing in s: 0.1';
async function submit(name: string, script: string): Promise<JobHandle> {
  const h = await executor.submit({ name, runDir: createRunDir(home, name), nodes: 1, tasksPerNode: 2, command: ['bash', '-c', script], env: {} });
  handles.push(h);
  return h;
}

describe('status, logs, cancel', () => {
  it('reports a completed job by run name, run dir and job id, with its step count', async () => {
    const h = await submit('steps', `for i in 0 1 2; do echo "${STEP}"; done; echo "rank $RANK of $WORLD_SIZE"`);
    await executor.wait(h, { pollMs: 100 });
    for (const ref of ['steps', h.runDir, h.jobId]) {
      const r = await runCli(['status', ref, '--json'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ runDir: h.runDir, state: { state: 'COMPLETED' }, steps: 3 });
    }
    const human = await runCli(['status', 'steps'], { env });
    expect(human.stdout).toMatch(/^state {2}COMPLETED$/m);
    expect(human.stdout).toMatch(/^steps {2}3$/m);
    const logs = await runCli(['logs', 'steps'], { env });
    expect(logs.stdout).toContain('rank 0 of 2');
    const rank1 = await runCli(['logs', 'steps', '--rank', '1', '-f'], { env });
    expect(rank1.stdout).toContain('rank 1 of 2');
    const bad = await runCli(['logs', 'steps', '--rank', '2'], { env });
    expect(bad.code).toBe(2);
  });

  it('reports a failed job with exit 0 and the reason', async () => {
    await executor.wait(await submit('boom', '[ "$RANK" = 1 ] && { echo "ValueError: rank one broke" >&2; exit 7; }; sleep 30'), { pollMs: 100 });
    const r = await runCli(['status', 'boom'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FAILED (exit 7, rank 1): ValueError: rank one broke');
  });

  it('follows a running job until it ends, and cancels one', async () => {
    const slow = await submit('slow', 'for i in 1 2 3; do echo "tick $i"; sleep 0.3; done');
    const followed = await runCli(['logs', slow.runDir, '-f'], { env });
    expect(followed.stdout).toBe('tick 1\ntick 2\ntick 3\n');
    await submit('forever', 'sleep 600');
    const c = await runCli(['cancel', 'forever'], { env });
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toBe('CANCELLED\n');
    const again = await runCli(['cancel', 'forever', '--json'], { env });
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyEnded: true, state: { state: 'CANCELLED' } });
  });

  it('names close runs for an unknown one', async () => {
    const r = await runCli(['status', 'stpes'], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("did you mean 'steps'");
  });
});
