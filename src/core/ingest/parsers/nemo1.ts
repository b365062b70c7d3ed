// NeMo 1 (Lightning TQDM / MegatronProgressBar): `Epoch 0: :  47%|████▋ | 7/15 [06:19<07:13, reduced_train_loss=11.50,
// global_step=5.000, consumed_samples=12288.0, train_step_timing in s=49.50]`. Values carry 3 significant digits.
// The step is the bar's n (completed steps, 1-based; global_step is rounded to 3 digits so it cannot be used).
import { defineParser } from '../sink.ts';
import { num } from '../text.ts';
import { handleNemo2, nemo2State } from './nemo2-fields.ts';
import { EpochOffset, readBar } from './tqdm.ts';

const EPOCH = /(?:^|[^A-Za-z])Epoch (\d+)\b/;

export const nemo1Parser = defineParser({
  name: 'nemo1',
  description: 'NeMo 1 / PyTorch Lightning progress bar (`Epoch 0: ... train_step_timing in s=5.900`)',
  needles: ['Epoch ', 'train_step_timing'],
  detect: (head) =>
    head.some((l) => /(train_step_timing in s=|reduced_train_loss=)/.test(l) && /Epoch \d+/.test(l) && readBar(l) !== undefined)
      ? 0.9
      : 0,
  init: () => ({ offset: new EpochOffset(), nemo2: nemo2State() }),
  handle: (text, ctx, st) => {
    if (text.includes('Step ') && text.includes('train_step_timing in s=')) return handleNemo2(text, ctx, st.nemo2);
    const epoch = EPOCH.exec(text);
    if (!epoch || /Validation|Sanity Checking|Testing|Predicting/.test(text.slice(0, epoch.index + 1))) return false;
    const bar = readBar(text.slice(epoch.index));
    if (!bar) return false;
    const p = bar.postfix;
    let stepTimeS = num(p.get('train_step_timing in s'));
    if (stepTimeS === undefined && !p.has('train_step_timing in s') && bar.rateS !== undefined) {
      stepTimeS = bar.rateS;
      ctx.b.warn('no train_step_timing on the bar: step time taken from the tqdm rate (smoothed)');
    }
    if (bar.total !== undefined) ctx.b.setHeader('totalSteps', bar.total);
    ctx.b.add({
      step: st.offset.step(Number(epoch[1]), bar.n),
      line: ctx.line,
      epoch: Number(epoch[1]),
      stepTimeS,
      loss: num(p.get('reduced_train_loss') ?? p.get('loss')),
      consumedSamples: num(p.get('consumed_samples')),
      tokensPerSPerGpu: num(p.get('tokens_per_sec_per_gpu')),
      peakMemoryBytes: num(p.get('max_memory_reserved') ?? p.get('max_memory_allocated')),
    });
    return true;
  },
});
