// Crash safety with real processes: a writer is SIGKILLed at random moments, a reader works beside a live writer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './store.ts';
import type { Store } from './store.ts';
import { bundleWriter, startWriter as start } from './__tests__/writer-process.ts';
import type { WriterBundle } from './__tests__/writer-process.ts';

let bundle: WriterBundle;
beforeAll(() => {
  bundle = bundleWriter();
});
afterAll(() => bundle?.remove());

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const startWriter = (file: string, count?: number) => start(bundle.script, file, count);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every run has exactly the steps it was written with: a transaction is all there or not there. */
function assertWhole(store: Store) {
  const runs = store.listRuns({ limit: 10_000 });
  for (const run of runs) expect(store.countSteps(run.id), run.id).toBe((run.spec as { steps: number }).steps);
  return runs;
}

describe('store durability', () => {
  it('keeps every committed run whole when the writer is SIGKILLed at random moments (20 times)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tb-kill-'));
    const file = join(dir, 'store.sqlite');
    const committed = new Map<string, number>();
    for (let cycle = 0; cycle < 20; cycle++) {
      const writer = startWriter(file);
      // Every fifth kill lands during start-up (open, WAL recovery, migration); the others mid-write, half of them
      // after at least one commit was reported, so the check below always has committed runs to look for.
      if (cycle % 5 === 4) await sleep(Math.random() * 300);
      else {
        await (cycle % 2 ? writer.firstStored : writer.ready);
        await sleep(Math.random() * 200);
      }
      writer.proc.kill('SIGKILL');
      await writer.exited;
      for (const [id, steps] of writer.stored) committed.set(id, steps);

      const store = openStore(file, { env: {} });
      try {
        expect(store.integrityCheck()).toBe('ok');
        const runs = assertWhole(store);
        const present = new Set(runs.map((r) => r.id));
        for (const [id, steps] of committed) {
          expect(present.has(id), `run ${id} reported stored`).toBe(true);
          expect(store.countSteps(id)).toBe(steps);
        }
      } finally {
        store.close();
      }
    }
    expect(committed.size).toBeGreaterThanOrEqual(8);
  });

  it('lets a reader list runs while a writer commits (WAL): never blocked, never a half-written run', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tb-wal-'));
    const file = join(dir, 'store.sqlite');
    openStore(file, { env: {} }).close(); // create and migrate before the two processes race
    const writer = startWriter(file, 200);
    await writer.ready;
    const reader = openStore(file, { env: {} });
    let reads = 0;
    let last = 0;
    let done = false;
    void writer.exited.then(() => (done = true));
    try {
      while (!done) {
        const seen = reader.countRuns();
        expect(seen).toBeGreaterThanOrEqual(last);
        last = seen;
        assertWhole(reader);
        reads += 1;
        await sleep(5);
      }
      expect(await writer.exited).toBe(0);
      expect(reader.countRuns()).toBe(200);
      expect(reads).toBeGreaterThan(1);
    } finally {
      reader.close();
    }
  });

  it('lets two writer processes commit at once: the second waits for the lock, nothing is lost', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tb-2w-'));
    const file = join(dir, 'store.sqlite');
    openStore(file, { env: {} }).close();
    const writers = [startWriter(file, 100), startWriter(file, 100)];
    expect(await Promise.all(writers.map((w) => w.exited))).toEqual([0, 0]);
    const store = openStore(file, { env: {} });
    try {
      expect(store.countRuns()).toBe(200);
      assertWhole(store);
      for (const w of writers) for (const id of w.stored.keys()) expect(store.getRun(id)).toBeDefined();
    } finally {
      store.close();
    }
  });
});
