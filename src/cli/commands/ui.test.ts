import { describe, expect, it } from 'vitest';
import { seedStore } from '../../adapters/ui/__tests__/seed-store.ts';
import { runCli } from '../__tests__/run-cli.ts';

/** Runs `trainbench ui` in-process and stops it the way Ctrl-C does (the command listens for SIGINT). */
async function runUntilInterrupted(argv: string[]) {
  let done = false;
  const result = runCli(argv).finally(() => (done = true));
  while (!done) {
    await new Promise((r) => setTimeout(r, 150));
    process.emit('SIGINT');
  }
  return result;
}

describe('trainbench ui', () => {
  it('serves the store on a loopback port and stops on SIGINT', async () => {
    const seeded = seedStore();
    try {
      const r = await runUntilInterrupted(['ui', '--port', '0', '--store', seeded.file, '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toMatchObject({ host: '127.0.0.1', store: seeded.file, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) });
    } finally {
      seeded.cleanup();
    }
  });

  it('warns when told to bind a non-loopback address', async () => {
    const seeded = seedStore();
    try {
      const r = await runUntilInterrupted(['ui', '--port', '0', '--host', '0.0.0.0', '--home', seeded.dir]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^warning: binding 0\.0\.0\.0: anyone who can reach this address can read your results/);
      expect(r.stdout).toMatch(/^trainbench dashboard: http:\/\/127\.0\.0\.1:\d+\//);
    } finally {
      seeded.cleanup();
    }
  });

  it('rejects a bad port', async () => {
    expect((await runCli(['ui', '--port', 'x'])).code).toBe(2);
  });
});
