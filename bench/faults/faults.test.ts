// CI runs the fault suite's short mode: scancel, a USR1 preemption resumed from its checkpoint (loss compared with a
// reference run), a rank SIGKILLed, an injected CUDA OOM, trainbench itself SIGKILLed and reattached, and a purged job
// read back without accounting — all on the real single-host Slurm (skipped where it is not up).
import { describe, expect, it } from 'vitest';
import { runSuite, slurmUp } from './suite.ts';

describe('fault-injection suite (short mode)', () => {
  it('every fault ends as promised, nothing lost, nothing recorded twice', async (ctx) => {
    if (!slurmUp()) ctx.skip();
    const result = await runSuite({ short: true });
    expect(result.rows.length).toBeGreaterThanOrEqual(6);
    expect(result.failed, result.table).toBe(0);
    expect(result.summary).toMatch(/^\d+ passed, 0 failed/);
  }, 600_000);
});
