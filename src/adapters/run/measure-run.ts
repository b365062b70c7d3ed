// After the job: parse the rank-0 log with the same parser a NeMo 2 log gets, summarise over the recipe's window,
// compute MFU against the GPU's published peak or (CPU ranks) this machine's measured one, and cross-check the
// model FLOPs trainbench counts against the count the workload made from its real parameter shapes.
import type { ResolvedRecipe } from '../../core/catalog/index.ts';
import type { LogEvent } from '../../core/ingest/index.ts';
import { deviceTimingCheck, summarize, type DeviceTimingCheck, type Result, type Window } from '../../core/measure/index.ts';
import { parseFile, type ParsedLog } from '../ingest/index.ts';
import { cpuPeakDtype, measuredCpuPeak } from '../peak/cpu-peak.ts';

export function recipeWindow(r: ResolvedRecipe): Window {
  const w = r.window;
  if (!w) return { kind: 'all' };
  if ('last' in w) return { kind: 'last', n: w.last };
  if ('skip_first' in w) return { kind: 'skip', first: w.skip_first };
  return { kind: 'range', from: 0, to: w.first - 1 };
}

export interface FlopsCheck {
  trainbenchPerToken: number;
  workloadPerToken: number;
  relativeDifference: number;
  note: string;
}

export function flopsCheck(r: ResolvedRecipe, events: LogEvent[]): FlopsCheck | undefined {
  const start = events.find((e) => e.event === 'start');
  const workloadPerToken = Number(start?.data.flops_per_token);
  if (!Number.isFinite(workloadPerToken) || workloadPerToken <= 0) return undefined;
  const trainbenchPerToken = r.flopsPerSample / r.seq_len;
  return {
    trainbenchPerToken,
    workloadPerToken,
    relativeDifference: (workloadPerToken - trainbenchPerToken) / trainbenchPerToken,
    note: 'trainbench: the seed-002 Llama formula on the catalog shape; workload: 6 x (all parameters but the input embedding, from the real tensors) + 12 x layers x hidden x seq — RMSNorm weights (and LoRA adapters) are the only difference',
  };
}

/** What the workload chose for attention when asked to (its `attention` event), in words; undefined otherwise. */
export function attentionNote(events: LogEvent[]): string | undefined {
  const e = events.find((x) => x.event === 'attention')?.data;
  if (!e || typeof e.backend !== 'string') return undefined;
  if (e.requested !== 'tune' || typeof e.ms !== 'object' || e.ms === null) return `attention: ${String(e.requested)} requested, ${e.backend} used`;
  const times = Object.entries(e.ms as Record<string, unknown>)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? `${v.toFixed(2)} ms` : 'unavailable'}`)
    .join(', ');
  const shape = Array.isArray(e.shape) ? ` at [${e.shape.join(', ')}]` : '';
  return `attention: ${e.backend}, the fastest forward+backward per layer${shape} (${times})`;
}

export interface Measured {
  parsed: ParsedLog;
  result: Result;
  flops?: FlopsCheck;
  /** Host clock vs CUDA events over the window, when the workload timed steps on the GPU too. */
  deviceTiming?: DeviceTimingCheck;
  /** The workload's attention choice, when the recipe asked for one. */
  attention?: string;
  peakMethod: string;
}

export async function measureWorkloadRun(r: ResolvedRecipe, logFile: string, home: string, threadsPerRank: number): Promise<Measured> {
  const parsed = await parseFile(logFile, { format: 'workload' });
  let peak = r.peakFlopsPerGpu ?? undefined;
  let peakMethod = r.peakSource;
  if (peak === undefined) {
    const measured = measuredCpuPeak(home, cpuPeakDtype(r.dtype), Math.max(1, threadsPerRank));
    peak = measured.flopsPerRank;
    peakMethod = `${measured.method}${measured.cached ? ' (cached)' : ''}; per rank`;
  }
  const result = summarize(parsed.output, recipeWindow(r), {
    seqLen: r.seq_len,
    gbs: r.gbs,
    numGpus: r.num_gpus,
    peakFlopsPerGpu: peak,
    flopsPerSample: r.flopsPerSample,
    lora: r.task === 'lora',
    dtype: r.dtype,
    gpu: r.gpu.name,
    model: r.model.name,
    sources: {
      peak: peakMethod,
      flops: r.flopsSource === 'published' ? `${r.seed} (published constant)` : `seed 002 Llama formula on ${r.model.name}`,
      seqLen: `recipe ${r.id}`,
      gbs: `recipe ${r.id}`,
      numGpus: r.gpu.measured_at_runtime ? 'ranks' : 'GPUs',
    },
  });
  const flops = flopsCheck(r, parsed.output.events ?? []);
  const deviceTiming = deviceTimingCheck(parsed.output.events ?? [], result.window);
  const attention = attentionNote(parsed.output.events ?? []);
  return { parsed, result, ...(flops ? { flops } : {}), ...(deviceTiming ? { deviceTiming } : {}), ...(attention ? { attention } : {}), peakMethod };
}
