// Times the whole plan search for Llama 3.1 405B on 16,384 H100s (seq 8192, GBS 2048), pretrain, bf16.
// Goal: under one second. Run: npx vite-node bench/plan/search-405b.ts   (prints JSON: runs, median, max).
import { BUILTIN_GPUS } from '../../src/core/plan/hardware.ts';
import { searchPlans } from '../../src/core/plan/search.ts';

const input = {
  model: { layers: 126, hidden: 16384, ffn: 53248, heads: 128, kvHeads: 8, vocab: 128256 },
  hw: BUILTIN_GPUS.H100!,
  numGpus: 16384,
  seqLen: 8192,
  gbs: 2048,
  dtype: 'bf16' as const,
  task: 'pretrain' as const,
};

searchPlans(input); // warm-up (JIT)
const times: number[] = [];
let result = searchPlans(input);
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  result = searchPlans(input);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const best = result.ranked[0];
console.log(JSON.stringify({
  case: 'llama3.1-405b, 16384 x H100, seq 8192, gbs 2048, bf16 pretrain',
  considered: result.considered,
  invalid: result.invalid,
  out_of_memory: result.outOfMemory,
  fitting: result.ranked.length,
  runs: times.length,
  median_ms: Math.round(times[Math.floor(times.length / 2)]!),
  max_ms: Math.round(times[times.length - 1]!),
  goal_ms: 1000,
  best: best ? { plan: best.plan, step_time_s: best.time.step_time_s, mfu: best.time.mfu } : null,
}, null, 2));
