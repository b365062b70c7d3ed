// The local executor: nodes x tasksPerNode ranks on this host under a detached bash supervisor (local-supervisor.ts).
// Everything it knows lives in files in the run directory, so status/cancel work from any later process.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { environmentError } from '../../core/errors.ts';
import { safeWord, worldSize } from '../../core/jobs/spec.ts';
import { fromShellStatus, isTerminal } from '../../core/jobs/state.ts';
import type { JobSpec } from '../../core/jobs/spec.ts';
import type { JobState } from '../../core/jobs/state.ts';
import { writeJobHandle } from '../rundir/job-file.ts';
import { logTailReason, pollUntilDone, sleep } from './common.ts';
import { CANCEL_FILE, EXIT_FILE, SUPERVISOR_FILE, parseExitFile, renderSupervisor } from './local-supervisor.ts';
import type { Executor, JobHandle, WaitOptions } from './types.ts';

export interface LocalExecutorOptions {
  /** Seconds between SIGTERM and SIGKILL when stopping ranks (cancel, failure of a peer, time limit). */
  graceSeconds?: number;
}

/** A TCP port that is free right now on 127.0.0.1 (the rendezvous port of rank 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Alive and still our supervisor (PIDs get reused): its command line names supervisor.sh. */
function supervisorAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(SUPERVISOR_FILE);
  } catch {
    return false;
  }
}

function readRankPids(runDir: string): number[] {
  return readdirSync(runDir)
    .filter((f) => /^rank\d+\.pid$/.test(f))
    .map((f) => Number(readFileSync(join(runDir, f), 'utf8').trim()))
    .filter((p) => Number.isInteger(p) && p > 0);
}

function rankLog(runDir: string, rank: number): string {
  return join(runDir, `log-rank${rank}.out`);
}

export function createLocalExecutor(options: LocalExecutorOptions = {}): Executor {
  const graceSeconds = options.graceSeconds ?? 10;

  async function status(h: JobHandle): Promise<JobState> {
    const exitFile = join(h.runDir, EXIT_FILE);
    if (existsSync(exitFile)) {
      const exit = parseExitFile(readFileSync(exitFile, 'utf8'));
      if (exit.state === 'COMPLETED') return { state: 'COMPLETED', exitCode: 0 };
      if (exit.state === 'FAILED' && exit.rank !== undefined) {
        const reason = logTailReason(rankLog(h.runDir, exit.rank));
        const code = exit.status !== undefined ? fromShellStatus(exit.status) : {};
        return { state: 'FAILED', ...code, detail: `rank ${exit.rank}`, ...(reason ? { reason } : {}) };
      }
      if (exit.state === 'CANCELLED' || exit.state === 'TIMEOUT') return { state: exit.state };
      return { state: 'FAILED', reason: `unreadable ${EXIT_FILE}` };
    }
    if (supervisorAlive(h.pid)) return { state: 'RUNNING' };
    // The supervisor is gone without writing its outcome (killed -9, machine rebooted).
    if (existsSync(join(h.runDir, CANCEL_FILE))) return { state: 'CANCELLED', reason: 'supervisor stopped' };
    return { state: 'FAILED', reason: `the supervisor (pid ${h.pid ?? '?'}) ended without recording an outcome` };
  }

  return {
    name: 'local',

    async submit(spec: JobSpec): Promise<JobHandle> {
      mkdirSync(spec.runDir, { recursive: true });
      const port = spec.masterPort ?? (await freePort());
      const script = renderSupervisor({
        worldSize: worldSize(spec),
        tasksPerNode: spec.tasksPerNode,
        masterPort: port,
        graceSeconds,
        ...(spec.timeLimitMinutes !== undefined ? { timeLimitSeconds: spec.timeLimitMinutes * 60 } : {}),
        ...(spec.signal ? { signalSecondsBefore: spec.signal.secondsBefore } : {}),
      });
      writeFileSync(join(spec.runDir, SUPERVISOR_FILE), script, { mode: 0o755 });
      const log = openSync(join(spec.runDir, 'supervisor.log'), 'a');
      let pid: number | undefined;
      try {
        const child = spawn('bash', [SUPERVISOR_FILE, ...spec.command], {
          cwd: spec.runDir,
          detached: true, // its own session: survives trainbench and a Ctrl-C in its terminal
          stdio: ['ignore', log, log],
          env: { ...process.env, ...spec.env },
        });
        child.on('error', () => undefined); // reported through the missing pid below
        child.unref();
        pid = child.pid;
      } finally {
        closeSync(log);
      }
      if (pid === undefined) {
        throw environmentError('could not start bash for the local executor', { code: 'spawn-failed', hint: 'install bash' });
      }
      const handle: JobHandle = {
        executor: 'local',
        jobId: String(pid),
        name: safeWord(spec.name),
        runDir: spec.runDir,
        submittedAt: new Date().toISOString(),
        worldSize: worldSize(spec),
        logFile: rankLog(spec.runDir, 0),
        pid,
      };
      writeJobHandle(handle);
      return handle;
    },

    status,

    wait: (h: JobHandle, o: WaitOptions = {}) => pollUntilDone(status, h, o, 500),

    async cancel(h: JobHandle): Promise<void> {
      if (isTerminal(await status(h))) return;
      writeFileSync(join(h.runDir, CANCEL_FILE), new Date().toISOString() + '\n');
      if (h.pid !== undefined && supervisorAlive(h.pid)) process.kill(h.pid, 'SIGTERM');
      const deadline = Date.now() + (graceSeconds + 5) * 1000;
      while (Date.now() < deadline) {
        if (existsSync(join(h.runDir, EXIT_FILE))) return;
        await sleep(200);
      }
      // The supervisor did not finish in time: kill what is left and record the cancel ourselves.
      for (const pid of [...readRankPids(h.runDir), ...(h.pid !== undefined && supervisorAlive(h.pid) ? [h.pid] : [])]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      writeFileSync(join(h.runDir, EXIT_FILE), 'state=CANCELLED\nrank=\nstatus=\n');
    },

    logFiles(h: JobHandle): string[] {
      return Array.from({ length: h.worldSize }, (_, r) => rankLog(h.runDir, r));
    },
  };
}
