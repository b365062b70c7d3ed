// `trainbench report-html LOG_OR_RUN_DIR --out FILE`: the self-contained HTML report (charts, telemetry lanes)
// straight from a log file, a run directory, or a stored run id.
import { resolve } from 'node:path';
import { positiveNumber, utcOffset } from '../options.ts';
import type { RegisterCommand } from './registry.ts';


interface Opts {
  out: string;
  telemetry?: string;
  utcOffset: number;
  store?: string;
  window?: string;
  gpu?: string;
  model?: string;
  dtype?: string;
  powerLimit?: number;
  json?: boolean;
}

export const registerReportHtml: RegisterCommand = (program, ctx) => {
  program
    .command('report-html')
    .description('write a self-contained HTML report (step time, loss, GPU/CPU telemetry per step) from a log, run directory or run id')
    .argument('<log-or-run>', 'log file, run directory (its telemetry/ is read too) or stored run id')
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--telemetry <dir>', 'directory of nvidia-smi dmon / vmstat captures (default <run dir>/telemetry)')
    .option('--utc-offset <hours>', 'local time of the captures minus UTC, in hours (dmon -o DT and vmstat -t print local time)', utcOffset, 0)
    .option('--store <file>', 'results store file, for run ids (default $TRAINBENCH_HOME/store.sqlite)')
    .option('--window <spec>', 'steps averaged: last:N | skip:N | skip-pct:P | range:A-B | all (default: the run directory\'s stored result, else last:20)')
    .option('--gpu <id>', 'GPU type, for peak FLOPS and MFU (e.g. h100-sxm)')
    .option('--model <id>', 'model, for FLOPs per token and MFU (e.g. llama3-8b)')
    .option('--dtype <dtype>', 'precision for the GPU peak (default bf16)')
    .option('--power-limit <watts>', 'GPU power limit, drawn as the power-cap line', positiveNumber('--power-limit'))
    .option('--json', 'one JSON document describing what was written')
    .action(async (target: string, opts: Opts) => {
      const { writeReport } = await import('../../adapters/ui/write-report.ts');
      const { existsSync } = await import('node:fs');
      const local = resolve(ctx.cwd, target);
      const { out, input } = await writeReport(existsSync(local) ? local : target, resolve(ctx.cwd, opts.out), {
        utcOffsetHours: opts.utcOffset,
        ...(opts.telemetry ? { telemetryDir: resolve(ctx.cwd, opts.telemetry) } : {}),
        ...(opts.store ? { storePath: resolve(ctx.cwd, opts.store) } : {}),
        ...(opts.powerLimit !== undefined ? { powerLimitW: opts.powerLimit } : {}),
        ...(opts.window ? { window: opts.window } : {}),
        ...(opts.gpu || opts.model || opts.dtype
          ? { facts: { ...(opts.gpu ? { gpu: opts.gpu } : {}), ...(opts.model ? { model: opts.model } : {}), ...(opts.dtype ? { dtype: opts.dtype } : {}) } }
          : {}),
        env: ctx.env,
      });
      const t = input.telemetry;
      const summary = {
        out,
        steps: input.steps.length,
        window: input.window,
        stepTimeS: input.metrics?.stepTimeS ?? null,
        tokensPerS: input.metrics?.tokensPerS ?? null,
        mfu: input.metrics?.mfu ?? null,
        telemetry: t ? { gpuSamples: t.gpuSeries.length, cpuSamples: t.cpuSeries.length, stepsJoined: t.perStep.filter((s) => s.gpuSamples + s.cpuSamples > 0).length, utcOffsetHours: t.clock.utcOffsetHours, zone: t.clock.zone } : null,
        warnings: [...(input.warnings ?? []), ...(t?.warnings ?? [])],
      };
      if (opts.json) return void ctx.io.out(JSON.stringify(summary, null, 2) + '\n');
      ctx.io.out(`wrote ${out}: ${summary.steps} steps` + (summary.telemetry ? `, telemetry joined to ${summary.telemetry.stepsJoined} steps` : ', no telemetry') + '\n');
      for (const w of summary.warnings) ctx.io.err(`warning: ${w}\n`);
    });
};
