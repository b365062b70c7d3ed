// Runs Slurm's client commands (sbatch, scontrol, sacct, scancel) and turns their failures into TrainbenchErrors.
import { execFile } from 'node:child_process';
import { environmentError, schedulerError } from '../../core/errors.ts';

export interface SlurmCliOptions {
  /** Extra environment for the client commands, e.g. SLURM_CONF of the embedded cluster. */
  env?: Record<string, string>;
  cwd?: string;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Slurm command; resolves with its exit code (non-zero is data here), rejects only if it cannot start. */
export function slurmCommand(cmd: string, args: string[], o: SlurmCliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd: o.cwd, env: { ...process.env, ...o.env }, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        if (error && code === null) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          reject(
            missing
              ? environmentError(`${cmd} not found: Slurm's client commands are not installed here`, {
                  code: 'slurm-missing',
                  hint: 'run on a Slurm login node, or start the embedded one: bash scripts/slurm-local.sh start',
                })
              : schedulerError(`${cmd} did not finish: ${error.message}`, {
                  code: 'slurm-unreachable',
                  hint: 'check that slurmctld is up (sinfo); for the embedded one: bash scripts/slurm-local.sh status',
                }),
          );
          return;
        }
        resolve({ code: code ?? 1, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
