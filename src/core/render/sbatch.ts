// The batch script the slurm executor submits: #SBATCH header, rendezvous variables, then `srun` starting every rank
// with torch-style RANK/LOCAL_RANK/WORLD_SIZE. Pure text. Values the shell reads are single-quoted (`shq`); values on
// #SBATCH lines (read by sbatch, not the shell) are made safe words or refused, because a newline there would end the
// comment and become a command.
import { configError } from '../errors.ts';
import { safeWord, worldSize } from '../jobs/spec.ts';
import type { JobSpec } from '../jobs/spec.ts';
import { renderTelemetrySnippet } from '../telemetry/index.ts';
import { sq } from './shell.ts';

/** Single-quotes a value for bash (the project's one quoter, `sq` in shell.ts); tested here on hostile argv too. */
export const shq = sq;

/** Written by the script's EXIT trap: the batch step's exit status, read once Slurm has forgotten the job. */
export const SLURM_EXIT_FILE = 'slurm.exit';

/** The combined job log, like the seeds' `log-<account>.<name>_<jobid>_0.out`; `%j` is left for Slurm. */
export function sbatchLogName(spec: Pick<JobSpec, 'name' | 'account'>, jobId = '%j'): string {
  const prefix = spec.account ? `${safeWord(spec.account)}.` : '';
  return `log-${prefix}${safeWord(spec.name)}_${jobId}_0.out`;
}

function headerPath(runDir: string): string {
  if (/["\n\r]/.test(runDir)) {
    throw configError(`the run directory ${JSON.stringify(runDir)} cannot go on an #SBATCH line`, {
      code: 'unsafe-run-dir',
      field: 'runDir',
      hint: 'use a run directory without double quotes or line breaks',
    });
  }
  return runDir.replace(/%/g, '%%'); // `%` starts a Slurm file-name pattern
}

function headerWord(field: string, value: string): string {
  if (!/^[A-Za-z0-9_.,:@+=\/-]+$/.test(value)) {
    throw configError(`${field} ${JSON.stringify(value)} cannot go on an #SBATCH line`, {
      code: 'unsafe-sbatch-value',
      field,
      hint: 'use letters, digits and _ . , : @ + = / - only',
    });
  }
  return value;
}

function header(spec: JobSpec): string[] {
  const log = `"${headerPath(spec.runDir)}/${sbatchLogName(spec)}"`;
  const lines = [
    `#SBATCH --job-name=${safeWord(spec.name)}`,
    `#SBATCH --nodes=${spec.nodes}`,
    `#SBATCH --ntasks-per-node=${spec.tasksPerNode}`,
  ];
  if (spec.gpusPerNode) lines.push(`#SBATCH --gpus-per-node=${spec.gpusPerNode}`);
  if (spec.cpusPerTask) lines.push(`#SBATCH --cpus-per-task=${spec.cpusPerTask}`);
  if (spec.timeLimitMinutes) lines.push(`#SBATCH --time=${Math.ceil(spec.timeLimitMinutes)}`);
  if (spec.partition) lines.push(`#SBATCH --partition=${headerWord('partition', spec.partition)}`);
  if (spec.account) lines.push(`#SBATCH --account=${headerWord('account', spec.account)}`);
  if (spec.qos) lines.push(`#SBATCH --qos=${headerWord('qos', spec.qos)}`);
  if (spec.signal) lines.push(`#SBATCH --signal=${spec.signal.name}@${Math.round(spec.signal.secondsBefore)}`);
  lines.push(`#SBATCH --output=${log}`, `#SBATCH --error=${log}`, '#SBATCH --open-mode=append');
  return lines;
}

// Each rank: torch-style variables from Slurm's, its own log (tee keeps the combined job log too), then the argv.
// tee ignores the signals Slurm sends the step (scancel's TERM, --signal's USR1): it must outlive the rank so the
// rank's last words (a checkpoint message on SIGTERM) still reach the logs instead of a broken pipe.
const RANK_WRAPPER =
  'export RANK="$SLURM_PROCID" LOCAL_RANK="$SLURM_LOCALID" NODE_RANK="$SLURM_NODEID"; ' +
  'exec > >(trap "" TERM INT HUP USR1 USR2; exec tee -a "$TRAINBENCH_RUN_DIR/log-rank$RANK.out") 2>&1; exec "$@"';

export function renderSbatch(spec: JobSpec): string {
  if (spec.command.length === 0) {
    throw configError('the job has no command to run', { code: 'empty-command', field: 'command' });
  }
  const envNames = Object.keys(spec.env).filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)).sort();
  const port = spec.masterPort !== undefined ? String(spec.masterPort) : '$((20000 + SLURM_JOB_ID % 20000))';
  return [
    '#!/bin/bash',
    ...header(spec),
    // Single-quoted user values are literal data on purpose: silence shellcheck's "won't expand" hints for them.
    '# shellcheck disable=SC2016,SC1003',
    '# Rendered by trainbench. Environment passed through from the submitting process (values are never written here):',
    `#   ${envNames.length ? envNames.join(' ') : '(none)'}`,
    'set -euo pipefail',
    `cd ${shq(spec.runDir)}`,
    `export TRAINBENCH_RUN_DIR=${shq(spec.runDir)}`,
    ...(spec.telemetry
      ? [
          renderTelemetrySnippet({ dir: `${spec.runDir}/telemetry`, perNode: true }),
          // The snippet's EXIT trap is replaced by one that also records the exit status.
          `tb_exit() { tb_telemetry_stop; echo "$1" > ${SLURM_EXIT_FILE}; }`,
          `trap 'tb_exit "$?"' EXIT`,
        ]
      : [`trap 'echo "$?" > ${SLURM_EXIT_FILE}' EXIT`]),
    'MASTER_ADDR="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | awk "NR==1")"',
    `MASTER_PORT="\${MASTER_PORT:-${port}}"`,
    `export MASTER_ADDR MASTER_PORT WORLD_SIZE=${worldSize(spec)} PYTHONUNBUFFERED=1`,
    'echo "trainbench: job $SLURM_JOB_ID on $SLURM_JOB_NODELIST, master $MASTER_ADDR:$MASTER_PORT, world $WORLD_SIZE"',
    `srun --kill-on-bad-exit=1 bash -c ${shq(RANK_WRAPPER)} trainbench-rank ${spec.command.map(shq).join(' ')}`,
    '',
  ].join('\n');
}
