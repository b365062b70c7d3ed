// NeMo 2 ProgressPrinter lines (`Training epoch E, iteration i/N | key: value | ...`) and DeltaTimingCallback lines
// (`Step n: train_step_timing in s=dt`); shared by the nemo2 and workload parsers. FORMATS.md §2.
import type { SegmentContext } from '../sink.ts';
import { num } from '../text.ts';
import { scanPipeFields } from './pipe-fields.ts';
import type { StepRecord } from '../types.ts';

const HEAD = /Training epoch (\d+), iteration (\d+)\/(\d+|\?)/;
const DELTA = /Step (\d+): train_step_timing in s=\s*([^\s,|]+)/;
const GIB = 2 ** 30;
// The keys read; handleNemo2 reads the values by these indices.
const KEYS = [
  'global_step', 'train_step_timing in s', 'reduced_train_loss', 'train_loss', 'loss', 'lr', 'grad_norm',
  'consumed_samples', 'peak_memory_usage', 'max_memory_reserved', 'max_memory_allocated', 'TFLOPS_per_GPU',
  'tokens_per_sec_per_gpu', 'peak_memory_gib', 'global_batch_size',
] as const;

export interface Nemo2State {
  counted: number;
}

export function nemo2State(): Nemo2State {
  return { counted: -1 };
}

/** Parses one NeMo 2 line; the step is `global_step` (0-based) when printed, else the iteration, else a count. */
export function handleNemo2(text: string, ctx: SegmentContext, st: Nemo2State): boolean {
  const isHead = text.startsWith('Training epoch') || text.includes('Training epoch');
  const delta = !isHead && text.includes('Step ') ? DELTA.exec(text) : null;
  if (delta) {
    ctx.b.annotate({ step: Number(delta[1]), line: ctx.line, stepTimeS: num(delta[2]) });
    return true;
  }
  const head = isHead ? HEAD.exec(text) : null;
  if (!head && !text.includes('train_step_timing in s:') && !text.includes('reduced_train_loss:')) return false;
  const v = scanPipeFields(text, KEYS, head ? head.index + head[0].length : 0);
  const rec: StepRecord = {
    step: Number.NaN,
    line: ctx.line,
    epoch: head ? Number(head[1]) : undefined,
    stepTimeS: num(v[1]),
    loss: num(v[2] ?? v[3] ?? v[4]),
    lr: num(v[5]),
    gradNorm: num(v[6]),
    consumedSamples: num(v[7]),
    peakMemoryBytes: num(v[8] ?? v[9] ?? v[10]),
    tflopsPerGpu: num(v[11]),
    tokensPerSPerGpu: num(v[12]),
  };
  const g = num(v[0]);
  if (g !== undefined && Number.isFinite(g)) rec.step = g;
  else if (head) rec.step = Number(head[2]);
  else {
    rec.step = Math.max(st.counted, ctx.b.last()?.step ?? -1) + 1;
    ctx.b.warn('NeMo 2 lines without global_step or iteration: steps were counted');
  }
  st.counted = rec.step;
  // progress_interval > 1: each line averages the steps since the previous one (FORMATS.md §2).
  const prev = ctx.b.last();
  if (prev && rec.step - prev.step > 1 && Number.isFinite(rec.step)) rec.interval = rec.step - prev.step;
  if (head && head[3] !== '?' && ctx.b.header.totalSteps === undefined) ctx.b.setHeader('totalSteps', Number(head[3]) + 1);
  const gib = num(v[13]);
  if (rec.peakMemoryBytes === undefined && gib !== undefined) rec.peakMemoryBytes = gib * GIB;
  if (v[14] !== undefined && ctx.b.header.globalBatchSize === undefined) ctx.b.setHeader('globalBatchSize', num(v[14]));
  ctx.b.add(rec);
  return true;
}
