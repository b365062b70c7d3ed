// HF Trainer start banner (`***** Running training *****` + `  Num examples = 1,000` ...) and end-of-run metrics
// (`***** train metrics *****` + `  train_runtime = 0:16:08.44` ...). FORMATS.md §3.
import type { SeriesBuilder } from '../builder.ts';
import { duration, num } from '../text.ts';
import type { HeaderFacts } from '../types.ts';

const BANNER: ReadonlyArray<[RegExp, keyof HeaderFacts]> = [
  [/Num examples = ([\d,]+)/, 'numExamples'],
  [/Num Epochs = ([\d,]+)/, 'numEpochs'],
  [/Instantaneous batch size per device = ([\d,]+)/, 'perDeviceBatchSize'],
  [/Total train batch size \(.*\) = ([\d,]+)/, 'globalBatchSize'],
  [/Gradient Accumulation steps = ([\d,]+)/, 'gradientAccumulation'],
  [/Total optimization steps = ([\d,]+)/, 'totalSteps'],
  [/Number of trainable parameters = ([\d,]+)/, 'trainableParams'],
];

export function bannerLine(text: string, b: SeriesBuilder): boolean {
  if (text.includes('***** Running training *****')) return true;
  for (const [re, key] of BANNER) {
    const m = re.exec(text);
    if (m) {
      b.setHeader(key, num(m[1]));
      return true;
    }
  }
  return false;
}

/** One `  key = value` line of a `***** train metrics *****` block; false when the block has ended. */
export function metricsLine(text: string, b: SeriesBuilder): boolean {
  const m = /^\s+(\w+)\s+=\s+(.+?)\s*$/.exec(text);
  if (!m) return false;
  b.finalMetrics[m[1]!] = finalValue(m[1]!, m[2]!);
  return true;
}

/** Final metric values: runtimes in seconds, `total_flos` back to FLOPs (printed as `int(v) >> 30` GF). */
export function finalValue(key: string, raw: string): number | string {
  if (key.endsWith('_runtime')) return duration(raw) ?? num(raw) ?? raw;
  const gf = /^(\d+)GF$/.exec(raw);
  if (gf) return Number(gf[1]) * 2 ** 30;
  return num(raw) ?? raw;
}
