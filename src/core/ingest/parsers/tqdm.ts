// tqdm progress-bar states: `47%|████▋     | 7/15 [06:19<07:13, 1.23s/it, key=value, ...]`. Shared by the NeMo 1,
// HF Trainer and nnScaler parsers. Lightning/tqdm postfix values are `{:.3g}`-style (`2e+3`, `5.900`).
import { num } from '../text.ts';

export interface BarState {
  /** Text before the percentage (tqdm desc), e.g. `Epoch 0: ` */
  desc: string;
  n: number;
  total: number | undefined;
  /** Seconds per iteration from the tqdm rate (`s/it`, or 1/`it/s`): an EMA, not one step. */
  rateS: number | undefined;
  postfix: Map<string, string>;
}

const BAR = /(\d{1,3})%\|[^|]*\|\s*(\d+)\/(\d+|\?)\s*\[([^\]]*)\]?/;

export function readBar(text: string): BarState | undefined {
  const m = BAR.exec(text);
  if (!m) return undefined;
  const inner = m[4] ?? '';
  const postfix = new Map<string, string>();
  let rateS: number | undefined;
  for (const piece of inner.split(/,\s*/)) {
    const eq = piece.indexOf('=');
    if (eq > 0) {
      postfix.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
      continue;
    }
    const r = /^\s*([\d.]+)\s*(s\/it|it\/s)\s*$/.exec(piece);
    const v = num(r?.[1]);
    if (r && v !== undefined && v > 0) rateS = r[2] === 's/it' ? v : 1 / v;
  }
  return {
    desc: text.slice(0, m.index),
    n: Number(m[2]),
    total: m[3] === '?' ? undefined : Number(m[3]),
    rateS,
    postfix,
  };
}

/** Keeps steps increasing across epochs: tqdm's n restarts at each epoch. */
export class EpochOffset {
  private epoch = -1;
  private offset = 0;
  private lastN = 0;

  step(epoch: number | undefined, n: number): number {
    if (epoch !== undefined && epoch > this.epoch) {
      if (this.epoch >= 0) this.offset += this.lastN;
      this.epoch = epoch;
    }
    this.lastN = n;
    return this.offset + n;
  }
}
