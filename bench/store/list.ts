// How fast `results list` stays as the store grows, and what a commit costs with synchronous=FULL vs NORMAL.
// Run: node node_modules/vite-node/vite-node.mjs bench/store/list.ts [RUNS]   (fixed iteration counts, warm-up dropped)
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/adapters/store/index.ts';

const runs = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'tb-bench-store-'));
const file = join(dir, 'store.sqlite');
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${runs} runs`);

function time(label: string, iterations: number, fn: () => unknown) {
  for (let i = 0; i < 5; i++) fn(); // warm-up: statement cache, page cache
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / iterations;
  console.log(`${label.padEnd(44)} ${ms.toFixed(3)} ms/op  (${iterations} ops)`);
}

try {
  const store = openStore(file, { env: {} });
  const t0 = Date.now();
  const models = ['llama3-8b', 'llama3-70b', 'gpt3-175b', 'mixtral-8x7b'];
  for (let i = 0; i < runs; i++) {
    store.importRun({
      run: { name: `run-${i}`, model: models[i % 4]!, gpu: i % 3 ? 'H100-SXM' : 'A100-80GB', state: i % 7 ? 'COMPLETED' : 'FAILED' },
      steps: Array.from({ length: 20 }, (_, s) => ({ step: s + 1, timeS: 1 + s / 100, loss: 3 })),
      result: { tokensPerS: 1000 + ((i * 7919) % 50_000), mfu: ((i * 31) % 60) / 100, meanStepTimeS: 1 + (i % 10) / 10 },
    });
  }
  console.log(`importRun (run + 20 steps + result), FULL      ${((Date.now() - t0) / runs).toFixed(3)} ms/op  (${runs} ops)`);
  time('listRuns newest 50', 200, () => store.listRuns({ limit: 50 }));
  time('listRuns newest 50, offset 5000', 200, () => store.listRuns({ limit: 50, offset: Math.min(5000, runs - 50) }));
  time('listRuns --model llama3-8b', 200, () => store.listRuns({ model: 'llama3-8b', limit: 50 }));
  time('listRuns --state FAILED', 200, () => store.listRuns({ state: 'FAILED', limit: 50 }));
  time('listRuns --sort -tokens-per-s', 100, () => store.listRuns({ sort: '-tokens-per-s', limit: 50 }));
  time('listRuns --name "run-99" (substring)', 100, () => store.listRuns({ name: 'run-99', limit: 50 }));
  time('countRuns --model llama3-8b', 200, () => store.countRuns({ model: 'llama3-8b' }));
  store.close();

  // One small commit per op, as appendSteps does per batch: what FULL costs over NORMAL on this disk.
  for (const sync of ['FULL', 'NORMAL']) {
    const db = new Database(join(dir, `sync-${sync}.sqlite`));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync}`);
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    time(`one-row commit, WAL + synchronous=${sync}`, 500, () => insert.run('x'.repeat(100)));
    db.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
