import { describe, expect, it } from 'vitest';
import { runCli } from './__tests__/run-cli.ts';

describe('cli shell', () => {
  it('prints help and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: trainbench');
  });

  it('rejects an unknown command with exit code 2', async () => {
    const r = await runCli(['no-such-command']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command');
  });
});
