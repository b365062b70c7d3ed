// MFU on a machine without a published peak (the CPU ranks of the embedded default) divides by a MEASURED peak:
// the best bf16/fp32 matmul rate one rank's share of the cores reaches. Measured once per host/dtype/threads and
// cached under TRAINBENCH_HOME, with the method, so every report can print how the peak was obtained.
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { join, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { environmentError } from '../../core/errors.ts';
import { findPython } from '../python/index.ts';

export interface MeasuredPeak {
  flopsPerRank: number;
  dtype: 'bf16' | 'fp32';
  threads: number;
  method: string;
  host: string;
  measuredAt: string;
  cached: boolean;
  /** Where the measurement is cached (printed so a user can delete it to measure again). */
  cacheFile: string;
}

/** One rank's share of the cores, as `trainbench run` gives each CPU rank (OMP_NUM_THREADS). */
export const cpuThreadsPerRank = (ranks: number, cores = availableParallelism()): number => Math.max(1, Math.floor(cores / ranks));

/** The matmul dtype measured for a training dtype on a CPU: tf32 runs as fp32 there, everything else as bf16. */
export const cpuPeakDtype = (dtype: string | undefined): 'bf16' | 'fp32' => (dtype === 'tf32' ? 'fp32' : 'bf16');

/** How a measured peak was obtained and where it is cached, for an assumption line. */
export const describeMeasuredPeak = (p: MeasuredPeak): string => `${p.method}${p.cached ? ', cached' : ''} in ${p.cacheFile}`;

export const cpuPeakCacheFile = (home: string, dtype: 'bf16' | 'fp32', threads: number): string =>
  join(home, 'peaks', `${hostname()}-cpu-${dtype}-${threads}t.json`);

const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'workload', 'tools', 'peak_flops.py');

export function measuredCpuPeak(home: string, dtype: 'bf16' | 'fp32', threads: number, env = process.env): MeasuredPeak {
  const host = hostname();
  const cacheFile = cpuPeakCacheFile(home, dtype, threads);
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as MeasuredPeak;
    if (cached.flopsPerRank > 0) return { ...cached, cached: true, cacheFile };
  } catch {
    // not measured yet (or unreadable): measure below
  }
  const python = findPython(env);
  const run = spawnSync(python, [script, '--dtype', dtype, '--threads', String(threads), '--n', '1024', '--reps', '8'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0) {
    throw environmentError(`measuring the CPU matmul peak failed: ${run.stderr.trim().split('\n').pop() ?? ''}`, {
      code: 'peak-measure-failed',
      hint: `run ${python} ${script} by hand to see the error`,
    });
  }
  const out = JSON.parse(run.stdout) as { best_flops: number; method: string };
  const peak: MeasuredPeak = {
    flopsPerRank: out.best_flops,
    dtype,
    threads,
    method: `measured: ${out.method} (${host})`,
    host,
    measuredAt: new Date().toISOString(),
    cached: false,
    cacheFile,
  };
  mkdirSync(dirname(cacheFile), { recursive: true });
  writeFileSync(`${cacheFile}.tmp`, JSON.stringify(peak, null, 2));
  renameSync(`${cacheFile}.tmp`, cacheFile);
  return peak;
}
