// Failure kinds and what a diagnosis carries: the evidence lines (with their line numbers) and what to do next.
import type { StepRecord } from '../ingest/index.ts';

export type FailureKind =
  | 'cuda_oom' | 'cpu_oom' | 'nccl_timeout' | 'nccl_error' | 'network' | 'hang' | 'slurm_time_limit' | 'cancelled' | 'node_fail'
  | 'python_exception' | 'nan_loss' | 'loss_spike' | 'missing_dataset' | 'missing_tokenizer' | 'hf_auth' | 'unknown';

export interface Evidence {
  /** Line number in the file when tailStartLine is given, else 1-based within the tail. */
  line: number;
  text: string;
}

export interface Diagnosis {
  kind: FailureKind;
  summary: string;
  evidence: Evidence[];
  advice: string;
  /** Values read from the evidence (exception type, NCCL op, Slurm entity, GiB tried ...). */
  details: Record<string, string | number>;
  /** Other kinds also seen (consequences or secondary signals), most important first. */
  alsoSeen: FailureKind[];
}

export interface FailureInput {
  tail: readonly string[];
  /** Line number of tail[0] in the file (so evidence cites file lines). */
  tailStartLine?: number;
  /** Final Slurm state from sacct/squeue (TIMEOUT, CANCELLED by 0, NODE_FAIL, OUT_OF_MEMORY, FAILED, ...). */
  slurmState?: string;
  exitCode?: number;
  /** Seconds since the log last showed progress (caller-measured); >= 300 with nothing else found is a hang. */
  stalledForS?: number;
  /** The job's nodes (allocation order), to name the nodes that went silent in a network failure. */
  nodes?: readonly string[];
  /** Parsed steps, for NaN loss and loss spikes. */
  steps?: readonly StepRecord[];
}

/** One rule's finding. */
export interface Finding {
  kind: FailureKind;
  summary: string;
  evidence: Evidence[];
  details: Record<string, string | number>;
}
