// NeMo 2 step lines read from the bytes (fast/nemo2-bytes.ts), as numeric rows: the same records as the text path
// (nemo2-fields.ts), made from the numbers. Row layout: index, step, epoch, step time, loss, lr, grad norm, consumed
// samples, peak memory, TFLOPS, tokens/s/GPU, total (-1: `?`), peak GiB, GBS; NaN = absent. The scanner only makes
// rows whose values pass the builder's checks, so they are added without re-checking.
import type { SegmentContext } from '../sink.ts';
import type { StepRecord } from '../types.ts';
import { ROW_STRIDE } from '../fast/scan-range.ts';
import { finishStep, stepLineFacts } from './nemo2-fields.ts';
import type { Nemo2State } from './nemo2-fields.ts';

const GIB = 2 ** 30;
const opt = (x: number) => (x === x ? x : undefined);

/** One row (line number ctx.line). */
export function applyNemo2Row(r: Float64Array, o: number, ctx: SegmentContext, st: Nemo2State): void {
  const store = ctx.b.rowStore();
  if (store) {
    stepLineFacts(ctx.b, r[o + 11]!, r[o + 13]!);
    st.counted = r[o + 1]!;
    ctx.b.addRows(store, r, o, o + ROW_STRIDE, ctx.line - 1 - r[o]!);
    return;
  }
  const rec: StepRecord = {
    step: r[o + 1]!,
    line: ctx.line,
    epoch: r[o + 2]!,
    stepTimeS: opt(r[o + 3]!),
    loss: opt(r[o + 4]!),
    lr: opt(r[o + 5]!),
    gradNorm: opt(r[o + 6]!),
    consumedSamples: opt(r[o + 7]!),
    peakMemoryBytes: opt(r[o + 8]!),
    tflopsPerGpu: opt(r[o + 9]!),
    tokensPerSPerGpu: opt(r[o + 10]!),
  };
  finishStep(ctx.b, st, rec, r[o + 11]!, opt(r[o + 12]!), r[o + 13]!, true);
}

/**
 * Rows [from, to) (offsets into r) of one range, no other line between them: row k is at line lineBase + index + 1.
 * Once the header facts a row can state are known, the rest go to the row store in one call.
 */
export function applyNemo2Rows(r: Float64Array, from: number, to: number, lineBase: number, ctx: SegmentContext, st: Nemo2State): void {
  const b = ctx.b;
  // Rows up to the first one that states a header fact not known yet go one by one (facts keep their order).
  let until = from - ROW_STRIDE;
  const unknownTotal = b.header.totalSteps === undefined;
  const unknownGbs = b.header.globalBatchSize === undefined;
  for (let q = from; q < to && (unknownTotal || unknownGbs); q += ROW_STRIDE) {
    if ((unknownTotal && r[q + 11]! >= 0) || (unknownGbs && r[q + 13] === r[q + 13])) until = q;
    if ((!unknownTotal || r[q + 11]! >= 0) && (!unknownGbs || r[q + 13] === r[q + 13])) break;
  }
  let o = from;
  for (; o < to && (o <= until || !b.rowStore()); o += ROW_STRIDE) {
    ctx.line = lineBase + r[o]! + 1;
    applyNemo2Row(r, o, ctx, st);
  }
  if (o >= to) return;
  st.counted = r[to - ROW_STRIDE + 1]!;
  b.addRows(b.rowStore()!, r, o, to, lineBase);
}
