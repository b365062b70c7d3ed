// DeepSpeed: ThroughputTimer lines (`epoch=0/micro_step=10/global_step=10, RunningAvgSamplesPerSec=..,
// CurrSamplesPerSec=.., MemAllocated=..GB, MaxMemAllocated=..GB`, rank 0), progress lines (`step=20, skipped=17`,
// cumulative), pipeline lines (`steps: N loss: x iter time (s): y samples/sec: z`). Step time = global batch /
// CurrSamplesPerSec once the global batch is known (Megatron/HF lines in the same log). Negative throughput (a real
// flops-profiler bug) is rejected. FORMATS.md §6.
import { defineParser } from '../sink.ts';
import type { SegmentContext } from '../sink.ts';
import { num } from '../text.ts';

const TIMER = /global_step=(\d+)/;
const PIPE = /steps: (\d+) loss: (\S+).*?iter time \(s\): ([\d.]+) samples\/sec: ([\d.]+)/;
const GIB = 2 ** 30;

function timerLine(text: string, ctx: SegmentContext): boolean {
  // Terminal wraps can put spaces inside the keys (`MemA          llocated`): read the line without whitespace.
  const flat = text.replace(/\s+/g, '');
  const m = TIMER.exec(flat);
  if (!m || !/SamplesPerSec=/.test(flat)) return false;
  const get = (key: string) => num(new RegExp(`[,/]${key}=([-\\d.e+]+)`).exec(flat)?.[1]);
  const maxMem = get('MaxMemAllocated');
  ctx.b.add({
    step: Number(m[1]),
    line: ctx.line,
    samplesPerS: get('CurrSamplesPerSec') ?? get('SamplesPerSec'),
    peakMemoryBytes: maxMem === undefined ? undefined : maxMem * GIB,
  });
  return true;
}

export const deepspeedParser = defineParser({
  name: 'deepspeed',
  description: 'DeepSpeed (`CurrSamplesPerSec=` timer lines, `step=N, skipped=K`, pipeline `iter time (s):`)',
  detect: (head) =>
    head.some((l) => /SamplesPerSec=/.test(l) || PIPE.test(l)) ? 0.85 : head.some((l) => /\[Rank 0\] step=\d+, skipped=/.test(l)) ? 0.7 : 0,
  init: () => ({}),
  handle: (text, ctx) => {
    if (timerLine(text, ctx)) return true;
    const progress = /\bstep=(\d+), skipped=(\d+)/.exec(text);
    if (progress) {
      ctx.b.skippedSteps = Math.max(ctx.b.skippedSteps, Number(progress[2]));
      ctx.b.annotate({ step: Number(progress[1]), line: ctx.line, lr: num(/lr=\[([^,\]]+)/.exec(text)?.[1]) });
      return true;
    }
    const pipe = PIPE.exec(text);
    if (pipe) {
      ctx.b.add({ step: Number(pipe[1]), line: ctx.line, loss: num(pipe[2]), stepTimeS: num(pipe[3]), samplesPerS: num(pipe[4]) });
      return true;
    }
    const gbs = /global batch size:\s*(\d+)|Total train batch size \(.*\) = ([\d,]+)|"train_batch_size":\s*(\d+)/.exec(text);
    if (gbs) {
      ctx.b.setHeader('globalBatchSize', num(gbs[1] ?? gbs[2] ?? gbs[3]));
      return true;
    }
    const world = /^world size:\s+(\d+)/.exec(text);
    if (world) {
      ctx.b.setHeader('worldSize', Number(world[1]));
      return true;
    }
    const sps = /^samples\/second:\s+(\S+)/.exec(text);
    if (sps) {
      const v = num(sps[1]);
      if (v === undefined || !(v > 0)) ctx.b.warn(`rejected flops-profiler samples/second = ${sps[1]} (must be > 0)`);
      return true;
    }
    if (text.includes('OVERFLOW! Rank 0 Skipping step')) return true;
    return false;
  },
  finish: (b) => {
    const gbs = b.header.globalBatchSize;
    let derived = false;
    for (const s of b.steps) {
      if (s.stepTimeS === undefined && s.samplesPerS !== undefined && gbs !== undefined) {
        s.stepTimeS = gbs / s.samplesPerS;
        derived = true;
      }
    }
    if (derived) b.warn(`step time = global batch ${gbs} / CurrSamplesPerSec (DeepSpeed timed region, data loading excluded)`);
    else if (b.steps.some((s) => s.samplesPerS !== undefined)) {
      b.warn('global batch size not stated in the log: no step time from samples/s (pass --gbs)');
    }
  },
});
