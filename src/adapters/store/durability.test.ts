// Crash safety with real processes: a writer is SIGKILLed at random moments, a reader works beside a live writer.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './store.ts';
import type { Store } from './store.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const viteNode = join(root, 'node_modules/vite-node/vite-node.mjs');
const child = join(here, '__tests__/writer-child.ts');

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Writer {
  proc: ChildProcess;
  stored: Map<string, number>;
  ready: Promise<void>;
  exited: Promise<number | null>;
}

function startWriter(file: string, count?: number): Writer {
  const proc = spawn(process.execPath, [viteNode, child, file, ...(count ? [String(count)] : [])], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stored = new Map<string, number>();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  let buffer = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === 'ready') markReady();
      const m = /^stored (\S+) (\d+)$/.exec(line);
      if (m) stored.set(m[1]!, Number(m[2]));
    }
  });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return { proc, stored, ready, exited };
}

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
      // Most kills land mid-write; every fifth lands during start-up (open, WAL recovery, migration).
      if (cycle % 5 === 4) await sleep(Math.random() * 300);
      else {
        await writer.ready;
        await sleep(20 + Math.random() * 200);
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
    expect(committed.size).toBeGreaterThan(20);
  });

  it('lets a reader list runs while a writer commits (WAL): never blocked, never a half-written run', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tb-wal-'));
    const file = join(dir, 'store.sqlite');
    openStore(file, { env: {} }).close(); // create and migrate before the two processes race
    const writer = startWriter(file, 400);
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
      expect(reader.countRuns()).toBe(400);
      expect(reads).toBeGreaterThan(1);
    } finally {
      reader.close();
    }
  });
});
