// Step series + run facts -> Result: step-time statistics over a stated window, tokens/s, MFU and days to train, with
// every assumption written next to the figures. Formulas are the seeds' (src/core/metrics).
import type { ParseOutput } from '../ingest/index.ts';
import { mfu, timeToTrainDays, tokensPerSecond } from '../metrics/index.ts';
import { stepTimeStats } from './stats.ts';
import type { StepTimeStats } from './stats.ts';
import { applyWindow, describeWindow } from './window.ts';
import type { Window } from './window.ts';

export interface RunFacts {
  seqLen?: number | undefined;
  gbs?: number | undefined;
  numGpus?: number | undefined;
  peakFlopsPerGpu?: number | undefined;
  /** Model FLOPs of one sample (one sequence), fwd+bwd. */
  flopsPerSample?: number | undefined;
  lora?: boolean | undefined;
  /** Tokens for the time-to-train figure (default 1e12, the seeds' "1T tokens"). */
  totalTokens?: number | undefined;
  dtype?: string | undefined;
  gpu?: string | undefined;
  model?: string | undefined;
  /** Why the GPU peak is unknown although a GPU was named (e.g. `cpu`: measured at run time). */
  peakMissingReason?: string | undefined;
  /** Where peakFlopsPerGpu / flopsPerSample / seq / gbs came from, printed as assumptions. */
  sources?: Partial<Record<'peak' | 'flops' | 'seqLen' | 'gbs' | 'numGpus', string>> | undefined;
}

export interface Result {
  window: { spec: Window; description: string; records: number; available: number; firstStep?: number; lastStep?: number };
  stepTime?: StepTimeStats | undefined;
  /** Figures from the mean step time of the window. */
  tokensPerS?: number | undefined;
  mfu?: number | undefined;
  daysToTrain?: number | undefined;
  totalTokens: number;
  facts: RunFacts;
  assumptions: string[];
  /** Why a figure is missing. */
  missing: string[];
}

export function summarize(series: Pick<ParseOutput, 'steps' | 'restarts'>, window: Window, facts: RunFacts = {}): Result {
  const w = applyWindow(series, window);
  const stats = stepTimeStats(w.steps);
  const totalTokens = facts.totalTokens ?? 1e12;
  const src = facts.sources ?? {};
  const assumptions = [`window: ${describeWindow(window)} (${w.steps.length} of ${w.available} timed records)`, ...w.notes];
  const missing: string[] = [];
  const result: Result = {
    window: {
      spec: window, description: describeWindow(window), records: w.steps.length, available: w.available,
      ...(w.steps.length ? { firstStep: w.steps[0]!.step, lastStep: w.steps[w.steps.length - 1]!.step } : {}),
    },
    stepTime: stats,
    totalTokens,
    facts,
    assumptions,
    missing,
  };
  if (!stats) {
    missing.push(w.available === 0 ? 'no step times in the log' : 'no timed steps inside the window');
    return result;
  }
  assumptions.push('step time = mean over the window (each record weighted by the steps it covers)');
  const { seqLen, gbs, numGpus, peakFlopsPerGpu, flopsPerSample } = facts;
  if (seqLen && gbs) {
    result.tokensPerS = tokensPerSecond(seqLen, gbs, stats.meanS);
    result.daysToTrain = timeToTrainDays(totalTokens, result.tokensPerS);
    assumptions.push(`tokens/s = seq ${seqLen}${tag(src.seqLen)} x GBS ${gbs}${tag(src.gbs)} / step time`);
  } else missing.push(`tokens/s needs ${[!seqLen && 'the sequence length (--seq)', !gbs && 'the global batch size (--gbs)'].filter(Boolean).join(' and ')}`);
  if (gbs && numGpus && peakFlopsPerGpu && flopsPerSample) {
    result.mfu = mfu({ flopsPerSample, gbs, stepTimeS: stats.meanS, numGpus, peakFlopsPerGpu, ...(facts.lora ? { lora: true } : {}) });
    assumptions.push(`peak ${formatTflops(peakFlopsPerGpu)} TFLOP/s per GPU${facts.gpu ? ` (${facts.gpu}${facts.dtype ? ` ${facts.dtype}` : ''})` : ''}${tag(src.peak)}`);
    assumptions.push(`model FLOPs per sample ${flopsPerSample.toExponential(2)}${facts.model ? ` (${facts.model})` : ''}${tag(src.flops)}`);
    assumptions.push(`MFU = GBS x FLOPs per sample / step time / ${numGpus} GPUs${tag(src.numGpus)} / peak${facts.lora ? ' x 2/3 (LoRA)' : ''}`);
  } else {
    if (facts.dtype) assumptions.push(`dtype ${facts.dtype} (as given)`);
    const need = [!gbs && 'GBS', !numGpus && 'GPU count (--gpus)', !peakFlopsPerGpu && (facts.peakMissingReason ? `GPU peak FLOPS (${facts.peakMissingReason})` : 'GPU peak FLOPS (--gpu)'), !flopsPerSample && 'model FLOPs (--model)'];
    missing.push(`MFU needs ${need.filter(Boolean).join(', ')}`);
  }
  return result;
}

const tag = (source: string | undefined) => (source ? ` [${source}]` : '');

/** Datasheet peaks print whole (989, 1979); a measured CPU peak (0.21) keeps three significant digits. */
function formatTflops(flops: number): string {
  const t = flops / 1e12;
  return t >= 100 ? t.toFixed(0) : Number(t.toPrecision(3)).toString();
}
