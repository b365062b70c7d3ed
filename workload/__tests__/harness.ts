// Shared helpers for the workload tests: start real PyTorch ranks (Debian /usr/bin/python3, torch 1.13 CPU, gloo)
// the way the launcher does — one process per rank with RANK/WORLD_SIZE/LOCAL_RANK/MASTER_ADDR/MASTER_PORT.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Debian's torch 1.13 by default; TRAINBENCH_TEST_PYTHON runs the same suite on another interpreter (torch 2.x).
export const PYTHON = process.env['TRAINBENCH_TEST_PYTHON'] ?? '/usr/bin/python3';
export const TRAIN_PY = resolve(import.meta.dirname, '..', 'train.py');

// The NeMo-2-style line the trainbench parsers read; anchored so any drift in the format fails the tests.
export const STEP_LINE =
  /^Training epoch 0, iteration (\d+)\/(\d+) \| lr: ([0-9.e+-]+) \| global_batch_size: (\d+) \| global_step: (\d+) \| peak_memory_usage: (\d+) \| memory_allocated: (\d+) \| reduced_train_loss: (\d+\.\d{4}) \| train_step_timing in s: (\d+\.\d{4}) \| consumed_samples: (\d+)$/;

// A model small enough that a 2-rank run of a dozen steps takes a few seconds on 2 cores.
export const TINY = {
  model: { layers: 2, hidden: 64, ffn: 160, heads: 4, kv_heads: 2, vocab: 512 },
  seq_len: 32,
  micro_batch: 2,
  global_batch: 8,
  steps: 12,
  lr: 6e-3,
  dtype: 'bf16',
  cpu_threads: 1,
};

export interface RankResult {
  rank: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface WorkloadEvent {
  event: string;
  [key: string]: unknown;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tb-workload-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeConfig(dir: string, config: object, name = 'run.json'): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => ok(port));
    });
  });
}

export interface Launch {
  children: ChildProcess[];
  results: Promise<RankResult[]>;
  /** Resolves once rank 0 has printed a step event for `step` (or rejects if the run ends first). */
  stepReached: (step: number) => Promise<void>;
  /** Resolves once rank 0 has printed an event named `name` (or rejects if the run ends first). */
  eventReached: (name: string) => Promise<void>;
}

export interface LaunchOptions {
  world: number;
  configPath?: string;
  sets?: string[];
  env?: Record<string, string>;
  /** Give each rank Slurm's variables (SLURM_PROCID/SLURM_NTASKS/SLURM_LOCALID) instead of RANK/WORLD_SIZE. */
  slurm?: boolean;
  timeoutMs?: number;
}

export async function launch(opts: LaunchOptions): Promise<Launch> {
  const port = await freePort();
  const args = [TRAIN_PY, ...(opts.configPath ? ['--config', opts.configPath] : [])];
  for (const s of opts.sets ?? []) args.push('--set', s);
  const children: ChildProcess[] = [];
  const outputs: { stdout: string; stderr: string }[] = [];
  const waiters: { what: string; seen: (e: WorkloadEvent) => boolean; ok: () => void; fail: (e: Error) => void }[] = [];
  for (let rank = 0; rank < opts.world; rank++) {
    const ranks = opts.slurm
      ? { SLURM_PROCID: String(rank), SLURM_NTASKS: String(opts.world), SLURM_LOCALID: String(rank), SLURM_NNODES: '1' }
      : {
          RANK: String(rank),
          WORLD_SIZE: String(opts.world),
          LOCAL_RANK: String(rank),
          LOCAL_WORLD_SIZE: String(opts.world),
          MASTER_ADDR: '127.0.0.1',
        };
    const env: Record<string, string | undefined> = {
      ...process.env,
      ...ranks,
      MASTER_PORT: String(port),
      OMP_NUM_THREADS: '1',
      ...opts.env,
    };
    if (opts.slurm) for (const k of ['RANK', 'WORLD_SIZE', 'LOCAL_RANK', 'MASTER_ADDR']) delete env[k];
    const child = spawn(PYTHON, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    outputs.push(out);
    child.stdout?.on('data', (d: Buffer) => {
      out.stdout += d.toString();
      if (rank !== 0) return;
      for (const w of [...waiters]) {
        if (events(out.stdout).some(w.seen)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.ok();
        }
      }
    });
    child.stderr?.on('data', (d: Buffer) => (out.stderr += d.toString()));
    children.push(child);
  }
  const timer = setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), opts.timeoutMs ?? 240_000);
  const results = Promise.all(
    children.map(
      (child, rank) =>
        new Promise<RankResult>((ok) =>
          child.on('close', (code, signal) => ok({ rank, code, signal, ...outputs[rank]! })),
        ),
    ),
  ).then((r) => {
    clearTimeout(timer);
    for (const w of waiters) w.fail(new Error(`run ended before ${w.what}`));
    return r;
  });
  const stepReached = (step: number) =>
    new Promise<void>((ok, fail) => waiters.push({ what: `step ${step}`, seen: (e) => e.event === 'step' && e['step'] === step, ok, fail }));
  const eventReached = (name: string) =>
    new Promise<void>((ok, fail) => waiters.push({ what: `a ${name} event`, seen: (e) => e.event === name, ok, fail }));
  return { children, results, stepReached, eventReached };
}

/** Resolves once the process is stopped (state T in /proc/PID/stat): a `stop` fault has reached its moment. */
export async function stopped(pid: number): Promise<void> {
  for (;;) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')) return;
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

/** Delivers `signal` to a rank stopped by a `stop` fault, then lets it go on: the signal lands at that moment. */
export async function signalStopped(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  await stopped(child.pid!);
  child.kill(signal);
  child.kill('SIGCONT');
}

export async function runRanks(opts: LaunchOptions): Promise<RankResult[]> {
  return (await launch(opts)).results;
}

export function events(stdout: string): WorkloadEvent[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('TRAINBENCH_EVENT '))
    .map((l) => JSON.parse(l.slice('TRAINBENCH_EVENT '.length)) as WorkloadEvent);
}

export function stepLosses(stdout: string): Map<number, number> {
  const losses = new Map<number, number>();
  for (const e of events(stdout)) if (e.event === 'step') losses.set(e['step'] as number, e['loss'] as number);
  return losses;
}

export function describeFailure(results: RankResult[]): string {
  return results.map((r) => `rank ${r.rank} exit ${r.code} ${r.signal ?? ''}\n${r.stderr.slice(-3000)}`).join('\n');
}
