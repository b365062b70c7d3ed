// Megatron-LM `training_log()` lines (printed by the LAST rank), incl. the Megatron-DeepSpeed variant with
// `samples per second`, `tokens per gpu per second (tgs)` and `TFLOPs`. FORMATS.md §1.
// `elapsed time per iteration (ms)` is the mean over the log interval; `interval` records how many steps.
import { defineParser } from '../sink.ts';
import type { SegmentContext } from '../sink.ts';
import { isNonFinite, num, pairs, scaled, timestamp } from '../text.ts';
import type { HeaderFacts } from '../types.ts';

const ITER = /\biteration\s+(\d+)\/\s*(\d+)\s*\|/;
const MEMORY = /\(after (\d+) iterations\) memory \(MB\).*?max allocated: ([\d.]+)/;
const SAVE = /saving checkpoint at iteration\s+(\d+)/;
const LOAD = /successfully loaded checkpoint from .* at iteration (\d+)/;
const VALID = /validation loss at (?:iteration (\d+) )?.*?\| lm loss value: ([^\s|]+)/;
const ARG = /^\s+(global_batch_size|micro_batch_size|seq_length|world_size|train_iters)\s\.{3,}\s(\d+)\s*$/;
const ARG_FIELD: Record<string, keyof HeaderFacts> = {
  global_batch_size: 'globalBatchSize', micro_batch_size: 'microBatchSize', seq_length: 'seqLen',
  world_size: 'worldSize', train_iters: 'totalSteps',
};
const MIB = 2 ** 20;

function sideLine(text: string, ctx: SegmentContext): boolean {
  const arg = ARG.exec(text);
  if (arg) {
    ctx.b.setHeader(ARG_FIELD[arg[1]!]!, Number(arg[2]));
    return true;
  }
  const mem = MEMORY.exec(text);
  if (mem) {
    ctx.b.annotate({ step: Number(mem[1]), line: ctx.line, peakMemoryBytes: Number(mem[2]) * MIB }, false);
    return true;
  }
  const save = SAVE.exec(text);
  if (save) {
    ctx.b.event({ line: ctx.line, event: 'checkpoint', data: { step: Number(save[1]) } });
    return true;
  }
  const load = LOAD.exec(text);
  if (load) {
    ctx.b.event({ line: ctx.line, event: 'resume', data: { step: Number(load[1]) } });
    ctx.b.setHeader('startStep', Number(load[1]));
    return true;
  }
  const val = VALID.exec(text);
  if (val) {
    const v = num(val[2]);
    if (v !== undefined) ctx.b.finalMetrics['validation lm loss'] = v;
    return true;
  }
  return false;
}

export const megatronParser = defineParser({
  name: 'megatron',
  description: 'Megatron-LM / Megatron-DeepSpeed (`iteration N/M | ... elapsed time per iteration (ms): x |`)',
  needles: ['iteration', 'global_batch_size', 'micro_batch_size', 'seq_length', 'world_size', 'train_iters', 'validation loss'],
  // Long preambles can push the first iteration line past the head: Megatron's argument dump is a weaker sign.
  detect: (head) =>
    head.some((l) => ITER.test(l) && l.includes('elapsed time per iteration'))
      ? 0.95
      : head.some((l) => l.includes('-------------------- arguments --------------------') || /^using world size: \d+, data-parallel size: /.test(l.trim()))
        ? 0.5
        : 0,
  init: () => ({ lastIter: undefined as number | undefined }),
  handle: (text, ctx, st) => {
    const it = ITER.exec(text);
    if (!it) return sideLine(text, ctx);
    const f = pairs(text.slice(it.index + it[0].length), /\s*\|\s*/, ': ');
    const iteration = Number(it[1]);
    const lossKey = f.has('lm loss') ? 'lm loss' : [...f.keys()].find((k) => / loss$/.test(k) && !/scale/.test(k));
    const lossRaw = lossKey === undefined ? undefined : f.get(lossKey);
    const skippedIterations = num(f.get('number of skipped iterations'));
    const ms = num(f.get('elapsed time per iteration (ms)'));
    const interval = st.lastIter !== undefined && iteration > st.lastIter ? iteration - st.lastIter : undefined;
    st.lastIter = iteration;
    ctx.b.setHeader('totalSteps', Number(it[2]));
    ctx.b.setHeader('globalBatchSize', num(f.get('global batch size')));
    ctx.b.setHeader('seqLen', num(f.get('actual seqlen')));
    if (skippedIterations) ctx.b.skippedSteps += skippedIterations;
    ctx.b.add({
      step: iteration,
      line: ctx.line,
      time: text.trimStart().startsWith('[') ? timestamp(text.slice(0, it.index)) : undefined,
      stepTimeS: scaled(ms, 1e-3),
      interval,
      loss: num(lossRaw),
      nanLoss: isNonFinite(lossRaw) || undefined,
      gradNorm: num(f.get('grad norm')),
      lr: num(f.get('learning rate')),
      consumedSamples: num(f.get('consumed samples')),
      tflopsPerGpu: num(f.get('throughput per GPU (TFLOP/s/GPU)') ?? f.get('TFLOPs')),
      samplesPerS: num(f.get('samples per second')),
      tokensPerSPerGpu: num(f.get('tokens per gpu per second (tgs)')),
      skippedIterations,
      nanIterations: num(f.get('number of nan iterations')),
      // Every iteration skipped (fp16 loss-scale search): Megatron drops the loss field from the line.
      skipped: (lossRaw === undefined && (skippedIterations ?? 0) > 0) || undefined,
    });
    return true;
  },
  // The first line has no previous one to measure its interval from: with a constant log interval it covers the
  // same number of iterations as the second (a first-iteration line, core_v0.16+, does not divide and stays 1).
  finish: (b) => {
    const [first, second] = b.steps;
    if (first && second?.interval && first.interval === undefined && first.step % second.interval === 0) {
      first.interval = second.interval;
    }
  },
});
