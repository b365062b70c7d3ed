// `trainbench parse LOG|DIR`: detect the engine's log format, read the step series, and print the seeds' table for
// a stated window with its assumptions; when the run failed, the diagnosis with its evidence lines (exit 5).
import type { Command } from 'commander';
import { EXIT } from '../../core/errors.ts';
import { positiveInteger, positiveNumber } from '../options.ts';
import type { FactFlags } from '../../adapters/ingest/measure-log.ts';
import type { RegisterCommand } from './registry.ts';

/** The run facts `measureLog` takes, plus the format, window and output flags. */
export interface MeasureOpts extends FactFlags {
  format?: string;
  window: string;
  json?: boolean;
}

/** The options `parse` and `compare` share. */
export function measureOptions(cmd: Command): Command {
  return cmd
    .option('--format <name>', 'log format (default: detected): workload, nemo2, megatron, torchtitan, nnscaler, nemo1, nanogpt, deepspeed, hf')
    .option('--window <spec>', 'steps averaged: last:N | skip:N | skip-pct:P | range:A-B | all', 'last:20')
    .option('--seq <n>', 'sequence length (default: from the log)', positiveInteger('--seq'))
    .option('--gbs <n>', 'global batch size in sequences (default: from the log)', positiveInteger('--gbs'))
    .option('--gpus <n>', 'number of GPUs (default: from the log)', positiveInteger('--gpus'))
    .option('--gpu <name>', 'GPU type from data/gpus, for the MFU peak (e.g. h100)')
    .option('--dtype <dtype>', 'precision for the GPU peak: bf16, fp8, tf32 (default bf16)')
    .option('--model <name>', 'model from data/models, for model FLOPs (e.g. llama3-8b)')
    .option('--lora', 'LoRA fine-tuning: MFU x 2/3')
    .option('--tokens <n>', 'tokens for the time-to-train row (default 1e12)', positiveNumber('--tokens'));
}

export const registerParse: RegisterCommand = (program, ctx, setExit) => {
  const cmd = program
    .command('parse')
    .description('read a training log (or a run directory): steps, step time, tokens/s, MFU, time to train, diagnosis')
    .argument('<log>', 'log file, or a run directory (the training log inside is found)')
    .option('--json', 'one JSON document')
    .option('--steps', 'with --json: include every parsed step')
    .option('--running', 'the job is still running: a log unwritten for 5 min or more is diagnosed as a hang');
  measureOptions(cmd).action(async (log: string, opts: MeasureOpts & { steps?: boolean; running?: boolean }) => {
    const { resolve } = await import('node:path');
    const { parseWindow } = await import('../../core/measure/index.ts');
    const { measureLog } = await import('../../adapters/ingest/measure-log.ts');
    const { renderParse, parseJson } = await import('../../adapters/ingest/render-parse.ts');
    const window = parseWindow(opts.window);
    const measured = await measureLog(resolve(ctx.cwd, log), { ...opts, window, env: ctx.env });
    if (opts.json) ctx.io.out(JSON.stringify(parseJson(measured, opts.steps === true), null, 2) + '\n');
    else ctx.io.out(renderParse(measured));
    const kind = measured.diagnosis.kind;
    if (measured.parsed.output.steps.length === 0 && kind === 'unknown') {
      ctx.io.err(`no training steps found in ${measured.parsed.file}; pass --format if the detection was wrong\n`);
      setExit(EXIT.input);
    } else if (kind !== 'unknown' && kind !== 'loss_spike') {
      // The figures are printed either way; scripts learn from the exit code that the run itself failed.
      setExit(EXIT.jobFailed);
    }
  });
};
