// NeMo 2 ProgressPrinter lines (`Training epoch E, iteration i/N | key: value | ...`) and DeltaTimingCallback lines
// (`Step n: train_step_timing in s=dt`); shared by the nemo2 and workload parsers. FORMATS.md §2.
import type { SeriesBuilder } from '../builder.ts';
import type { SegmentContext } from '../sink.ts';
import { num } from '../text.ts';
import { keyTable, numAt, scanPipeSpans } from './pipe-fields.ts';
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
const TABLE = keyTable(KEYS);
// Value bounds of the current line, reused (one line is parsed at a time).
const starts = new Int32Array(KEYS.length);
const ends = new Int32Array(KEYS.length);
/** The first present value among these key indices (as `v[a] ?? v[b]` on strings would pick). */
const first = (text: string, a: number, b = a, c = b): number | undefined => {
  const k = starts[a]! >= 0 ? a : starts[b]! >= 0 ? b : c;
  return numAt(text, starts[k]!, ends[k]!);
};

// The head of the current line (`Training epoch E, iteration I/N`), reused; total -1 stands for `?`.
const H = { end: 0, epoch: 0, iteration: 0, total: -1 };
const PREFIX = 'Training epoch ';
let digitValue = 0;

/** Reads 1 to 15 digits at i into digitValue; returns the index after them, or -1. */
function digitsAt(text: string, i: number): number {
  const from = i;
  let v = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  if (i === from || i - from > 15) return -1;
  digitValue = v;
  return i;
}

/** HEAD at the line's start, read without a regex match (no array, no strings); false sends it to the regex. */
function fastHead(text: string): boolean {
  if (!text.startsWith(PREFIX)) return false;
  let i = digitsAt(text, PREFIX.length);
  if (i < 0 || !text.startsWith(', iteration ', i)) return false;
  H.epoch = digitValue;
  i = digitsAt(text, i + 12);
  if (i < 0 || text.charCodeAt(i) !== 47) return false;
  H.iteration = digitValue;
  if (text.charCodeAt(i + 1) === 63) {
    H.total = -1;
    H.end = i + 2;
    return true;
  }
  i = digitsAt(text, i + 1);
  if (i < 0) return false;
  H.total = digitValue;
  H.end = i;
  return true;
}

function regexHead(text: string): boolean {
  const m = HEAD.exec(text);
  if (!m) return false;
  H.end = m.index + m[0].length;
  H.epoch = Number(m[1]);
  H.iteration = Number(m[2]);
  H.total = m[3] === '?' ? -1 : Number(m[3]);
  return true;
}

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
  const head = isHead && (fastHead(text) || regexHead(text));
  if (!head && !text.includes('train_step_timing in s:') && !text.includes('reduced_train_loss:')) return false;
  scanPipeSpans(text, TABLE, head ? H.end : 0, starts, ends);
  const rec: StepRecord = {
    step: Number.NaN,
    line: ctx.line,
    epoch: head ? H.epoch : undefined,
    stepTimeS: first(text, 1),
    loss: first(text, 2, 3, 4),
    lr: first(text, 5),
    gradNorm: first(text, 6),
    consumedSamples: first(text, 7),
    peakMemoryBytes: first(text, 8, 9, 10),
    tflopsPerGpu: first(text, 11),
    tokensPerSPerGpu: first(text, 12),
  };
  const g = first(text, 0);
  if (g !== undefined && Number.isFinite(g)) rec.step = g;
  else if (head) rec.step = H.iteration;
  else {
    rec.step = Math.max(st.counted, ctx.b.last()?.step ?? -1) + 1;
    ctx.b.warn('NeMo 2 lines without global_step or iteration: steps were counted');
  }
  finishStep(ctx.b, st, rec, head ? H.total : -1, first(text, 13), starts[14]! >= 0 ? first(text, 14) : Number.NaN, false);
  return true;
}

/**
 * The header facts a step line states, kept from the first line that states each: the iteration total (-1 for `?`)
 * and global_batch_size (NaN or undefined when the line has none).
 */
export function stepLineFacts(b: SeriesBuilder, total: number, gbs: number | undefined): void {
  if (total >= 0 && b.header.totalSteps === undefined) b.setHeader('totalSteps', total + 1);
  // setHeader keeps only a finite value > 0: an absent (NaN, undefined) GBS changes nothing.
  if (b.header.globalBatchSize === undefined) b.setHeader('globalBatchSize', gbs);
}

/** What every NeMo 2 step line does once its fields are read: the text path above and the byte rows share it. */
export function finishStep(b: SeriesBuilder, st: Nemo2State, rec: StepRecord, total: number, gib: number | undefined, gbs: number | undefined, validated: boolean): void {
  st.counted = rec.step;
  // progress_interval > 1: each line averages the steps since the previous one (FORMATS.md §2).
  const prev = b.last();
  if (prev && rec.step - prev.step > 1 && Number.isFinite(rec.step)) rec.interval = rec.step - prev.step;
  if (rec.peakMemoryBytes === undefined && gib !== undefined) rec.peakMemoryBytes = gib * GIB;
  stepLineFacts(b, total, gbs);
  if (validated) b.addValidated(rec);
  else b.add(rec);
}
