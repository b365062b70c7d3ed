// Slurm's job states and pending reasons mapped onto the JobState union (slurm.h `job_states`, squeue(1) JOB STATE
// CODES and JOB REASON CODES). Pure.
import type { JobState } from './state.ts';

/** What a pending reason means and whether the job can still start on its own. */
const PENDING_REASONS: Record<string, { text: string; stuck?: true }> = {
  None: { text: 'just submitted' },
  Priority: { text: 'higher-priority jobs are ahead in the queue' },
  Resources: { text: 'waiting for nodes/GPUs to become free' },
  Dependency: { text: 'waiting for a job it depends on' },
  DependencyNeverSatisfied: { text: 'a job it depends on failed: it will never start; cancel it', stuck: true },
  JobHeldUser: { text: 'held by its user: release it with `scontrol release`', stuck: true },
  JobHeldAdmin: { text: 'held by an administrator', stuck: true },
  BeginTime: { text: 'its start time has not come yet' },
  ReqNodeNotAvail: { text: 'a requested node is down, drained or reserved' },
  NodeDown: { text: 'a node it needs is down' },
  PartitionDown: { text: 'the partition is down' },
  PartitionInactive: { text: 'the partition is inactive', stuck: true },
  PartitionNodeLimit: { text: 'more nodes requested than the partition allows', stuck: true },
  PartitionTimeLimit: { text: 'time limit above the partition maximum', stuck: true },
  PartitionConfig: { text: 'request does not fit the partition configuration', stuck: true },
  BadConstraints: { text: 'constraints cannot be satisfied', stuck: true },
  InvalidAccount: { text: 'the account is invalid', stuck: true },
  InvalidQOS: { text: 'the QOS is invalid', stuck: true },
  QOSMaxJobsPerUserLimit: { text: 'QOS limit on running jobs per user reached' },
  QOSMaxGRESPerUser: { text: 'QOS limit on GPUs per user reached' },
  AssocGrpGRES: { text: 'the account group GPU limit is reached' },
  AssocMaxJobsLimit: { text: 'the account job limit is reached' },
  Reservation: { text: 'waiting for its reservation' },
  launch_failed_requeued_held: { text: 'launch failed and the job was requeued held', stuck: true },
};

export function describePendingReason(reason: string): { text: string; stuck: boolean } {
  const known = PENDING_REASONS[reason];
  return known ? { text: known.text, stuck: known.stuck === true } : { text: reason, stuck: false };
}

export interface SlurmFacts {
  /** Slurm state word: `RUNNING`, `CANCELLED by 0` (sacct), `COMPLETING`... */
  state: string;
  reason?: string;
  exitCode?: number;
  signal?: number;
}

/** Maps every Slurm job state (base word; sacct's `CANCELLED by <uid>` included) onto JobState. */
export function mapSlurmState(f: SlurmFacts): JobState {
  const [word = '', ...rest] = f.state.trim().split(/\s+/);
  const base = word.replace(/\+$/, '').toUpperCase();
  const reason = cleanReason(f.reason) ?? (rest.length ? rest.join(' ') : undefined);
  const known = { ...(reason ? { reason } : {}) };
  const ended = {
    ...known,
    ...(f.exitCode !== undefined ? { exitCode: f.exitCode } : {}),
    ...(f.signal !== undefined ? { signal: f.signal } : {}),
  };
  switch (base) {
    case 'PENDING':
    case 'PD':
      return reason && describePendingReason(reason).stuck ? { state: 'PENDING', ...known, stuck: true } : { state: 'PENDING', ...known };
    case 'CONFIGURING':
    case 'REQUEUED':
    case 'REQUEUE_HOLD':
    case 'REQUEUE_FED':
    case 'RESV_DEL_HOLD':
      return { state: 'PENDING', ...known, detail: base };
    case 'RUNNING':
    case 'R':
      return { state: 'RUNNING', ...known };
    case 'COMPLETING':
    case 'SIGNALING':
    case 'STAGE_OUT':
    case 'SUSPENDED':
    case 'STOPPED':
    case 'RESIZING':
    case 'UPDATE_DB':
    case 'POWER_UP_NODE':
      return { state: 'RUNNING', ...known, detail: base };
    case 'COMPLETED':
    case 'CD':
      return { state: 'COMPLETED', exitCode: 0 };
    case 'FAILED':
    case 'F':
      return { state: 'FAILED', ...ended };
    case 'SPECIAL_EXIT':
      return { state: 'FAILED', ...ended, detail: base };
    case 'CANCELLED':
    case 'CA':
      return { state: 'CANCELLED', ...ended };
    case 'REVOKED':
      return { state: 'CANCELLED', ...ended, detail: base };
    case 'TIMEOUT':
    case 'TO':
      return { state: 'TIMEOUT', ...ended };
    case 'DEADLINE':
      return { state: 'TIMEOUT', ...ended, detail: base };
    case 'NODE_FAIL':
    case 'NF':
      return { state: 'NODE_FAIL', ...ended };
    case 'BOOT_FAIL':
      return { state: 'NODE_FAIL', ...ended, detail: base };
    case 'OUT_OF_MEMORY':
    case 'OOM':
      return { state: 'OUT_OF_MEMORY', ...ended };
    case 'PREEMPTED':
    case 'PR':
      return { state: 'PREEMPTED', ...ended };
    default:
      // A state newer than this table: report it rather than guess whether it ended.
      return { state: 'FAILED', ...ended, detail: base || 'unknown', reason: `unknown Slurm state '${f.state}'` };
  }
}

function cleanReason(reason: string | undefined): string | undefined {
  const r = reason?.trim();
  return r && r !== 'None' && r !== '(null)' ? r : undefined;
}
