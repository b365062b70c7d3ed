// HF Trainer / LLaMA-Factory: tqdm bar (`50/1000 [01:23<26:17,  1.66s/it]`, step time = EMA of s/it), logging dicts
// (`{'loss': ...}`: loss attached to the bar's current step, or counted when there is no bar), the start banner,
// the final metrics (dict or `***** train metrics *****` block) and LLaMA-Factory `trainer_log.jsonl`
// (step time = Δelapsed_time / Δcurrent_steps, 1 s resolution).
import { defineParser } from '../sink.ts';
import type { SegmentContext } from '../sink.ts';
import { duration, num } from '../text.ts';
import { bannerLine, finalValue, metricsLine } from './hf-blocks.ts';
import { readPyDict } from './hf-dict.ts';
import { readBar } from './tqdm.ts';

interface HfState {
  barStep: number | undefined;
  dictCount: number;
  inMetrics: boolean;
  jsonl: { steps: number; elapsed: number } | undefined;
}

function jsonlLine(text: string, ctx: SegmentContext, st: HfState): boolean {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (typeof o !== 'object' || o === null || typeof o.current_steps !== 'number') return false;
  const step = o.current_steps;
  const elapsed = typeof o.elapsed_time === 'string' ? duration(o.elapsed_time) : undefined;
  let stepTimeS: number | undefined;
  if (elapsed !== undefined) {
    const prev = st.jsonl ?? { steps: 0, elapsed: 0 };
    if (step > prev.steps && elapsed > prev.elapsed) stepTimeS = (elapsed - prev.elapsed) / (step - prev.steps);
    st.jsonl = { steps: step, elapsed };
  }
  if (typeof o.total_steps === 'number') ctx.b.setHeader('totalSteps', o.total_steps);
  const n = (k: string) => (typeof o[k] === 'number' ? (o[k] as number) : undefined);
  ctx.b.add({
    step, line: ctx.line, stepTimeS, loss: n('loss'), lr: n('lr'), epoch: n('epoch'),
    tokensPerS: n('throughput'),
  });
  return true;
}

function dictLine(d: Map<string, string>, ctx: SegmentContext, st: HfState): boolean {
  if (d.has('train_runtime')) {
    for (const [k, v] of d) ctx.b.finalMetrics[k] = finalValue(k, v);
    return true;
  }
  if (!d.has('loss')) return false;
  const fields = {
    line: ctx.line, loss: num(d.get('loss')), gradNorm: num(d.get('grad_norm')),
    lr: num(d.get('learning_rate')), epoch: num(d.get('epoch')),
  };
  if (st.barStep !== undefined) ctx.b.annotate({ step: st.barStep, ...fields });
  else {
    st.dictCount += 1;
    ctx.b.add({ step: st.dictCount, ...fields });
    ctx.b.warn('HF logging lines carry no step number: steps are counted log lines, without step time');
  }
  return true;
}

export const hfParser = defineParser<HfState>({
  name: 'hf',
  description: 'HF Trainer / LLaMA-Factory (tqdm bar, {\'loss\': ...} dicts, trainer_log.jsonl)',
  detect: (head) => {
    if (head.some((l) => l.includes('"current_steps"'))) return 0.9;
    if (head.some((l) => l.includes('***** Running training *****') || l.includes('***** train metrics *****'))) return 0.8;
    if (head.some((l) => /\{'(loss|train_runtime)': /.test(l))) return 0.6;
    return head.some((l) => /\d+\/\d+ \[[\d:]+<[\d:?]+,\s+[\d.?]+(s\/it|it\/s)\]/.test(l)) ? 0.4 : 0;
  },
  init: () => ({ barStep: undefined, dictCount: 0, inMetrics: false, jsonl: undefined }),
  handle: (text, ctx, st) => {
    if (st.inMetrics) {
      if (metricsLine(text, ctx.b)) return true;
      st.inMetrics = false;
    }
    if (text.includes('***** train metrics *****')) {
      st.inMetrics = true;
      return true;
    }
    const t = text.trim();
    if (t.startsWith('{"')) return jsonlLine(t, ctx, st);
    const dict = readPyDict(t);
    if (dict) return dictLine(dict, ctx, st);
    if (bannerLine(text, ctx.b)) return true;
    const bar = readBar(text);
    if (!bar || /Epoch \d+/.test(bar.desc)) return false;
    // Evaluation bars have another total: the first total seen (or the banner's) is the training bar.
    const total = ctx.b.header.totalSteps ?? bar.total;
    if (bar.total !== total) return false;
    if (bar.total !== undefined) ctx.b.setHeader('totalSteps', bar.total);
    if (bar.n === 0) return true;
    st.barStep = bar.n;
    ctx.b.add({ step: bar.n, line: ctx.line, stepTimeS: bar.rateS });
    return true;
  },
});
