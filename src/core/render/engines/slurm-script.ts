// The parts every engine's batch script shares: the #SBATCH header built from the cluster profile, module lines,
// environment, setup lines and the container flags for srun. #SBATCH values are validated rather than quoted (sbatch
// reads those lines itself, not through the shell), so a value outside a safe alphabet is refused with the field.
import { configError } from '../../errors.ts';
import type { ClusterProfile } from '../../cluster/profile.ts';
import { assertEnvName, isSecretName, sq } from '../shell.ts';

const safeSbatchValue = /^[A-Za-z0-9_.,:@%+=\/-]+$/;

function sbatchValue(field: string, value: string): string {
  if (!safeSbatchValue.test(value)) {
    throw configError(`value ${JSON.stringify(value)} cannot go on an #SBATCH line`, {
      code: 'unsafe-sbatch-value',
      field,
      hint: 'use letters, digits and _ . , : @ % + = / - only',
    });
  }
  return value;
}

export interface HeaderOptions {
  jobName: string;
  nodes: number;
  tasksPerNode: number;
  gpusPerNode: number;
  cpusPerTask?: number;
  dependency?: string;
}

export function sbatchHeader(cluster: ClusterProfile, o: HeaderOptions): string[] {
  const lines = ['#!/bin/bash', `#SBATCH --job-name=${sbatchValue('job name', o.jobName)}`];
  lines.push(`#SBATCH --nodes=${o.nodes}`, `#SBATCH --ntasks-per-node=${o.tasksPerNode}`);
  if (o.cpusPerTask) lines.push(`#SBATCH --cpus-per-task=${o.cpusPerTask}`);
  if (o.gpusPerNode > 0 && cluster.gpu_request === 'gpus-per-node') lines.push(`#SBATCH --gpus-per-node=${o.gpusPerNode}`);
  if (o.gpusPerNode > 0 && cluster.gpu_request === 'gres') lines.push(`#SBATCH --gres=gpu:${o.gpusPerNode}`);
  lines.push(`#SBATCH --time=${sbatchValue('time_limit', cluster.time_limit)}`);
  const optional: [string, string | null][] = [
    ['partition', cluster.partition],
    ['account', cluster.account],
    ['qos', cluster.qos],
    ['constraint', cluster.constraint],
    ['mem', cluster.mem],
  ];
  for (const [field, value] of optional) if (value) lines.push(`#SBATCH --${field}=${sbatchValue(field, value)}`);
  lines.push('', 'set -euo pipefail');
  return lines;
}

/** Module loads, the profile's environment (secrets refused) and its setup lines. */
export function jobEnvironment(cluster: ClusterProfile, extra: Record<string, string | number> = {}): string[] {
  const lines: string[] = [];
  if (cluster.modules.length) lines.push('module purge', ...cluster.modules.map((m) => `module load ${sq(m)}`));
  for (const [name, value] of Object.entries({ ...cluster.env, ...extra })) {
    if (isSecretName(name)) {
      throw configError(`${name} looks like a secret and would be written into the job script`, {
        code: 'secret-in-script',
        field: `env.${name}`,
        hint: `export ${name} in your shell and list it under pass_env instead`,
      });
    }
    lines.push(`export ${assertEnvName(name)}=${sq(value)}`);
  }
  for (const name of cluster.pass_env) {
    lines.push(`: "\${${assertEnvName(name)}:?${name} must be set in the submitting environment}"`);
  }
  lines.push(...cluster.setup);
  return lines;
}

/** srun flags for the profile's container runtime (pyxis/enroot: --container-image with a .sqsh). */
export function containerFlags(cluster: ClusterProfile): string[] {
  if (cluster.container.runtime !== 'pyxis' || !cluster.container.image) return [];
  const flags = [`--container-image=${cluster.container.image}`];
  const mounts = [...new Set([cluster.stage_path, ...cluster.container.mounts])];
  flags.push(`--container-mounts=${mounts.map((m) => `${m}:${m}`).join(',')}`);
  return flags;
}

/** `srun ... bash -c '<rank env>; exec "$@"' _ argv...`: ranks from Slurm's variables, argv passed as data. */
export function srunWithTorchEnv(srunFlags: string[], argv: string[]): string {
  const rankEnv =
    'export RANK=$SLURM_PROCID LOCAL_RANK=$SLURM_LOCALID WORLD_SIZE=$SLURM_NTASKS; exec "$@"';
  return ['srun', ...srunFlags.map(sq), 'bash', '-c', sq(rankEnv), '_', ...argv.map(sq)].join(' ');
}

export const masterAddressLines = (port: number): string[] => [
  'MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | awk "NR==1")',
  `export MASTER_ADDR MASTER_PORT=${port}`,
];

export const nodesFor = (numGpus: number, gpusPerNode: number): number => Math.max(1, Math.ceil(numGpus / Math.max(1, gpusPerNode)));
