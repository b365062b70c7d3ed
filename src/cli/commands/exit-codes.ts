import { EXIT } from '../../core/errors.ts';
import type { RegisterCommand } from './registry.ts';

const meaning: Record<keyof typeof EXIT, string> = {
  ok: 'success',
  internal: 'bug in trainbench (please report)',
  usage: 'bad command line: unknown name, missing or invalid option',
  config: 'invalid data/config file or impossible plan',
  input: 'unreadable or corrupt input (log, dataset, telemetry)',
  jobFailed: 'the training job failed, was cancelled, timed out or lost a node',
  regression: 'compare/audit found a regression or an inconsistency',
  scheduler: 'scheduler unreachable or refused the job',
  environment: 'missing prerequisite (python3/torch, Slurm, root)',
};

export const registerExitCodes: RegisterCommand = (program, ctx) => {
  program
    .command('exit-codes')
    .description('list the exit codes trainbench returns')
    .option('--json', 'one JSON document')
    .action((opts: { json?: boolean }) => {
      const rows = Object.entries(EXIT).map(([name, code]) => ({ code, name, meaning: meaning[name as keyof typeof EXIT] }));
      if (opts.json) ctx.io.out(JSON.stringify(rows, null, 2) + '\n');
      else ctx.io.out(rows.map((r) => `${String(r.code).padStart(2)}  ${r.name.padEnd(12)} ${r.meaning}`).join('\n') + '\n');
    });
};
