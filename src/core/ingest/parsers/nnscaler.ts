// nnScaler Trainer: tqdm postfix (`Epoch 0:  10%|█ | 100/1000 [02:03<18:27,  1.23s/it, train_loss=2.35, ...,
// train_wall=1.22, loss=2.35]`) or the logger line (`Epoch 0: 0100/1000 train_loss=2.345, ..., train_wall=41.120`).
// `train_wall` = seconds of one optimizer step, data loading excluded. Step = epoch * steps_per_epoch + idx. §7.
import { defineParser } from '../sink.ts';
import { isNonFinite, num } from '../text.ts';

const LINE = /Epoch (\d+):.*?\b(\d+)\/(\d+)\b/;
const KV = /\b(train_loss|lr|gnorm|train_wall)=([^\s,\]]+)/g;

export const nnscalerParser = defineParser({
  name: 'nnscaler',
  description: 'nnScaler Trainer (`Epoch 0: 100/1000 ... train_loss=x, lr=x, gnorm=x, train_wall=x`)',
  needles: ['train_wall='],
  detect: (head) => (head.some((l) => /Epoch \d+:/.test(l) && /train_wall=/.test(l)) ? 0.95 : 0),
  init: () => ({}),
  handle: (text, ctx) => {
    if (!text.includes('train_wall=')) return false;
    const m = LINE.exec(text);
    if (!m) return false;
    const f = new Map<string, string>();
    for (const kv of text.matchAll(KV)) f.set(kv[1]!, kv[2]!);
    const [epoch, idx, perEpoch] = [Number(m[1]), Number(m[2]), Number(m[3])];
    ctx.b.add({
      step: epoch * perEpoch + idx,
      line: ctx.line,
      epoch,
      stepTimeS: num(f.get('train_wall')),
      loss: num(f.get('train_loss')),
      nanLoss: isNonFinite(f.get('train_loss')) || undefined,
      lr: num(f.get('lr')),
      gradNorm: num(f.get('gnorm')),
    });
    return true;
  },
});
