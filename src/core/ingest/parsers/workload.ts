// The reference workload: NeMo-2-style step lines plus `TRAINBENCH_EVENT {json}` lines. Events are kept whole;
// `step` events add their wall-clock time to the step, `start` events may state the run's shape.
import { defineParser } from '../sink.ts';
import type { SegmentContext } from '../sink.ts';
import { num } from '../text.ts';
import type { HeaderFacts } from '../types.ts';
import { handleNemo2, nemo2State } from './nemo2-fields.ts';
import { applyNemo2Row, applyNemo2Rows } from './nemo2-rows.ts';
import type { Nemo2State } from './nemo2-fields.ts';

const PREFIX = 'TRAINBENCH_EVENT ';
// Event keys that state header facts, in the spellings the workload and engines use.
const HEADER_KEYS: Record<string, keyof HeaderFacts> = {
  global_batch_size: 'globalBatchSize', global_batch: 'globalBatchSize', gbs: 'globalBatchSize',
  micro_batch_size: 'microBatchSize', micro_batch: 'microBatchSize', grad_accum: 'gradientAccumulation',
  seq_len: 'seqLen', seq_length: 'seqLen', world_size: 'worldSize', steps: 'totalSteps', max_steps: 'totalSteps',
  resumed_from: 'startStep', flops_per_token: 'flopsPerToken', trainable_params: 'trainableParams',
};

function handleEvent(text: string, ctx: SegmentContext): boolean {
  const at = text.indexOf(PREFIX);
  if (at < 0) return false;
  let data: unknown;
  try {
    data = JSON.parse(text.slice(at + PREFIX.length));
  } catch {
    ctx.b.warn('a TRAINBENCH_EVENT line did not hold valid JSON');
    return false;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const obj = data as Record<string, unknown>;
  const event = typeof obj.event === 'string' ? obj.event : 'unknown';
  ctx.b.event({ line: ctx.line, event, data: obj });
  // Only the start event states the run's shape (the end event's `steps` is the count completed).
  if (event === 'start') {
    for (const [key, field] of Object.entries(HEADER_KEYS)) {
      if (typeof obj[key] === 'number') ctx.b.setHeader(field, obj[key]);
    }
  }
  if (event === 'step' && typeof obj.step === 'number') {
    ctx.b.annotate({
      step: obj.step,
      line: ctx.line,
      time: typeof obj.time === 'number' ? obj.time : undefined,
      stepTimeS: num(String(obj.step_time_s ?? '')),
      loss: typeof obj.loss === 'number' ? obj.loss : undefined,
    });
  }
  if (event === 'end' && typeof obj.status === 'string') ctx.b.finalMetrics.status = obj.status;
  return true;
}

export const workloadParser = defineParser<Nemo2State>({
  name: 'workload',
  description: 'trainbench reference workload (NeMo-2-style lines + TRAINBENCH_EVENT JSON)',
  needles: ['Training epoch', 'train_step_timing', 'reduced_train_loss', 'TRAINBENCH_EVENT'],
  detect: (head) => (head.some((l) => l.includes(PREFIX)) ? 1 : 0),
  init: nemo2State,
  handle: (text, ctx, st) => handleEvent(text, ctx) || handleNemo2(text, ctx, st),
  rows: { kind: 'nemo2', events: true },
  applyRow: applyNemo2Row,
  applyRows: applyNemo2Rows,
});
