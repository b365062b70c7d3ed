// Local-only behaviour the shared contract does not cover: time limits with the pre-limit signal, detachment, and a
// supervisor that vanished without writing its outcome.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobSpec } from '../../core/jobs/spec.ts';
import { createLocalExecutor } from './local.ts';
import { parseExitFile } from './local-supervisor.ts';

const root = mkdtempSync(join(tmpdir(), 'tb-local-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const executor = createLocalExecutor({ graceSeconds: 1 });
let n = 0;
const spec = (script: string, extra: Partial<JobSpec> = {}): JobSpec => ({
  name: 'x',
  runDir: join(root, `r${++n}`),
  nodes: 1,
  tasksPerNode: 2,
  command: ['bash', '-c', script],
  env: {},
  ...extra,
});

describe('local executor', () => {
  it('signals USR1 before the time limit, then ends the job as TIMEOUT', async () => {
    const h = await executor.submit(
      spec('trap "echo got-usr1" USR1; for i in $(seq 100); do sleep 0.1; done', {
        timeLimitMinutes: 2.5 / 60,
        signal: { name: 'USR1', secondsBefore: 1 },
      }),
    );
    expect(await executor.wait(h, { pollMs: 100 })).toEqual({ state: 'TIMEOUT' });
    expect(readFileSync(join(h.runDir, 'log-rank1.out'), 'utf8')).toContain('got-usr1');
  });

  it('runs detached: the supervisor leads its own session', async () => {
    const h = await executor.submit(spec('echo "$RANK $LOCAL_RANK $NODE_RANK $WORLD_SIZE $MASTER_ADDR $MY_VAR"', { env: { MY_VAR: 'v a l' } }));
    const stat = readFileSync(`/proc/${h.pid}/stat`, 'utf8');
    const sid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
    expect(sid).toBe(h.pid);
    expect(await executor.wait(h, { pollMs: 100 })).toEqual({ state: 'COMPLETED', exitCode: 0 });
    expect(readFileSync(join(h.runDir, 'log-rank1.out'), 'utf8')).toBe('1 1 0 2 127.0.0.1 v a l\n');
    // The value travelled through the environment, not the script.
    expect(readFileSync(join(h.runDir, 'supervisor.sh'), 'utf8')).not.toContain('v a l');
  });

  it('reports a supervisor that died without an outcome as FAILED', async () => {
    const h = await executor.submit(spec('sleep 30'));
    // Wait for both PIDs: an empty file read too early is Number('') = 0, and kill(-0) would signal this test's own
    // process group (the whole test run).
    const pidOf = (r: number) => Number(existsSync(join(h.runDir, `rank${r}.pid`)) ? readFileSync(join(h.runDir, `rank${r}.pid`), 'utf8').trim() : '');
    while (![0, 1].every((r) => pidOf(r) > 0)) await new Promise((r) => setTimeout(r, 50));
    const ranks = [0, 1].map(pidOf);
    process.kill(h.pid!, 'SIGKILL');
    for (const pid of ranks) process.kill(-pid, 'SIGKILL'); // clean up the orphaned ranks (their own groups)
    const state = await executor.wait(h, { pollMs: 100 });
    expect(state).toMatchObject({ state: 'FAILED', reason: expect.stringContaining('without recording an outcome') });
  });

  it('reads job.exit', () => {
    expect(parseExitFile('state=FAILED\nrank=1\nstatus=143\n')).toEqual({ state: 'FAILED', rank: 1, status: 143 });
    expect(parseExitFile('state=COMPLETED\nrank=\nstatus=\n')).toEqual({ state: 'COMPLETED' });
  });
});
