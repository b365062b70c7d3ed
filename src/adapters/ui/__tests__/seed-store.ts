// Test helper: a results store in a temp dir holding runs made through the real store module, with steps timed in
// the minute the H200 telemetry fixtures were captured and that telemetry attached.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDmon, parseVmstat } from '../../../core/telemetry/index.ts';
import { openStore, telemetryFromCpu, telemetryFromGpu, type Store } from '../../store/index.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../../../fixtures/telemetry/${name}`, import.meta.url)), 'utf8');
const T0 = Date.parse('2026-11-26T04:53:30Z') / 1000;

export interface SeededStore {
  dir: string;
  file: string;
  store: Store;
  ids: { h200: string; scale16: string; scale32: string; running: string; empty: string };
  cleanup(): void;
}

export function seedStore(extraRuns = 0): SeededStore {
  const dir = mkdtempSync(join(tmpdir(), 'tb-ui-'));
  const file = join(dir, 'store.sqlite');
  const store = openStore(file, { env: {} });
  const steps = Array.from({ length: 80 }, (_, i) => ({ step: i + 1, timeS: 1 + (i % 7) * 0.01, loss: 10 - i * 0.05, timestamp: String(T0 + i + 1) }));
  const gpu = parseDmon(fixture('h200-dmon-pucvmet-DT.txt'), { utcOffsetHours: 0 }).samples;
  const cpu = parseVmstat(fixture('h200-host-vmstat-t.txt'), { utcOffsetHours: 0 }).samples;
  const result = (tps: number, mfu: number) => ({ window: { from: 9, to: 80 }, stepTimeS: 1.03, tokensPerS: tps, mfu, assumptions: ['peak 989 TFLOPS bf16 dense per GPU', 'window: steps 9..80'] });
  const base = { model: 'llama3-8b', gpu: 'H200', dtype: 'bf16', task: 'sft', engine: 'pytorch', state: 'COMPLETED' as const };
  // Real catalog recipe ids: one per GPU count of the seed's llama3-8b SFT BF16 family (published baselines).
  const recipe = (gpus: number) => ({ recipeId: `llama3-8b-sft-bf16-${gpus}gpu`, numGpus: gpus });
  const h200 = store.importRun({ run: { ...base, name: 'h200 8x sft', ...recipe(8), createdAt: '2026-11-26T05:00:00.000Z' }, steps, result: result(100_000, 0.55), telemetry: [...telemetryFromGpu(gpu, 'gpu01'), ...telemetryFromCpu(cpu, 'gpu01')] });
  const scale16 = store.importRun({ run: { ...base, name: 'h200 16x sft', ...recipe(16), createdAt: '2026-11-26T05:01:00.000Z' }, steps: steps.slice(0, 40), result: result(190_000, 0.52) });
  const scale32 = store.importRun({ run: { ...base, name: 'h200 32x sft', ...recipe(32), createdAt: '2026-11-26T05:02:00.000Z' }, steps: steps.slice(0, 20), result: result(360_000, 0.49) });
  const running = store.createRun({ name: 'live tiny run', state: 'RUNNING', model: 'gpt-tiny', gpu: 'cpu', numGpus: 1, createdAt: '2026-11-26T05:03:00.000Z' });
  store.appendSteps(running.id, steps.slice(0, 5));
  const empty = store.createRun({ name: 'queued <b>run</b>', state: 'PENDING', model: 'gpt-tiny', createdAt: '2026-11-26T05:04:00.000Z' });
  for (let i = 0; i < extraRuns; i++) {
    store.createRun({ name: `bulk run ${i}`, state: 'COMPLETED', model: i % 2 ? 'gpt-tiny' : 'llama3-8b', numGpus: 1 + (i % 4), createdAt: new Date(Date.parse('2026-11-25T00:00:00Z') + i * 1000).toISOString() });
  }
  return {
    dir, file, store,
    ids: { h200: h200.id, scale16: scale16.id, scale32: scale32.id, running: running.id, empty: empty.id },
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
