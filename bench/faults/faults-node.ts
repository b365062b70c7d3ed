// Node failure on the namespace cluster (scripts/cluster-netns.sh: its own slurmctld, JobRequeue=0, so a lost node
// ends the job NODE_FAIL): node2 is set DOWN mid-run (and drained, so it stays out until RESUME); trainbench must report a node failure naming node2 (not a crash),
// resubmit per --resubmit, and the new job runs once node2 is back (RESUME), resuming from the last checkpoint.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { netnsSlurmEnv } from '../../src/adapters/cluster/netns.ts';
import { acquireClusterLock } from '../../src/adapters/cluster/__tests__/cluster-lock.ts';
import { runCli } from '../../src/cli/__tests__/run-cli.ts';
import { parseRunJson, sleep, slurm, startRun, storedRun, waitForStep, loggedLosses } from './harness.ts';
import { Checks } from './row.ts';
import { stepsLost } from './faults-resume.ts';
import { dataLoss, type Fault } from './types.ts';

const EVERY = 5;

export const nodeDown: Fault = {
  name: 'node DOWN (scontrol)',
  expected: `NODE_FAIL naming node2 (not a crash); resubmitted, runs when node2 is back; lost <= ${EVERY}`,
  short: false,
  async run(ctx) {
    const release = await acquireClusterLock();
    try {
      const up = await runCli(['cluster', 'up', '--nodes', '2'], { env: ctx.env });
      if (up.code !== 0) return { observed: `no namespace cluster here: ${up.stderr.split('\n')[0]}`, stepsLost: '-', dataLost: '-', pass: 'skipped', failures: [] };
      const senv = netnsSlurmEnv(ctx.env);
      const c = new Checks();
      const steps = 40;
      const started = await startRun(ctx, ['workload-mini-cpu-2node', '--cluster', 'netns', '--steps', String(steps), '--checkpoint-every', String(EVERY),
        '--resubmit', '1', '--no-telemetry', '--json', '--watchdog-k', '0']);
      await waitForStep(started.handle, 7);
      const down = slurm('scontrol', ['update', 'NodeName=node2', 'State=DOWN', 'Reason=fault-suite'], senv);
      c.that(down.code === 0, `scontrol update failed: ${down.out}`);
      // This cluster's ReturnToService=2 brings a DOWN node back as soon as its slurmd answers a ping (seconds); a
      // drain right after holds it out, like a failed node waiting for an admin, so the resubmitted job has to wait.
      slurm('scontrol', ['update', 'NodeName=node2', 'State=DRAIN', 'Reason=fault-suite'], senv);
      // Wait for the resubmission, keep the node down a little (the job must wait), then bring it back.
      const attemptsFile = join(started.runDir, 'attempts.json');
      let pendingSeen = '';
      for (let i = 0; i < 240; i++) {
        try {
          if ((JSON.parse(readFileSync(attemptsFile, 'utf8')) as unknown[]).length >= 2) break;
        } catch {
          // being written
        }
        await sleep(500);
      }
      await sleep(3000);
      pendingSeen = slurm('squeue', ['-h', '-j', started.handle().jobId, '-o', '%T %r'], senv).out;
      slurm('scontrol', ['update', 'NodeName=node2', 'State=RESUME'], senv);
      const o = parseRunJson(await started.done);
      const a0 = o.attempts[0];
      const lost = stepsLost(o);
      const stored = storedRun(ctx, started.runDir);
      const logged = o.attempts.reduce((n, a) => n + loggedLosses(a.logFile).size, 0);
      c.that(a0?.state?.state === 'NODE_FAIL', `first attempt ended ${a0?.state?.state}`);
      c.that(/node failure: node2/.test((a0?.state as { reason?: string } | undefined)?.reason ?? ''), 'node2 not named');
      c.that(/^PENDING/.test(pendingSeen), `the resubmitted job was '${pendingSeen}' while node2 was down`);
      c.that(o.state.state === 'COMPLETED', `final ${o.state.state}`);
      c.that((o.attempts[1]?.resumedFrom ?? 0) > 0, 'the resubmitted job started fresh');
      c.that(lost <= EVERY, `${lost} steps lost`);
      c.that(new Set(stored.steps.map((s) => s.step)).size === steps, 'not every step stored');
      return {
        observed: `${a0?.state?.state} (${((a0?.state as { reason?: string } | undefined)?.reason ?? '').split('\n')[0]}); resubmitted job ${pendingSeen} while down; then ${o.state.state}, resumed at ${o.attempts[1]?.resumedFrom}`,
        stepsLost: String(lost), dataLost: dataLoss(stored.steps.length, logged), pass: c.failures.length === 0, failures: c.failures,
      };
    } finally {
      await runCli(['cluster', 'down'], { env: ctx.env });
      release();
    }
  },
};
