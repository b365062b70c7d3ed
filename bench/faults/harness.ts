// Helpers the fault drills share: a `trainbench run` in this process (the real CLI through runCli) whose run
// directory and job are found as soon as it is submitted, waiting for the N-th step line, Slurm client commands, the
// ranks' PIDs, and the stored run read back from the results store.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../../src/cli/__tests__/run-cli.ts';
import { stepsInLog } from '../../src/adapters/watchdog/index.ts';
import { rankProcesses } from '../../src/adapters/watchdog/ranks.ts';
import { listRuns, readJobHandle } from '../../src/adapters/rundir/index.ts';
import { openStore } from '../../src/adapters/store/index.ts';
import type { JobHandle } from '../../src/adapters/executors/types.ts';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface SuiteContext {
  home: string;
  env: NodeJS.ProcessEnv;
  short: boolean;
  log: (line: string) => void;
}

export interface StartedCli {
  done: Promise<CliResult>;
  runDir: string;
  handle: () => JobHandle;
}

/** Starts `trainbench run ARGS` in this process and resolves once its run directory holds job.json. */
export async function startRun(ctx: SuiteContext, args: string[], timeoutMs = 120_000): Promise<StartedCli> {
  const before = new Set(listRuns(ctx.home));
  const done = runCli(['run', ...args], { env: ctx.env });
  let finished = false;
  void done.then(() => void (finished = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fresh = listRuns(ctx.home).find((d) => !before.has(d));
    if (fresh) return { done, runDir: fresh, handle: () => readJobHandle(fresh) };
    if (finished) throw new Error(`trainbench run ${args.join(' ')} ended before submitting: ${(await done).stderr}`);
    if (Date.now() > deadline) throw new Error('no run directory appeared');
    await sleep(200);
  }
}

/** Waits until the run's current main log shows step `step` (0-based) or later; returns the last step seen. */
export async function waitForStep(handle: () => JobHandle, step: number, timeoutMs = 180_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = stepsInLog(handle().logFile).lastStep;
    if (seen >= step) return seen;
    if (Date.now() > deadline) throw new Error(`step ${step} never appeared in ${handle().logFile}`);
    await sleep(250);
  }
}

export function slurm(cmd: string, args: string[], env: Record<string, string> = {}): { code: number; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

export async function rankPid(runDir: string, rank: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pid = rankProcesses(runDir).get(rank);
    if (pid) return pid;
    if (Date.now() > deadline) throw new Error(`no process for rank ${rank} of ${runDir}`);
    await sleep(200);
  }
}

export interface StoredRun {
  runId: string;
  state: string;
  steps: { step: number; attempt: number; loss: number | null }[];
  diagnosis: unknown;
}

export function storedRun(ctx: SuiteContext, runDir: string): StoredRun {
  const file = join(runDir, 'store-run.json');
  const runId = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { runId: string }).runId : '';
  const store = openStore(join(ctx.home, 'store.sqlite'), { env: ctx.env });
  try {
    const run = store.getRun(runId);
    const steps = store.getSteps(runId).map((s) => ({ step: s.step, attempt: s.attempt, loss: s.loss }));
    return { runId, state: run?.state ?? 'MISSING', steps, diagnosis: run?.diagnosis ?? null };
  } finally {
    store.close();
  }
}

/** Step lines (step -> loss) in a log file, in order. */
export function loggedLosses(logFile: string): Map<number, number> {
  const out = new Map<number, number>();
  if (!existsSync(logFile)) return out;
  for (const m of readFileSync(logFile, 'utf8').matchAll(/iteration (\d+)\/\d+ \|.*reduced_train_loss: ([0-9.eE+-]+|nan)/g)) {
    out.set(Number(m[1]), Number(m[2]));
  }
  return out;
}

export interface RunJson {
  state: { state: string; reason?: string; exitCode?: number };
  steps: number;
  runDir: string;
  attempts: { attempt: number; jobId: string; logFile: string; state?: { state: string }; firstStep?: number; lastStep?: number; resumedFrom?: number | null; preempted?: { signal: string; step: number } }[];
  watchdog?: { message: string; silent?: { rank: number; why: string } };
  diagnosis?: { kind: string; summary: string; rank?: number; rankCause?: string; rankEvidence?: string };
}

export function parseRunJson(r: CliResult): RunJson {
  try {
    return JSON.parse(r.stdout) as RunJson;
  } catch {
    throw new Error(`trainbench run printed no JSON (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  }
}
