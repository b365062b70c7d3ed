// `trainbench mfu`: tokens/s, MFU and time to train from a measured step time, with every assumption printed
// (the peak and its datasheet source, or for a CPU the peak measured on this machine and how; where the model FLOPs
// come from). Formulas: core/metrics (seeds 000-002).
import { Option } from 'commander';
import { usageError } from '../../core/errors.ts';
import { positiveInteger, positiveNumber } from '../options.ts';
import type { RegisterCommand } from './registry.ts';

/** How a measured-at-run-time peak was obtained (cpu-peak.ts), as --json prints it. */
interface MeasuredPeakDoc {
  method: string;
  dtype: 'bf16' | 'fp32';
  threads_per_rank: number;
  host: string;
  measured_at: string;
  cached: boolean;
  cache_file: string;
}

interface MfuOpts {
  stepTime?: number;
  gbs?: number;
  seq?: number;
  gpus?: number;
  gpu?: string;
  dtype: 'bf16' | 'fp8' | 'tf32';
  lora?: boolean;
  model?: string;
  modelFlops?: number;
  peakTflops?: number;
  tokens: number;
  recompute: 'none' | 'selective' | 'full';
  json?: boolean;
}

export const registerMfu: RegisterCommand = (program, ctx) => {
  program
    .command('mfu')
    .description('tokens/s, model FLOPs utilization and days to train from a step time (assumptions printed)')
    .option('--step-time <s>', 'seconds per optimizer step', positiveNumber('--step-time'))
    .option('--gbs <n>', 'global batch size (sequences per step)', positiveInteger('--gbs'))
    .option('--seq <n>', 'sequence length', positiveInteger('--seq'))
    .option('--gpus <n>', 'number of GPUs', positiveInteger('--gpus'))
    .option('--gpu <type>', 'GPU type from data/gpus (e.g. h100, a100-40gb)')
    .addOption(new Option('--dtype <dtype>', 'precision whose dense peak is used').choices(['bf16', 'fp8', 'tf32']).default('bf16'))
    .option('--lora', 'LoRA: count 2/3 of the model FLOPs (seed 000)')
    .option('--model <name>', 'model whose seed formula gives the FLOPs per sample')
    .option('--model-flops <flops>', 'FLOPs per sample instead of a model, e.g. 1.84e14', positiveNumber('--model-flops'))
    .option('--peak-tflops <tflops>', 'override the dense peak per GPU (cpu: measured on this machine unless given)', positiveNumber('--peak-tflops'))
    .option('--tokens <n>', 'tokens to train, for the time-to-train figure', positiveNumber('--tokens'), 1e12)
    .addOption(new Option('--recompute <kind>', 'activation recompute, for HFU').choices(['none', 'selective', 'full']).default('none'))
    .option('--json', 'one JSON document')
    .action(async (opts: MfuOpts) => {
      const missing = (['stepTime', 'gbs', 'seq', 'gpus', 'gpu'] as const).filter((k) => opts[k] === undefined);
      const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      if (missing.length) {
        throw usageError(`mfu needs ${missing.map(flag).join(', ')}`, {
          code: 'missing-option',
          hint: 'e.g. trainbench mfu --step-time 1.32 --gbs 32 --seq 4096 --gpus 8 --gpu h100 --dtype bf16 --model-flops 1.84e14',
        });
      }
      if ((opts.model === undefined) === (opts.modelFlops === undefined)) {
        throw usageError('pass exactly one of --model and --model-flops', { code: 'missing-option', hint: 'e.g. --model llama3-8b, or --model-flops 1.84e14 (per sample)' });
      }
      const { loadCatalog } = await import('../../adapters/catalog/index.ts');
      const { findGpu, findModel, formulaFlopsPerSample } = await import('../../core/catalog/index.ts');
      const m = await import('../../core/metrics/index.ts');
      const catalog = loadCatalog();
      const gpu = findGpu(catalog, opts.gpu!);
      const peakEntry = gpu.peak_tflops[opts.dtype];
      let peakTflops = opts.peakTflops ?? peakEntry.value;
      let peakSource = opts.peakTflops === undefined ? `${gpu.name} ${opts.dtype}: ${peakEntry.source}` : '--peak-tflops';
      let measured: MeasuredPeakDoc | undefined;
      // A CPU has no datasheet peak: measure this machine's matmul rate on one rank's share of the cores, as
      // `trainbench run` does for its CPU ranks (cached under TRAINBENCH_HOME/peaks, so it is measured once).
      if (peakTflops === null && gpu.measured_at_runtime && opts.dtype !== 'fp8') {
        const { measuredCpuPeak, cpuPeakDtype, cpuThreadsPerRank, describeMeasuredPeak } = await import('../../adapters/peak/cpu-peak.ts');
        const { trainbenchHome } = await import('../../adapters/rundir/index.ts');
        const p = measuredCpuPeak(trainbenchHome(ctx.env), cpuPeakDtype(opts.dtype), cpuThreadsPerRank(opts.gpus!), ctx.env);
        peakTflops = p.flopsPerRank / 1e12;
        peakSource = `${describeMeasuredPeak(p)}; per rank (--gpus counts ranks)`;
        measured = { method: p.method, dtype: p.dtype, threads_per_rank: p.threads, host: p.host, measured_at: p.measuredAt, cached: p.cached, cache_file: p.cacheFile };
      }
      if (peakTflops === null) {
        throw usageError(`${gpu.name} has no ${opts.dtype} peak in the catalog: ${peakEntry.source}`, {
          code: 'no-peak',
          hint: gpu.measured_at_runtime ? 'pick --dtype bf16 or tf32 (measured on this machine), or pass --peak-tflops' : 'pick another --dtype, or pass --peak-tflops',
        });
      }
      const model = opts.model === undefined ? undefined : findModel(catalog, opts.model);
      const flopsPerSample = model ? formulaFlopsPerSample(model, opts.seq!).total : opts.modelFlops!;
      const input = { flopsPerSample, gbs: opts.gbs!, stepTimeS: opts.stepTime!, numGpus: opts.gpus!, peakFlopsPerGpu: peakTflops * 1e12, lora: opts.lora === true };
      const tps = m.tokensPerSecond(opts.seq!, opts.gbs!, opts.stepTime!);
      const doc = {
        tokens_per_s: tps,
        tokens_per_s_per_gpu: tps / opts.gpus!,
        mfu: m.mfu(input),
        hfu: m.hardwareFlopsUtilization({ ...input, recompute: opts.recompute }),
        days_to_train: m.timeToTrainDays(opts.tokens, tps),
        tokens: opts.tokens,
        assumptions: {
          peak_tflops_per_gpu: peakTflops,
          peak_source: peakSource,
          ...(measured ? { peak_measured: measured } : {}),
          flops_per_sample: flopsPerSample,
          flops_source: model ? `${model.name} at seq ${opts.seq}, ${model.flops_formula} formula` : '--model-flops',
          lora_factor: opts.lora ? 2 / 3 : 1,
          recompute: opts.recompute,
        },
      };
      if (opts.json) {
        ctx.io.out(JSON.stringify(doc, null, 2) + '\n');
        return;
      }
      const a = doc.assumptions;
      ctx.io.out(
        [
          `tokens/s        ${Math.round(tps).toLocaleString('en-US')} (${Math.round(doc.tokens_per_s_per_gpu).toLocaleString('en-US')} per GPU)`,
          `MFU             ${(doc.mfu * 100).toFixed(2)}%${opts.lora ? ' (LoRA: x 2/3)' : ''}`,
          ...(opts.recompute === 'none' ? [] : [`HFU             ${(doc.hfu * 100).toFixed(2)}% (${opts.recompute} recompute)`]),
          `days to train   ${doc.days_to_train.toFixed(2)} for ${opts.tokens.toExponential(0)} tokens`,
          'assumptions',
          measured
            ? `  peak          ${Number(a.peak_tflops_per_gpu.toPrecision(4))} TFLOP/s per rank (measured) — ${a.peak_source}`
            : `  peak          ${a.peak_tflops_per_gpu} TFLOP/s per GPU — ${a.peak_source}`,
          `  model FLOPs   ${a.flops_per_sample.toExponential(3)} per sample — ${a.flops_source}`,
          `  formulas      tokens/s = seq * gbs / step; MFU = gbs * FLOPs / step / GPUs / peak; days = tokens / (tokens/s) / 86400`,
        ].join('\n') + '\n',
      );
    });
};
