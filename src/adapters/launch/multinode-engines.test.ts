// The LLaMA-Factory/accelerate and torchtitan sbatch scripts, run for real on the 2-node namespace Slurm. Neither
// engine is installed here, so the rendered script is kept whole and only its launcher program is replaced
// (LaunchInput.launcherOverride) by rendezvous_probe.py, which reads the same flags the real launcher gets, derives
// RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT as that launcher does, and does a gloo all_reduce across the nodes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/__tests__/run-cli.ts';
import { rendererFor } from '../../core/render/engines/index.ts';
import { borrowNetnsCluster, type BorrowedCluster } from '../cluster/__tests__/cluster-lock.ts';
import { PROBE, PYTHON, netnsProfile, renderWithProbe, submitAndWait, type JobOutcome } from './__tests__/engine-on-cluster.ts';

const NODES = 2;
const PER_NODE = 2; // the profile's gpus_per_node: launcher slots per node on a GRES-free cluster
const work = mkdtempSync(join(tmpdir(), 'tb-mn-engines-'));
const stage = join(work, 'stage');
const profile = netnsProfile(work, stage, PER_NODE);
let available = false;
let cluster: BorrowedCluster | undefined;

beforeAll(async () => {
  cluster = await borrowNetnsCluster(NODES, 'multi-node engine tests');
  available = cluster.available;
  // The stage as `trainbench setup` lays it out, plus what its printed steps would add: the LLaMA-Factory clone
  // (here an empty checkout) with its venv (Debian's torch through system site packages: no PyPI here) and a
  // torchtitan checkout.
  const setup = await runCli(['setup', 'llama3-70b-lora-llamafactory-16gpu', '--cluster', profile]);
  expect(setup.code, setup.stderr).toBe(0);
  expect(setup.stdout).toContain('git clone --depth 1 https://github.com/hiyouga/LLaMA-Factory.git');
  const repo = join(stage, 'llama-factory', 'LLaMA-Factory');
  mkdirSync(repo, { recursive: true });
  mkdirSync(join(stage, 'torchtitan'), { recursive: true });
  const venv = spawnSync(PYTHON, ['-m', 'venv', '--system-site-packages', '--without-pip', join(repo, 'venv')], { encoding: 'utf8' });
  expect(venv.status, venv.stderr).toBe(0);
}, 900_000); // may wait for another test file holding the cluster lock

afterAll(() => {
  cluster?.giveBack();
  rmSync(work, { recursive: true, force: true });
});

function expectAcrossNodes(job: JobOutcome): void {
  const why = `job ${job.jobId} ${job.state}\n${job.output.slice(-3000)}`;
  expect(job.state, why).toBe('COMPLETED');
  expect(job.probes, why).toHaveLength(NODES * PER_NODE);
  const world = NODES * PER_NODE;
  for (const p of job.probes) {
    expect(p).toMatchObject({ world_size: world, nnodes: NODES, master_addr: 'node1', allreduce_ones: world, allreduce_rank_sum: (world * (world - 1)) / 2 });
  }
  expect(job.probes.map((p) => p.rank).sort()).toEqual([0, 1, 2, 3]);
  // One machine rank per node, node1 first, and each node's workers numbered from its machine rank.
  const byNode = new Map<string, number[]>();
  for (const p of job.probes) byNode.set(p.node, [...(byNode.get(p.node) ?? []), p.machine_rank]);
  expect([...byNode.keys()].sort()).toEqual(['node1', 'node2']);
  expect(new Set(byNode.get('node1'))).toEqual(new Set([0]));
  expect(new Set(byNode.get('node2'))).toEqual(new Set([1]));
  for (const p of job.probes) expect(p.rank).toBe(p.machine_rank * PER_NODE + p.local_rank);
}

describe('multi-node engine scripts on the namespace cluster', () => {
  it('LLaMA-Factory/accelerate (seed 003): one task per node, PRIMARY_ADDR, SLURM_PROCID, nodes x GPUs per node', async (ctx) => {
    if (!available) ctx.skip();
    const launch = renderWithProbe('llamafactory', profile, join(work, 'runs'), NODES, PER_NODE);
    const job = await submitAndWait(launch);
    expectAcrossNodes(job);
    for (const p of job.probes) {
      expect(p).toMatchObject({ launcher: 'accelerate', master_port: 12340, config_agrees: true });
      expect(p.entry).toEqual(['src/train.py', join(launch.runDir, 'llamafactory-train.yaml')]);
    }
  }, 300_000);

  it('torchtitan: torchrun per node with a c10d rendezvous at the first node', async (ctx) => {
    if (!available) ctx.skip();
    const launch = renderWithProbe('torchtitan', profile, join(work, 'runs'), NODES, PER_NODE);
    const job = await submitAndWait(launch);
    expectAcrossNodes(job);
    for (const p of job.probes) {
      expect(p.launcher).toBe('torchrun');
      expect(p.entry).toEqual(['-m', 'torchtitan.train', '--job.config_file', join(launch.runDir, 'torchtitan.toml')]);
    }
    expect(new Set(job.probes.map((p) => p.master_port)).size).toBe(1);
  }, 300_000);
});

describe('launcherOverride is a clean hook', () => {
  for (const engine of ['llamafactory', 'torchtitan'] as const) {
    it(`${engine}: only the launcher line changes, every other file and line is the engine's own`, () => {
      const launch = renderWithProbe(engine, profile, join(work, 'hook'), NODES, PER_NODE);
      const { launcherOverride: _, ...plain } = launch.input;
      const real = rendererFor(engine).render(plain, launch.cluster);
      const probed = launch.rendered;
      expect(probed.files.map((f) => f.path)).toEqual(real.files.map((f) => f.path));
      for (const [i, f] of probed.files.entries()) {
        const a = f.content.split('\n');
        const b = real.files[i]!.content.split('\n');
        const changed = a.filter((line, n) => line !== b[n]);
        expect(a.length).toBe(b.length);
        if (f.path !== 'sbatch.sh') expect(changed).toEqual([]);
        else {
          expect(changed).toHaveLength(1);
          expect(changed[0]).toContain(PROBE);
          expect(b[a.indexOf(changed[0]!)]).toContain(engine === 'llamafactory' ? 'accelerate launch' : 'torchrun --nnodes');
        }
      }
    });
  }
});
