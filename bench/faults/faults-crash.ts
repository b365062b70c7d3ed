// Faults that end a job: a user's scancel, a rank SIGKILLed, a rank SIGSTOPped (the watchdog's case), and the
// workload's injected CUDA OOM / NCCL timeout / Python exception, each classified with the rank that caused it.
import { EXIT } from '../../src/core/errors.ts';
import { loggedLosses, parseRunJson, rankPid, slurm, startRun, storedRun, waitForStep, type SuiteContext } from './harness.ts';
import { Checks } from './row.ts';
import { dataLoss, type Fault, type FaultResult } from './types.ts';

export const SLURM_ARGS = ['--executor', 'slurm', '--no-telemetry', '--json'];

export const scancelMidRun: Fault = {
  name: 'scancel mid-run',
  expected: `CANCELLED, exit ${EXIT.jobFailed}, every logged step stored`,
  short: true,
  async run(ctx: SuiteContext): Promise<FaultResult> {
    const c = new Checks();
    const started = await startRun(ctx, ['--steps', '40', '--checkpoint-every', '4', ...SLURM_ARGS]);
    await waitForStep(started.handle, 3);
    slurm('scancel', [started.handle().jobId]);
    const r = await started.done;
    const o = parseRunJson(r);
    const stored = storedRun(ctx, started.runDir);
    const logged = loggedLosses(o.attempts[0]!.logFile).size;
    c.that(o.state.state === 'CANCELLED', `state ${o.state.state}, expected CANCELLED`);
    c.that(r.code === EXIT.jobFailed, `exit ${r.code}, expected ${EXIT.jobFailed}`);
    c.that(stored.state === 'CANCELLED', `stored state ${stored.state}`);
    c.that(logged >= 4 && stored.steps.length === logged, `stored ${stored.steps.length} of ${logged} logged steps`);
    c.that(o.attempts.length === 1, `a cancelled job was resubmitted (${o.attempts.length} attempts)`);
    return {
      observed: `${o.state.state}, exit ${r.code}, ${stored.steps.length}/${logged} steps stored`,
      stepsLost: 'n/a', dataLost: dataLoss(stored.steps.length, logged), pass: c.failures.length === 0, failures: c.failures,
    };
  },
};

export const rankKilled: Fault = {
  name: 'rank 1 kill -9',
  expected: 'FAILED fast (no hang), rank 1 named, cause SIGKILL',
  short: true,
  async run(ctx) {
    const c = new Checks();
    const started = await startRun(ctx, ['--steps', '200', ...SLURM_ARGS]);
    await waitForStep(started.handle, 2);
    const pid = await rankPid(started.runDir, 1);
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    const r = await started.done;
    const endedS = (Date.now() - killedAt) / 1000;
    const o = parseRunJson(r);
    const stored = storedRun(ctx, started.runDir);
    const logged = loggedLosses(o.attempts[0]!.logFile).size;
    c.that(o.state.state === 'FAILED', `state ${o.state.state}`);
    c.that(endedS < 90, `the job took ${endedS.toFixed(0)} s to end after the kill (hang?)`);
    c.that(o.diagnosis?.rank === 1, `diagnosis names rank ${o.diagnosis?.rank}`);
    c.that(/SIGKILL/.test(o.diagnosis?.rankCause ?? ''), `cause not SIGKILL: ${o.diagnosis?.rankCause} (${o.diagnosis?.rankEvidence})`);
    c.that(stored.steps.length === logged, `stored ${stored.steps.length} of ${logged}`);
    return {
      observed: `${o.state.state} ${endedS.toFixed(0)} s after the kill; rank ${o.diagnosis?.rank} ${o.diagnosis?.rankCause ?? '?'} (classifier: ${o.diagnosis?.kind})`,
      stepsLost: 'n/a', dataLost: dataLoss(stored.steps.length, logged), pass: c.failures.length === 0, failures: c.failures,
    };
  },
};

export const rankStopped: Fault = {
  name: 'rank 1 SIGSTOP (hang)',
  expected: 'watchdog (K=5 x median step, >= 10 s) flags it, names rank 1, cancels',
  short: false,
  async run(ctx) {
    const c = new Checks();
    const started = await startRun(ctx, ['--steps', '200', '--watchdog-k', '5', '--watchdog-min', '10', ...SLURM_ARGS]);
    await waitForStep(started.handle, 4);
    const pid = await rankPid(started.runDir, 1);
    process.kill(pid, 'SIGSTOP');
    let r;
    try {
      r = await started.done;
    } finally {
      try {
        process.kill(pid, 'SIGCONT'); // normally gone already (Slurm's SIGKILL after KillWait)
      } catch {
        // ended
      }
    }
    const o = parseRunJson(r);
    const stored = storedRun(ctx, started.runDir);
    const logged = loggedLosses(o.attempts[0]!.logFile).size;
    c.that(o.state.state === 'CANCELLED', `state ${o.state.state}`);
    c.that(o.watchdog?.silent?.rank === 1, `watchdog silent rank ${o.watchdog?.silent?.rank}`);
    c.that(o.diagnosis?.rank === 1, `diagnosis rank ${o.diagnosis?.rank}`);
    c.that(stored.steps.length === logged, `stored ${stored.steps.length} of ${logged}`);
    return {
      observed: `${o.state.state}; ${o.watchdog?.message ?? 'no watchdog report'}`,
      stepsLost: 'n/a', dataLost: dataLoss(stored.steps.length, logged), pass: c.failures.length === 0, failures: c.failures,
    };
  },
};

function injected(name: string, spec: string, kind: string, rank: number | undefined, short: boolean): Fault {
  return {
    name,
    expected: `FAILED, classified ${kind}${rank !== undefined ? `, rank ${rank}` : ''}`,
    short,
    async run(ctx) {
      const c = new Checks();
      const r = await (await startRun(ctx, ['--steps', '20', '--inject-fault', spec, ...SLURM_ARGS])).done;
      const o = parseRunJson(r);
      const stored = storedRun(ctx, o.runDir);
      const logged = loggedLosses(o.attempts[0]!.logFile).size;
      c.that(o.state.state === 'FAILED', `state ${o.state.state}`);
      c.that(o.diagnosis?.kind === kind, `classified ${o.diagnosis?.kind}`);
      if (rank !== undefined) c.that(o.diagnosis?.rank === rank, `rank ${o.diagnosis?.rank}`);
      c.that((stored.diagnosis as { kind?: string } | null)?.kind === kind, 'diagnosis not stored');
      c.that(stored.steps.length === logged, `stored ${stored.steps.length} of ${logged}`);
      return {
        observed: `${o.state.state}; ${o.diagnosis?.kind}${o.diagnosis?.rank !== undefined ? ` rank ${o.diagnosis.rank}` : ''}: ${o.diagnosis?.summary.split('\n')[0]?.slice(0, 90)}`,
        stepsLost: 'n/a', dataLost: dataLoss(stored.steps.length, logged), pass: c.failures.length === 0, failures: c.failures,
      };
    },
  };
}

export const cudaOom = injected('injected CUDA OOM', 'oom:step=2:rank=1', 'cuda_oom', 1, true);
export const ncclTimeout = injected('injected NCCL timeout', 'nccl_timeout:step=2:rank=1', 'nccl_timeout', 1, false);
export const pythonError = injected('injected exception', 'raise:step=2:rank=1', 'python_exception', 1, false);
