// The one error taxonomy. Every expected failure is a TrainbenchError with a stable `code`, the exit code the CLI
// returns for it, and a hint that says what to do next. Only the CLI entry turns these into exit codes.

export const EXIT = {
  ok: 0,
  internal: 1, // a bug in trainbench: please report
  usage: 2, // bad command line: unknown name, missing or invalid option
  config: 3, // invalid data/config file (schema violation), impossible plan
  input: 4, // unreadable or corrupt input file (log, dataset, telemetry)
  jobFailed: 5, // the training job ended FAILED / CANCELLED / TIMEOUT / NODE_FAIL / OOM / PREEMPTED
  regression: 6, // compare/audit found a regression or an inconsistency
  scheduler: 7, // scheduler unreachable or refused the job (sbatch/squeue errors)
  environment: 8, // missing system prerequisite (python3, torch, slurm, root)
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type ErrorKind = 'usage' | 'config' | 'input' | 'job' | 'scheduler' | 'environment' | 'internal';

const exitByKind: Record<ErrorKind, ExitCode> = {
  usage: EXIT.usage,
  config: EXIT.config,
  input: EXIT.input,
  job: EXIT.jobFailed,
  scheduler: EXIT.scheduler,
  environment: EXIT.environment,
  internal: EXIT.internal,
};

export interface ErrorDetails {
  /** Stable machine-readable code, e.g. `unknown-model`, `schema`, `corrupt-idx`. */
  code: string;
  /** What to do next, in one sentence. */
  hint?: string;
  /** File the problem is in, when there is one. */
  file?: string;
  /** Field path inside that file, e.g. `recipes[3].parallelism.tp`. */
  field?: string;
}

export class TrainbenchError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly field: string | undefined;

  constructor(kind: ErrorKind, message: string, details: ErrorDetails) {
    super(message);
    this.name = 'TrainbenchError';
    this.kind = kind;
    this.code = details.code;
    this.hint = details.hint;
    this.file = details.file;
    this.field = details.field;
  }

  get exitCode(): ExitCode {
    return exitByKind[this.kind];
  }
}

export const usageError = (message: string, details: ErrorDetails) => new TrainbenchError('usage', message, details);
export const configError = (message: string, details: ErrorDetails) => new TrainbenchError('config', message, details);
export const inputError = (message: string, details: ErrorDetails) => new TrainbenchError('input', message, details);
export const jobError = (message: string, details: ErrorDetails) => new TrainbenchError('job', message, details);
export const schedulerError = (message: string, details: ErrorDetails) =>
  new TrainbenchError('scheduler', message, details);
export const environmentError = (message: string, details: ErrorDetails) =>
  new TrainbenchError('environment', message, details);

export function formatError(error: TrainbenchError): string {
  const where = [error.file, error.field].filter(Boolean).join(': ');
  const lines = [`error[${error.code}]: ${where ? `${where}: ` : ''}${error.message}`];
  if (error.hint) lines.push(`  hint: ${error.hint}`);
  return lines.join('\n') + '\n';
}
