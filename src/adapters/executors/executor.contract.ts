// The one contract every executor passes (local.test.ts, slurm.test.ts): a 2-rank run of the real reference workload
// (workload/train.py, torch.distributed gloo on CPU) completes with its logs, a rank that raises fails the job with
// that rank's error as the reason, a running job can be cancelled, and a cancelled run resumes from its checkpoint.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobSpec } from '../../core/jobs/spec.ts';
import type { JobState } from '../../core/jobs/state.ts';
import { readJobHandle } from '../rundir/job-file.ts';
import type { Executor, JobHandle } from './types.ts';

export const PYTHON = '/usr/bin/python3';
export const TRAIN_PY = resolve(import.meta.dirname, '..', '..', '..', 'workload', 'train.py');
const STEP = /^Training epoch \d+, iteration (\d+)\//m;

export interface ContractOptions {
  create: () => Executor;
  /** Set when the executor cannot run here; the suite is skipped with this message. */
  skip?: () => string | undefined;
  /** Shape of every job (e.g. 2 nodes x 1 task on the namespace cluster) and environment the ranks need. */
  base?: Partial<Omit<JobSpec, 'runDir' | 'command'>>;
}

export function tinyConfig(runDir: string, steps: number, ckptDir = join(runDir, 'ckpt')): object {
  return {
    model: { layers: 1, hidden: 64, ffn: 128, heads: 2, kv_heads: 1, vocab: 256 },
    task: 'pretrain',
    seq_len: 32,
    micro_batch: 1,
    global_batch: 2,
    steps,
    dtype: 'fp32',
    cpu_threads: 1,
    data: { kind: 'mock' },
    checkpoint: { dir: ckptDir, every: 2 },
  };
}

const stepsIn = (text: string): number[] =>
  text.split('\n').flatMap((l) => (STEP.test(l) ? [Number(STEP.exec(l)![1])] : []));

const eventsIn = (text: string): Record<string, unknown>[] =>
  text.split('\n').flatMap((l) => (l.startsWith('TRAINBENCH_EVENT ') ? [JSON.parse(l.slice(17)) as Record<string, unknown>] : []));

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

export function runExecutorContract(name: string, options: ContractOptions): void {
  const root = mkdtempSync(join(tmpdir(), `tb-exec-${name}-`));
  let n = 0;
  const spec = (steps: number, extra: Partial<JobSpec> = {}, ckptDir?: string): JobSpec => {
    const runDir = join(root, `run${++n}`);
    const base: JobSpec = {
      name: `contract-${name}`,
      runDir,
      nodes: 1,
      tasksPerNode: 2,
      command: [PYTHON, TRAIN_PY, '--config', join(runDir, 'run.json')],
      ...options.base,
      ...extra,
      env: { ...options.base?.env, ...extra.env },
    };
    // The config lives in the run dir, written before submission.
    rmSync(runDir, { recursive: true, force: true });
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'run.json'), JSON.stringify(tinyConfig(runDir, steps, ckptDir)));
    return base;
  };
  const handles: JobHandle[] = [];
  let executor: Executor | undefined;
  const exec = () => (executor ??= options.create());

  afterAll(async () => {
    for (const h of handles) await exec().cancel(h).catch(() => undefined); // leave no rank behind
    rmSync(root, { recursive: true, force: true });
  });

  const submit = async (s: JobSpec) => {
    const h = await exec().submit(s);
    handles.push(h);
    return h;
  };
  const mainLog = (h: JobHandle) => read(exec().logFiles(h)[0] ?? '');
  /** Polls until rank 0 has printed step `step` (or the job ended). */
  async function reachStep(h: JobHandle, step: number): Promise<JobState> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const state = await exec().status(h);
      if (stepsIn(mainLog(h)).some((s) => s >= step) || Date.now() > deadline) return state;
      if (state.state !== 'PENDING' && state.state !== 'RUNNING') return state;
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  const skipReason = options.skip?.();
  describe.skipIf(skipReason !== undefined)(`executor contract: ${name}`, () => {
    it('runs 2 ranks to COMPLETED, with job.json and the step lines in the logs', async () => {
      const h = await submit(spec(5));
      expect(readJobHandle(h.runDir)).toEqual(h);
      const polled: string[] = [];
      const final = await exec().wait(h, { pollMs: 300, onPoll: (s) => polled.push(s.state) });
      expect(final, mainLog(h)).toEqual({ state: 'COMPLETED', exitCode: 0 });
      expect(polled.at(-1)).toBe('COMPLETED');
      expect(stepsIn(mainLog(h))).toEqual([0, 1, 2, 3, 4]);
      expect(exec().logFiles(h).every((f) => existsSync(f))).toBe(true);
      expect(exec().logFiles(h).some((f) => f.endsWith('log-rank1.out'))).toBe(true);
    });

    it('turns a rank that raises into FAILED with that rank\'s error as the reason', async () => {
      const h = await submit(spec(5, { env: { TRAINBENCH_FAULT: 'raise:step=1:rank=1' } }));
      const final = await exec().wait(h, { pollMs: 300 });
      expect(final.state, JSON.stringify(final)).toBe('FAILED');
      expect(final.reason ?? '').toContain('injected fault (TRAINBENCH_FAULT) at step 1 on rank 1');
      if (final.state === 'FAILED') expect(final.exitCode).toBeGreaterThan(0);
    });

    it('cancels a running job: CANCELLED, and status stays CANCELLED', async () => {
      const h = await submit(spec(100_000));
      const running = await reachStep(h, 1);
      expect(running.state, mainLog(h)).toBe('RUNNING');
      await exec().cancel(h);
      expect((await exec().status(h)).state).toBe('CANCELLED');
      expect((await exec().wait(h, { pollMs: 200 })).state).toBe('CANCELLED');
    });

    it('resumes a cancelled run from its checkpoint when relaunched', async () => {
      const ckpt = join(root, 'ckpt-resume');
      const first = await submit(spec(100_000, {}, ckpt));
      await reachStep(first, 3);
      await exec().cancel(first);
      // On SIGTERM the workload checkpoints the step it finished and says so; the relaunch runs 3 more steps.
      const preempted = eventsIn(mainLog(first)).find((e) => e.event === 'preempted');
      const stopped = Number(preempted?.step ?? NaN);
      expect(stopped, mainLog(first)).toBeGreaterThanOrEqual(3);
      const again = await submit(spec(stopped + 3, {}, ckpt));
      const final = await exec().wait(again, { pollMs: 300 });
      expect(final, mainLog(again)).toEqual({ state: 'COMPLETED', exitCode: 0 });
      expect(eventsIn(mainLog(again)).find((e) => e.event === 'start')?.resumed_from).toBe(stopped);
      expect(stepsIn(mainLog(again))).toEqual([stopped, stopped + 1, stopped + 2]);
    });
  });
}
