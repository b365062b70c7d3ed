// A log (file or run directory) -> parsed series, the run facts (flags first, then what the log states, then the
// catalog for GPU peak and model FLOPs), a Result over the window, and a failure diagnosis. Shared by the
// `parse` and `compare` commands.
import { classifyFailure } from '../../core/classify/index.ts';
import type { Diagnosis } from '../../core/classify/index.ts';
import type { HeaderFacts } from '../../core/ingest/index.ts';
import { deviceTimingCheck, fillStepTimes, summarize } from '../../core/measure/index.ts';
import type { DeviceTimingCheck, Result, RunFacts, Window } from '../../core/measure/index.ts';
import { cpuPeakDtype, cpuThreadsPerRank, describeMeasuredPeak, measuredCpuPeak } from '../peak/cpu-peak.ts';
import { trainbenchHome } from '../paths.ts';
import { parsePath } from './index.ts';
import type { ParsedPath } from './index.ts';

export interface FactFlags {
  seq?: number;
  gbs?: number;
  gpus?: number;
  gpu?: string;
  dtype?: string;
  model?: string;
  lora?: boolean;
  tokens?: number;
}

export interface MeasuredLog {
  parsed: ParsedPath;
  result: Result;
  diagnosis: Diagnosis;
  /** Host clock vs CUDA events over the window, for logs whose step events carry both (the reference workload). */
  deviceTiming?: DeviceTimingCheck;
}

/** Run facts from the flags, else the log's own statements; GPU peak and model FLOPs from the catalog. */
export async function resolveFacts(flags: FactFlags, header: HeaderFacts, env: NodeJS.ProcessEnv = process.env): Promise<RunFacts> {
  const sources: NonNullable<RunFacts['sources']> = {};
  const pick = (flag: number | undefined, logged: number | undefined, key: 'seqLen' | 'gbs' | 'numGpus', name: string) => {
    if (flag !== undefined) sources[key] = name;
    else if (logged !== undefined) sources[key] = 'stated in the log';
    return flag ?? logged;
  };
  const facts: RunFacts = {
    seqLen: pick(flags.seq, header.seqLen, 'seqLen', '--seq'),
    gbs: pick(flags.gbs, header.globalBatchSize, 'gbs', '--gbs'),
    numGpus: pick(flags.gpus, header.worldSize, 'numGpus', '--gpus'),
    lora: flags.lora,
    totalTokens: flags.tokens,
    dtype: flags.dtype,
    sources,
  };
  if (header.flopsPerToken !== undefined && facts.seqLen !== undefined && flags.model === undefined) {
    facts.flopsPerSample = header.flopsPerToken * facts.seqLen;
    sources.flops = 'flops_per_token stated in the log x seq';
  }
  if (flags.gpu === undefined && flags.model === undefined) return facts;
  const catalog = await import('../catalog/index.ts');
  const core = await import('../../core/catalog/index.ts');
  const c = catalog.loadCatalog();
  if (flags.gpu !== undefined) {
    const gpu = core.findGpu(c, flags.gpu);
    const dtype = (flags.dtype ?? 'bf16') as keyof typeof gpu.peak_tflops;
    const peak = gpu.peak_tflops[dtype];
    facts.gpu = gpu.display_name;
    facts.dtype = dtype;
    if (peak?.value) {
      facts.peakFlopsPerGpu = peak.value * 1e12;
      sources.peak = `${gpu.file}: ${peak.source}`;
    } else if (gpu.measured_at_runtime && dtype !== 'fp8') {
      measuredPeak(facts, cpuPeakDtype(dtype), env);
    } else {
      facts.peakMissingReason = `${gpu.name} has no ${dtype} peak in ${gpu.file}: ${peak?.source ?? 'not listed'}`;
    }
  }
  if (flags.model !== undefined && facts.seqLen !== undefined) {
    const model = core.findModel(c, flags.model);
    facts.model = model.name;
    facts.flopsPerSample = core.formulaFlopsPerSample(model, facts.seqLen).total;
    sources.flops = `${model.flops_formula} formula at seq ${facts.seqLen}, ${model.file}`;
  }
  return facts;
}

/**
 * A CPU has no datasheet peak: this machine's measured matmul rate on one rank's share of the cores, as `trainbench
 * run` and `mfu` use (cached under TRAINBENCH_HOME/peaks). The log's ranks (or --gpus) set the share.
 */
function measuredPeak(facts: RunFacts, dtype: 'bf16' | 'fp32', env: NodeJS.ProcessEnv): void {
  try {
    const p = measuredCpuPeak(trainbenchHome(env), dtype, cpuThreadsPerRank(facts.numGpus ?? 1), env);
    facts.peakFlopsPerGpu = p.flopsPerRank;
    facts.sources!.peak = `${describeMeasuredPeak(p)}; per rank, on this machine (not necessarily the one that wrote the log)`;
  } catch (error) {
    facts.peakMissingReason = `the CPU peak could not be measured here: ${(error as Error).message}`;
  }
}

export interface MeasureLogOptions extends FactFlags {
  format?: string;
  window: Window;
  /** The job is still running: the time since the log was last written counts as a stall (hang detection). */
  running?: boolean;
  now?: number;
  /** TRAINBENCH_HOME (where a measured CPU peak is cached) and the Python to measure it with. */
  env?: NodeJS.ProcessEnv;
}

export async function measureLog(path: string, opts: MeasureLogOptions): Promise<MeasuredLog> {
  const parsed = await parsePath(path, opts.format === undefined ? {} : { format: opts.format });
  const facts = await resolveFacts(opts, parsed.output.header, opts.env);
  const series = fillStepTimes(parsed.output, facts.gbs);
  const result = summarize(series, opts.window, facts);
  if (series.derived) {
    result.assumptions.push(`step time = GBS ${facts.gbs} / printed samples per second (${series.derived} records)`);
    // The parser could not know the GBS given on the command line: its request for --gbs is answered.
    const w = parsed.output.warnings;
    for (let i = w.length - 1; i >= 0; i--) if (w[i]!.includes('(pass --gbs)')) w.splice(i, 1);
  }
  const total = parsed.output.lines.total;
  const diagnosis = classifyFailure({
    tail: parsed.tail,
    tailStartLine: Math.max(1, total - parsed.tail.length + 1),
    steps: parsed.output.steps,
    ...(opts.running ? { stalledForS: Math.max(0, ((opts.now ?? Date.now()) - parsed.mtimeMs) / 1000) } : {}),
  });
  const deviceTiming = deviceTimingCheck(parsed.output.events ?? [], result.window);
  return { parsed, result, diagnosis, ...(deviceTiming ? { deviceTiming } : {}) };
}
