// Faults a run survives by resuming: a preemption signal (USR1, what Slurm's --signal sends before the time limit),
// the real time limit with --signal=USR1@S, and a node marked DOWN mid-run (namespace cluster). Each is resubmitted by
// `trainbench run --resubmit N`; the workload resumes from its newest checkpoint; the losses at the resumed steps are
// compared with an uninterrupted reference run (same seed, same data order: mock data is a function of the sample).
import { SLURM_ARGS } from './faults-crash.ts';
import { loggedLosses, parseRunJson, slurm, startRun, storedRun, waitForStep, type RunJson, type SuiteContext } from './harness.ts';
import { Checks } from './row.ts';
import { dataLoss, type Fault, type FaultResult } from './types.ts';

export const LOSS_TOLERANCE = 1e-3; // relative; on CPU the resumed losses match bit for bit (4 printed decimals)

/** Steps lost at each resume: steps the previous attempt logged past the checkpoint it resumed from, summed. */
export function stepsLost(o: RunJson): number {
  let lost = 0;
  for (let i = 1; i < o.attempts.length; i++) {
    const prev = o.attempts[i - 1]!;
    const next = o.attempts[i]!;
    lost += Math.max(0, (prev.lastStep ?? -1) + 1 - (next.resumedFrom ?? 0));
  }
  return lost;
}

/** Runs a fresh reference for `steps` steps and compares its losses with the resumed attempts' losses. */
async function compareWithReference(ctx: SuiteContext, o: RunJson, c: Checks): Promise<string> {
  const resumed = new Map<number, number>();
  for (const a of o.attempts.slice(1)) for (const [s, l] of loggedLosses(a.logFile)) resumed.set(s, l);
  const firstResumed = Math.min(...o.attempts.slice(1).map((a) => a.resumedFrom ?? Infinity));
  if (!Number.isFinite(firstResumed)) return 'no resumed steps';
  const upTo = Math.min(Math.max(...o.attempts.slice(1).map((a) => a.resumedFrom ?? 0)) + (ctx.short ? 2 : 10), Math.max(...resumed.keys()));
  const ref = parseRunJson(await (await startRun(ctx, ['--steps', String(upTo + 1), '--watchdog-k', '0', ...SLURM_ARGS])).done);
  const refLoss = loggedLosses(ref.attempts[0]!.logFile);
  let worst = 0;
  let compared = 0;
  for (const [s, l] of resumed) {
    const r = refLoss.get(s);
    if (r === undefined) continue;
    compared++;
    worst = Math.max(worst, Math.abs(l - r) / Math.max(Math.abs(r), 1e-12));
  }
  c.that(compared >= 2, `only ${compared} resumed steps compared with the reference`);
  c.that(worst <= LOSS_TOLERANCE, `resumed loss differs from the reference by ${worst.toExponential(2)} (tolerance ${LOSS_TOLERANCE})`);
  return `loss at ${compared} resumed steps = reference within ${worst.toExponential(1)}`;
}

function checkResumed(ctx: SuiteContext, o: RunJson, totalSteps: number, maxLost: number, c: Checks): { lost: number; stored: number } {
  const stored = storedRun(ctx, o.runDir);
  const lost = stepsLost(o);
  c.that(o.state.state === 'COMPLETED', `final state ${o.state.state}`);
  c.that(o.attempts.length >= 2, `${o.attempts.length} attempt(s): never interrupted or never resubmitted`);
  for (const a of o.attempts.slice(1)) c.that(typeof a.resumedFrom === 'number' && a.resumedFrom > 0, `attempt ${a.attempt} started fresh instead of resuming`);
  c.that(lost <= maxLost, `${lost} steps lost (> ${maxLost})`);
  const preemptedInTime = o.attempts.slice(0, -1).every((a) => a.preempted?.signal === 'SIGUSR1');
  if (preemptedInTime) c.that(lost === 0, `the signal came in time but ${lost} steps were lost`);
  const distinct = new Set(stored.steps.map((s) => s.step));
  c.that(distinct.size === totalSteps, `stored ${distinct.size} distinct steps of ${totalSteps}`);
  c.that(stored.steps.length === totalSteps + lost, `stored ${stored.steps.length} step rows for ${totalSteps} steps + ${lost} repeated`);
  c.that(stored.state === 'COMPLETED', `stored state ${stored.state}`);
  return { lost, stored: stored.steps.length };
}

const logged = (o: RunJson): number => o.attempts.reduce((n, a) => n + loggedLosses(a.logFile).size, 0);

export const preemptionSignal: Fault = {
  name: 'preemption signal (USR1)',
  expected: 'checkpoint on USR1, resubmitted, resumes there: 0 steps lost, loss = reference',
  short: true,
  async run(ctx): Promise<FaultResult> {
    const c = new Checks();
    const steps = ctx.short ? 12 : 30;
    const started = await startRun(ctx, ['--steps', String(steps), '--checkpoint-every', '5', '--resubmit', '1', ...SLURM_ARGS]);
    await waitForStep(started.handle, 5);
    slurm('scancel', ['-s', 'USR1', started.handle().jobId]);
    const o = parseRunJson(await started.done);
    const { lost, stored } = checkResumed(ctx, o, steps, 0, c);
    const cmp = await compareWithReference(ctx, o, c);
    const a0 = o.attempts[0];
    return {
      observed: `${o.attempts.map((a) => `${a.state?.state}${a.preempted ? `@${a.preempted.step}` : ''}`).join(' -> ')}; resumed at ${o.attempts[1]?.resumedFrom ?? '-'} (last logged ${a0?.lastStep ?? '-'}); ${cmp}`,
      stepsLost: String(lost), dataLost: dataLoss(stored, logged(o)), pass: c.failures.length === 0, failures: c.failures,
    };
  },
};

export const timeLimit: Fault = {
  name: 'time limit (--signal=USR1@60)',
  expected: 'USR1 before the limit: checkpoint, resubmit, resume; lost <= 10 (0 if signalled in time); loss = reference',
  short: false,
  async run(ctx): Promise<FaultResult> {
    const c = new Checks();
    const steps = 150;
    const args = ['--steps', String(steps), '--checkpoint-every', '10', '--time-limit', '2', '--signal-before', '60', '--resubmit', '4'];
    const o = parseRunJson(await (await startRun(ctx, [...args, ...SLURM_ARGS])).done);
    const { lost, stored } = checkResumed(ctx, o, steps, 10, c);
    const cmp = await compareWithReference(ctx, o, c);
    return {
      observed: `${o.attempts.map((a) => `${a.state?.state}${a.preempted ? `(${a.preempted.signal}@${a.preempted.step})` : ''}`).join(' -> ')}; ${cmp}`,
      stepsLost: String(lost), dataLost: dataLoss(stored, logged(o)), pass: c.failures.length === 0, failures: c.failures,
    };
  },
};
