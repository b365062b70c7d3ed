// torchtitan MetricsProcessor lines: `step: 14  loss:  3.24405  grad_norm:  0.8319  memory:  9.46GiB(64.99%)
// tps: 7,282  tflops: 0.52  mfu: 0.17%` (older: `wps:`). No step time is printed: it is derived from the logging
// timestamps (Δtime / Δstep, an interval mean). FORMATS.md §4.
import { defineParser } from '../sink.ts';
import { isNonFinite, num, scaled, timestamp } from '../text.ts';

const STEP = /(?<!validate )\bstep:\s*(\d+)\s+loss:\s*(\S+)/;
const field = (text: string, re: RegExp) => num(re.exec(text)?.[1]);
const GIB = 2 ** 30;

export const torchtitanParser = defineParser({
  name: 'torchtitan',
  description: 'torchtitan (`step: N  loss: x  memory: xGiB  tps: n  tflops: x  mfu: x%`)',
  needles: ['step:', 'Peak FLOPS', 'Training starts'],
  detect: (head) => (head.some((l) => STEP.test(l) && /\b(tps|wps): [\d,]+/.test(l)) ? 0.95 : 0),
  init: () => ({ prev: undefined as { step: number; time: number } | undefined }),
  handle: (text, ctx, st) => {
    const peak = /Peak FLOPS used for computing MFU: ([\d.e+]+)/.exec(text);
    if (peak) {
      ctx.b.setHeader('peakFlopsPerGpu', num(peak[1]));
      return true;
    }
    const start = /Training starts at step (\d+)/.exec(text);
    if (start) {
      ctx.b.setHeader('startStep', Number(start[1]));
      return true;
    }
    const m = STEP.exec(text);
    if (!m) return false;
    const step = Number(m[1]);
    const time = timestamp(text.slice(0, m.index));
    let stepTimeS: number | undefined;
    let interval: number | undefined;
    if (time !== undefined && st.prev && step > st.prev.step && time > st.prev.time) {
      interval = step - st.prev.step;
      // Timestamps have millisecond resolution: round away the float noise of subtracting 1.7e9-sized numbers.
      stepTimeS = Math.round(((time - st.prev.time) / (step - st.prev.step)) * 1e6) / 1e6;
    }
    if (time !== undefined) st.prev = { step, time };
    const mem = field(text, /memory:\s*([\d.]+)GiB/);
    const mfu = field(text, /mfu:\s*([\d.]+)%/);
    ctx.b.add({
      step,
      line: ctx.line,
      time,
      stepTimeS,
      interval,
      loss: num(m[2]),
      nanLoss: isNonFinite(m[2]) || undefined,
      gradNorm: field(text, /grad_norm:\s*(\S+)/),
      peakMemoryBytes: mem === undefined ? undefined : mem * GIB,
      tokensPerSPerGpu: field(text, /\b(?:tps|wps):\s*([\d,]+)/),
      tflopsPerGpu: field(text, /tflops:\s*([\d,.]+)/),
      engineMfu: scaled(mfu, 1e-2),
    });
    if (time === undefined) ctx.b.warn('torchtitan lines without timestamps: no step time can be derived');
    return true;
  },
});
