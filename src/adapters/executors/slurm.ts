// The slurm executor: renders sbatch.sh with renderSbatch, submits it with `sbatch --parsable`, follows it with
// `scontrol show job` (then `sacct`, then the log markers and the script's exit file once Slurm forgets the job), and
// cancels with `scancel`. Job logs: the seeds-style combined log plus one log-rank<N>.out per rank.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schedulerError } from '../../core/errors.ts';
import { PEER_LOST } from '../../core/classify/index.ts';
import { stateFromLogMarkers } from '../../core/jobs/log-markers.ts';
import { SACCT_FORMAT, parseSacct, parseScontrolShowJob } from '../../core/jobs/slurm-parse.ts';
import { safeWord, worldSize } from '../../core/jobs/spec.ts';
import { isTerminal } from '../../core/jobs/state.ts';
import type { JobSpec } from '../../core/jobs/spec.ts';
import type { JobState } from '../../core/jobs/state.ts';
import { SLURM_EXIT_FILE, renderSbatch, sbatchLogName } from '../../core/render/sbatch.ts';
import { writeJobHandle } from '../rundir/job-file.ts';
import { logTailReason, pollUntilDone, readTail, sleep } from './common.ts';
import { slurmCommand } from './slurm-cli.ts';
import type { SlurmCliOptions } from './slurm-cli.ts';
import type { Executor, JobHandle, WaitOptions } from './types.ts';

export interface SlurmExecutorOptions extends SlurmCliOptions {
  /** How long cancel() waits for the job to end after scancel. */
  cancelWaitMs?: number;
}

/** Ranks named in `srun: error: node: tasks 0-1,3: Exited with exit code N` lines. */
export function failedTasks(log: string): number[] {
  const tasks = new Set<number>();
  for (const m of log.matchAll(/srun: error: \S+: tasks? ([\d,-]+): Exited with exit code \d+/g)) {
    for (const part of (m[1] ?? '').split(',')) {
      const [a = '', b = a] = part.split('-');
      for (let t = Number(a); t <= Number(b); t++) tasks.add(t);
    }
  }
  return [...tasks];
}

/** The failing rank's last lines: of the ranks that exited non-zero, one that did not merely lose its peer, the one
 * whose log stopped first (log mtimes alone misorder ranks that fail within the same second). */
function failureReason(h: JobHandle): string | undefined {
  const log = readTail(h.logFile);
  // Each rank log is read and stat'ed once, not once per comparison.
  const candidates = failedTasks(log)
    .map((t) => join(h.runDir, `log-rank${t}.out`))
    .filter((f) => existsSync(f))
    .map((file) => ({ file, casualty: PEER_LOST.test(readTail(file, 16 * 1024)) ? 1 : 0, mtimeMs: statSync(file).mtimeMs }))
    .sort((a, b) => a.casualty - b.casualty || a.mtimeMs - b.mtimeMs);
  return logTailReason(candidates[0]?.file ?? h.logFile);
}

export function createSlurmExecutor(options: SlurmExecutorOptions = {}): Executor {
  const cli = (cmd: string, args: string[]) => slurmCommand(cmd, args, options);

  async function schedulerState(h: JobHandle): Promise<JobState | undefined> {
    const shown = await cli('scontrol', ['show', 'job', '-o', h.jobId]);
    const job = shown.code === 0 ? parseScontrolShowJob(shown.stdout).find((j) => j.jobId === h.jobId) : undefined;
    if (job) return job.state;
    if (shown.code !== 0 && !/Invalid job id/i.test(shown.stderr)) {
      throw schedulerError(`scontrol show job ${h.jobId} failed: ${shown.stderr.trim()}`, {
        code: 'scontrol-failed',
        hint: 'check that slurmctld is reachable (sinfo)',
      });
    }
    const acct = await cli('sacct', ['-P', '-n', '-X', '-j', h.jobId, `--format=${SACCT_FORMAT}`]).catch(() => undefined);
    if (acct && acct.code === 0) return parseSacct(`${SACCT_FORMAT.replace(/,/g, '|')}\n${acct.stdout}`, h.jobId)?.state;
    return undefined;
  }

  /** Slurm forgot the job (MinJobAge passed) and accounting is off: read what the job left behind. */
  function stateFromFiles(h: JobHandle): JobState {
    const marked = stateFromLogMarkers(readTail(h.logFile));
    if (marked) return marked;
    const exitFile = join(h.runDir, SLURM_EXIT_FILE);
    if (existsSync(exitFile)) {
      const code = Number(readFileSync(exitFile, 'utf8').trim());
      if (code === 0) return { state: 'COMPLETED', exitCode: 0 };
      const reason = failureReason(h);
      return { state: 'FAILED', exitCode: code, ...(reason ? { reason } : {}) };
    }
    return { state: 'FAILED', detail: 'UNKNOWN', reason: `Slurm no longer knows job ${h.jobId} and it left no outcome` };
  }

  async function status(h: JobHandle): Promise<JobState> {
    const state = (await schedulerState(h)) ?? stateFromFiles(h);
    if (state.state === 'FAILED' && state.detail === undefined) {
      // Slurm's reason (NonZeroExitCode) says little; the failing rank's last lines say what happened.
      const reason = failureReason(h);
      if (reason) return { ...state, reason };
    }
    return state;
  }

  return {
    name: 'slurm',

    async submit(spec: JobSpec): Promise<JobHandle> {
      mkdirSync(spec.runDir, { recursive: true });
      const script = join(spec.runDir, 'sbatch.sh');
      writeFileSync(script, renderSbatch(spec), { mode: 0o755 });
      // Values of spec.env reach the job through sbatch's environment (--export=ALL), never through the script.
      const out = await slurmCommand('sbatch', ['--parsable', script], {
        cwd: spec.runDir,
        env: { ...options.env, ...spec.env },
      });
      const jobId = out.stdout.trim().split(';')[0] ?? '';
      if (out.code !== 0 || !/^\d+$/.test(jobId)) {
        throw schedulerError(`sbatch refused the job: ${(out.stderr || out.stdout).trim()}`, {
          code: 'sbatch-failed',
          file: script,
          hint: 'check the partition/account/qos and the resources asked for against `sinfo`',
        });
      }
      const handle: JobHandle = {
        executor: 'slurm',
        jobId,
        name: safeWord(spec.name),
        runDir: spec.runDir,
        submittedAt: new Date().toISOString(),
        worldSize: worldSize(spec),
        logFile: join(spec.runDir, sbatchLogName(spec, jobId)),
      };
      writeJobHandle(handle);
      return handle;
    },

    status,

    wait: (h: JobHandle, o: WaitOptions = {}) => pollUntilDone(status, h, o, 2000),

    async cancel(h: JobHandle): Promise<void> {
      if (isTerminal(await status(h))) return;
      const out = await cli('scancel', [h.jobId]);
      if (out.code !== 0) {
        throw schedulerError(`scancel ${h.jobId} failed: ${out.stderr.trim()}`, { code: 'scancel-failed' });
      }
      const deadline = Date.now() + (options.cancelWaitMs ?? 60_000);
      while (Date.now() < deadline && !isTerminal(await status(h))) await sleep(500);
    },

    logFiles(h: JobHandle): string[] {
      const ranks = existsSync(h.runDir)
        ? readdirSync(h.runDir)
            .filter((f) => /^log-rank\d+\.out$/.test(f))
            .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')))
            .map((f) => join(h.runDir, f))
        : [];
      return [h.logFile, ...ranks];
    },
  };
}
