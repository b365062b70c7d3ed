// trainbench itself killed mid-run (the job goes on; status / logs -f finish the stored record once, from the run
// directory) and a finished job that Slurm no longer knows with accounting off (no slurmdbd: sacct fails): the final
// state must then come from the log markers and the batch script's exit file.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createSlurmExecutor } from '../../src/adapters/executors/slurm.ts';
import { listRuns, readJobHandle } from '../../src/adapters/rundir/index.ts';
import { runCli } from '../../src/cli/__tests__/run-cli.ts';
import { loggedLosses, sleep, slurm, storedRun, waitForStep, type SuiteContext } from './harness.ts';
import { Checks } from './row.ts';
import { dataLoss, type Fault, type FaultResult } from './types.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export const trainbenchKilled: Fault = {
  name: 'trainbench run kill -9',
  expected: 'job goes on in Slurm; logs -f / status reattach and record it once',
  short: true,
  async run(ctx: SuiteContext): Promise<FaultResult> {
    const c = new Checks();
    const before = new Set(listRuns(ctx.home));
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/vite-node/vite-node.mjs'), join(ROOT, 'bench/faults/cli.ts'), '--',
      'run', '--steps', '12', '--executor', 'slurm', '--no-telemetry', '--json'], { cwd: ROOT, env: ctx.env, stdio: 'ignore' });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    let runDir: string | undefined;
    for (let i = 0; i < 600 && !runDir; i++) {
      runDir = listRuns(ctx.home).find((d) => !before.has(d));
      if (!runDir) await sleep(200);
    }
    if (!runDir) throw new Error('the trainbench process never submitted');
    const dir = runDir;
    await waitForStep(() => readJobHandle(dir), 2);
    child.kill('SIGKILL');
    await exited;
    const handle = readJobHandle(dir);
    const squeue = slurm('squeue', ['-h', '-j', handle.jobId, '-o', '%T']).out;
    c.that(squeue === 'RUNNING', `after the kill squeue says '${squeue}', expected RUNNING`);
    c.that(storedRun(ctx, dir).state === 'RUNNING', 'the stored run is not RUNNING while its job runs on');
    const follow = await runCli(['logs', '-f', dir], { env: ctx.env });
    const logged = loggedLosses(handle.logFile).size;
    c.that(follow.code === 0 && /iteration 11\/11/.test(follow.stdout), 'logs -f did not follow the job to its last step');
    const afterFollow = storedRun(ctx, dir);
    const status = await runCli(['status', dir, '--json'], { env: ctx.env });
    const doc = JSON.parse(status.stdout) as { state: { state: string }; stored?: { updated: boolean; stepsStored: number; storedState: string } };
    const again = storedRun(ctx, dir);
    c.that(doc.state.state === 'COMPLETED', `status says ${doc.state.state}`);
    c.that(afterFollow.state === 'COMPLETED', `stored state after logs -f: ${afterFollow.state}`);
    c.that(afterFollow.steps.length === logged && logged === 12, `stored ${afterFollow.steps.length} steps, logged ${logged}, expected 12`);
    c.that(doc.stored?.updated === false && again.steps.length === afterFollow.steps.length, 'a second reattach changed the record');
    return {
      observed: `squeue ${squeue} after the kill; logs -f then status: stored ${afterFollow.state}, ${afterFollow.steps.length} steps; again: ${again.steps.length}`,
      stepsLost: '0', dataLost: dataLoss(again.steps.length, logged), pass: c.failures.length === 0, failures: c.failures,
    };
  },
};

/** A job id Slurm never issued (default MaxJobId is 67043328): what a purged job looks like to scontrol. */
const PURGED_ID = '67043000';

export const purgedNoAccounting: Fault = {
  name: 'accounting off + job purged',
  expected: 'final state of each finished run from log markers / exit file = the state stored',
  short: true,
  async run(ctx: SuiteContext): Promise<FaultResult> {
    const c = new Checks();
    const config = slurm('scontrol', ['show', 'config']).out;
    const accountingOff = /AccountingStorageType\s*=\s*accounting_storage\/none/.test(config);
    const sacct = slurm('sacct', ['-n', '-X', '-j', PURGED_ID]);
    if (!accountingOff) return { observed: 'accounting is on here', stepsLost: '-', dataLost: '-', pass: 'skipped', failures: [] };
    const shown = slurm('scontrol', ['show', 'job', PURGED_ID]).out;
    c.that(/Invalid job id/i.test(shown), `scontrol knows job ${PURGED_ID}: ${shown.slice(0, 80)}`);
    const executor = createSlurmExecutor();
    const seen: string[] = [];
    for (const dir of listRuns(ctx.home)) {
      const handle = readJobHandle(dir);
      const stored = storedRun(ctx, dir).state;
      if (handle.executor !== 'slurm' || !['COMPLETED', 'CANCELLED', 'FAILED'].includes(stored)) continue;
      const state = await executor.status({ ...handle, jobId: PURGED_ID, logFile: handle.logFile });
      seen.push(`${stored}->${state.state}`);
      c.that(state.state === stored, `${dir}: from files ${state.state}, stored ${stored}`);
    }
    c.that(seen.length >= 2, `only ${seen.length} finished runs to check`);
    return {
      observed: `sacct exit ${sacct.code}; ${seen.length} runs, stored->from files: ${[...new Set(seen)].join(', ')}`,
      stepsLost: '-', dataLost: '-', pass: c.failures.length === 0, failures: c.failures,
    };
  },
};
