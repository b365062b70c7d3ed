// Where the embedded single-host Slurm of scripts/slurm-local.sh keeps its configuration, for tests that submit to it.
import { join } from 'node:path';

export const LOCAL_SLURM_DIR = process.env.TRAINBENCH_SLURM_DIR ?? '/var/tmp/trainbench-slurm';
/** SLURM_CONF for Slurm client commands (sbatch, squeue, sacct...) aimed at the single-host cluster. */
export const LOCAL_SLURM_CONF = join(LOCAL_SLURM_DIR, 'slurm.conf');
