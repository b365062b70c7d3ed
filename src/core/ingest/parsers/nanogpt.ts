// nanoGPT train.py: `iter 120: loss 3.9748, time 562.18ms, mfu 15.34%` — time is this one iteration (includes
// eval/checkpoint at eval_interval); mfu is an EMA vs A100 312 TFLOPS and -100% for the first 5 iterations. §5.
import { defineParser } from '../sink.ts';
import { isNonFinite, num, scaled, timestamp } from '../text.ts';

const ITER = /\biter (\d+): loss (\S+), time ([\d.]+)ms(?:, mfu (-?[\d.]+)%)?/;

export const nanogptParser = defineParser({
  name: 'nanogpt',
  description: 'nanoGPT (`iter N: loss x, time yms, mfu z%`)',
  needles: ['iter ', 'tokens per iteration'],
  detect: (head) => (head.some((l) => ITER.test(l)) ? 0.9 : 0),
  init: () => ({}),
  handle: (text, ctx) => {
    const tpi = /tokens per iteration will be: ([\d,]+)/.exec(text);
    if (tpi) {
      ctx.b.setHeader('tokensPerIteration', num(tpi[1]));
      return true;
    }
    const m = ITER.exec(text);
    if (!m) return false;
    const loss = m[2]!.replace(/,$/, '');
    const ms = num(m[3]);
    const mfu = num(m[4]);
    ctx.b.add({
      step: Number(m[1]),
      line: ctx.line,
      time: m.index > 0 ? timestamp(text.slice(0, m.index)) : undefined,
      stepTimeS: scaled(ms, 1e-3),
      loss: num(loss),
      nanLoss: isNonFinite(loss) || undefined,
      engineMfu: mfu !== undefined && mfu >= 0 ? scaled(mfu, 1e-2) : undefined,
    });
    return true;
  },
});
