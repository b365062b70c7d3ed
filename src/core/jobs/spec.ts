// What to run, independent of where: every executor (local, slurm) takes a JobSpec. Pure data, serialisable.

export interface JobSpec {
  /** Job name, e.g. `lora_nemo_llama3_8b_bf16_16`; sanitised where a scheduler needs a safe word. */
  name: string;
  /** Absolute run directory: logs, job.json and the rendered script go here. */
  runDir: string;
  nodes: number;
  tasksPerNode: number;
  gpusPerNode?: number;
  cpusPerTask?: number;
  timeLimitMinutes?: number;
  partition?: string;
  account?: string;
  qos?: string;
  /** Ask the scheduler to signal every rank this long before the time limit (checkpoint-and-exit). */
  signal?: { name: 'USR1'; secondsBefore: number };
  /** argv run by EVERY rank, with RANK/WORLD_SIZE/LOCAL_RANK/MASTER_ADDR/MASTER_PORT set. */
  command: string[];
  /** Extra environment for the ranks. Values travel through the process environment, never into a script. */
  env: Record<string, string>;
  masterPort?: number;
  /** Sample vmstat (and nvidia-smi dmon where present) on every node into <runDir>/telemetry while the job runs. */
  telemetry?: boolean;
}

export const worldSize = (spec: Pick<JobSpec, 'nodes' | 'tasksPerNode'>): number => spec.nodes * spec.tasksPerNode;

/** A word safe in file names and #SBATCH lines: anything outside [A-Za-z0-9._+-] becomes `_`. */
export const safeWord = (text: string): string => text.replace(/[^A-Za-z0-9._+-]/g, '_').slice(0, 128) || 'job';
