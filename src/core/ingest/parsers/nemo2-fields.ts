// NeMo 2 ProgressPrinter lines (`Training epoch E, iteration i/N | key: value | ...`) and DeltaTimingCallback lines
// (`Step n: train_step_timing in s=dt`); shared by the nemo2 and workload parsers. FORMATS.md §2.
import type { SegmentContext } from '../sink.ts';
import { fieldAfter, num } from '../text.ts';
import type { StepRecord } from '../types.ts';

const HEAD = /Training epoch (\d+), iteration (\d+)\/(\d+|\?)/;
const DELTA = /Step (\d+): train_step_timing in s=\s*([^\s,|]+)/;
const GIB = 2 ** 30;

export interface Nemo2State {
  counted: number;
}

export function nemo2State(): Nemo2State {
  return { counted: -1 };
}

/** Parses one NeMo 2 line; the step is `global_step` (0-based) when printed, else the iteration, else a count. */
export function handleNemo2(text: string, ctx: SegmentContext, st: Nemo2State): boolean {
  const delta = text.includes('Step ') ? DELTA.exec(text) : null;
  if (delta) {
    ctx.b.annotate({ step: Number(delta[1]), line: ctx.line, stepTimeS: num(delta[2]) });
    return true;
  }
  const head = text.includes('Training epoch') ? HEAD.exec(text) : null;
  if (!head && !text.includes('train_step_timing in s:') && !text.includes('reduced_train_loss:')) return false;
  const f = { get: (key: string) => fieldAfter(text, key) };
  const rec: StepRecord = { step: Number.NaN, line: ctx.line };
  const g = num(f.get('global_step'));
  if (g !== undefined && Number.isFinite(g)) rec.step = g;
  else if (head) rec.step = Number(head[2]);
  else {
    rec.step = Math.max(st.counted, ctx.b.last()?.step ?? -1) + 1;
    ctx.b.warn('NeMo 2 lines without global_step or iteration: steps were counted');
  }
  st.counted = rec.step;
  if (head) {
    rec.epoch = Number(head[1]);
    if (head[3] !== '?') ctx.b.setHeader('totalSteps', Number(head[3]) + 1);
  }
  rec.stepTimeS = num(f.get('train_step_timing in s'));
  rec.loss = num(f.get('reduced_train_loss') ?? f.get('train_loss') ?? f.get('loss'));
  rec.lr = num(f.get('lr'));
  rec.gradNorm = num(f.get('grad_norm'));
  rec.consumedSamples = num(f.get('consumed_samples'));
  rec.peakMemoryBytes = num(f.get('peak_memory_usage') ?? f.get('max_memory_reserved') ?? f.get('max_memory_allocated'));
  rec.tflopsPerGpu = num(f.get('TFLOPS_per_GPU'));
  rec.tokensPerSPerGpu = num(f.get('tokens_per_sec_per_gpu'));
  const gib = num(f.get('peak_memory_gib'));
  if (rec.peakMemoryBytes === undefined && gib !== undefined) rec.peakMemoryBytes = gib * GIB;
  ctx.b.setHeader('globalBatchSize', num(f.get('global_batch_size')));
  ctx.b.add(rec);
  return true;
}
