// `trainbench run`'s reliability options refused before anything is submitted; their effect on a real job is drilled
// by bench/faults (time limit + USR1, resubmit, watchdog, injected faults).
import { describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

describe('trainbench run reliability options', () => {
  it('refuses --signal-before without a time limit or not before it, and an unknown --on-hang', async () => {
    const a = await runCli(['run', '--signal-before', '60']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('signal-without-time-limit');
    const b = await runCli(['run', '--time-limit', '1', '--signal-before', '60']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('signal-after-time-limit');
    const c = await runCli(['run', '--on-hang', 'ignore']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('unknown-hang-action');
    const d = await runCli(['run', '--resubmit', '-1']);
    expect(d.code).toBe(2);
  });
});
