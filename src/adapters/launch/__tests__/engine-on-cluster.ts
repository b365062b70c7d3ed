// Helpers for running a rendered engine script for real on the namespace cluster: render it for a small GRES-free
// profile with the launcher replaced by rendezvous_probe.py (LaunchInput.launcherOverride, nothing else changed),
// submit it with sbatch, wait for the job, and collect the PROBE lines every worker printed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCatalog } from '../../catalog/index.ts';
import { rendererFor } from '../../../core/render/engines/index.ts';
import { netnsSlurmEnv } from '../../cluster/netns.ts';
import { planEngineLaunch, writeLaunchFiles, type EngineLaunch } from '../engine.ts';

export const PROBE = resolve(import.meta.dirname, 'rendezvous_probe.py');
export const PYTHON = '/usr/bin/python3';

/** A GRES-free profile for the namespace cluster: `gpusPerNode` launcher slots per node, gloo over eth0. */
export function netnsProfile(dir: string, stage: string, gpusPerNode: number): string {
  const file = join(dir, 'netns-engines.yaml');
  writeFileSync(
    file,
    [
      'schema_version: 1',
      'name: netns-engines',
      'partition: nodes',
      `gpus_per_node: ${gpusPerNode}`,
      'gpu_request: none',
      'time_limit: "00:10:00"',
      `stage_path: ${stage}`,
      `python: ${PYTHON}`,
      'env:',
      '  GLOO_SOCKET_IFNAME: eth0',
      '',
    ].join('\n'),
  );
  return file;
}

/** The seed-003 recipe rendered by `engine` for `nodes` x `perNode` processes, the launcher swapped for the probe. */
export function renderWithProbe(engine: 'llamafactory' | 'torchtitan', profile: string, runsDir: string, nodes: number, perNode: number): EngineLaunch {
  const recipe = loadCatalog().recipes.find((r) => r.engine === 'llamafactory')!;
  const plan = planEngineLaunch(recipe.id, { engine, cluster: profile, runsDir, steps: 2, now: new Date() });
  const numGpus = nodes * perNode;
  const input = {
    ...plan.input,
    runName: `probe-${engine}`,
    numGpus,
    gbs: numGpus,
    mbs: 1,
    tp: 1,
    pp: 1,
    cp: 1,
    launcherOverride: [PYTHON, PROBE, engine === 'llamafactory' ? 'accelerate' : 'torchrun'],
  };
  const launch = { ...plan, input, rendered: rendererFor(engine).render(input, plan.cluster) };
  writeLaunchFiles(launch);
  return launch;
}

export interface ProbeLine {
  launcher: string;
  node: string;
  machine_rank: number;
  nnodes: number;
  rank: number;
  local_rank: number;
  world_size: number;
  master_addr: string;
  master_port: number;
  allreduce_ones: number;
  allreduce_rank_sum: number;
  entry: string[];
  config_agrees?: boolean | null;
}

export interface JobOutcome {
  jobId: string;
  state: string;
  output: string;
  probes: ProbeLine[];
}

const slurm = (args: string[], slurmEnv: Record<string, string>, cwd?: string, extra: Record<string, string> = {}) =>
  spawnSync(args[0]!, args.slice(1), { cwd, encoding: 'utf8', env: { ...process.env, ...slurmEnv, ...extra }, timeout: 60_000 });

/**
 * Submits the launch's own submit argv (sbatch --parsable sbatch.sh) to the namespace cluster (or the cluster whose
 * client environment `slurmEnv` gives) and waits for the end.
 */
export async function submitAndWait(launch: EngineLaunch, timeoutMs = 240_000, slurmEnv: Record<string, string> = netnsSlurmEnv()): Promise<JobOutcome> {
  const argv = launch.rendered.submit[0]!;
  const probeDir = join(launch.runDir, 'probes');
  const sub = slurm(argv, slurmEnv, launch.runDir, { PROBE_DIR: probeDir });
  if (sub.status !== 0) throw new Error(`${argv.join(' ')} failed: ${sub.stderr}`);
  const jobId = sub.stdout.trim().split(';')[0]!;
  const deadline = Date.now() + timeoutMs;
  let state = 'PENDING';
  while (Date.now() < deadline) {
    state = /JobState=(\S+)/.exec(slurm(['scontrol', 'show', 'job', '-o', jobId], slurmEnv).stdout)?.[1] ?? 'UNKNOWN';
    if (!['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING'].includes(state)) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING'].includes(state)) slurm(['scancel', jobId], slurmEnv);
  const outFile = join(launch.runDir, `slurm-${jobId}.out`);
  const output = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
  const probes = existsSync(probeDir)
    ? readdirSync(probeDir)
        .sort()
        .map((f) => JSON.parse(readFileSync(join(probeDir, f), 'utf8')) as ProbeLine)
    : [];
  return { jobId, state, output, probes };
}
