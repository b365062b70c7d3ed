// A writer process for the durability tests: stores runs in a loop through the real store and prints
// `stored <id> <steps>` after each commit. The test kills it at random moments and checks what survived.
import { writeSync } from 'node:fs';
import { openStore } from '../store.ts';

const [file, countArg] = process.argv.slice(2);
if (!file) throw new Error('usage: writer-child.ts STORE_FILE [COUNT]');
const count = Number(countArg ?? Infinity);
const store = openStore(file, { env: {} });
writeSync(1, 'ready\n');
for (let i = 0; i < count; i++) {
  const steps = 100 + Math.floor(Math.random() * 100);
  const run = store.importRun({
    run: { name: `kill-test-${process.pid}-${i}`, model: 'llama3-8b', gpu: 'H100-SXM', spec: { steps } },
    steps: Array.from({ length: steps }, (_, s) => ({ step: s + 1, timeS: 1 + s / 1000, loss: 10 - s / 100 })),
    result: { stepTime: { mean: 1.1 }, tokensPerS: 1000 + i },
    telemetry: Array.from({ length: 8 }, (_, g) => ({ source: 'dmon', node: 'n1', gpu: g, ts: i, utilPct: 90 })),
  });
  // Synchronous write: the line leaves before the next transaction starts.
  writeSync(1, `stored ${run.id} ${steps}\n`);
}
store.close();
