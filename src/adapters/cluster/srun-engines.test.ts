// The NeMo 2 and Megatron-LM sbatch scripts (one srun task per GPU), run for real on the 2-node namespace Slurm.
// Neither engine is installed here, so the rendered script is kept whole and only the engine's program (`nemo`,
// `python3 -u`) is replaced (LaunchInput.launcherOverride) by slurm_rank_probe.py, which takes each task's rank the
// way that engine does (NeMo 2: Lightning's SLURMEnvironment; Megatron: RANK/WORLD_SIZE/LOCAL_RANK set by the
// script), applies the checks the engine makes before training, and does a gloo all_reduce across the nodes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererFor } from '../../core/render/engines/index.ts';
import { nemo2ExperimentName } from '../../core/render/engines/nemo2.ts';
import { sqArgs } from '../../core/render/shell.ts';
import { PYTHON, netnsProfile, submitAndWait, type JobOutcome } from '../launch/__tests__/engine-on-cluster.ts';
import { planEngineLaunch, writeLaunchFiles, type EngineLaunch } from '../launch/engine.ts';
import { borrowNetnsCluster, type BorrowedCluster } from './__tests__/cluster-lock.ts';
import { LOCAL_SLURM_CONF } from '../executors/__tests__/local-slurm.ts';

const PROBE = resolve(import.meta.dirname, '__tests__', 'slurm_rank_probe.py');
const NODES = 2;
// The profile's gpus_per_node = srun tasks per node. The namespace nodes have one CPU each and Slurm refuses
// --ntasks-per-node above that even with --overcommit, so across nodes it is one task per node; two tasks per node
// run on the single-host Slurm below.
const PER_NODE = 1;
const WORLD = NODES * PER_NODE;
const work = mkdtempSync(join(tmpdir(), 'tb-srun-engines-'));
const stage = join(work, 'stage');
const profile = netnsProfile(work, stage, PER_NODE);
let available = false;
let cluster: BorrowedCluster | undefined;

interface Probe {
  rank: number;
  local_rank: number;
  node_rank: number;
  node: string;
  world_size: number;
  master_addr: string;
  master_port: number;
  dp: number;
  job_id: string;
  allreduce_ones: number;
  allreduce_rank_sum: number;
  [key: string]: unknown;
}

beforeAll(async () => {
  cluster = await borrowNetnsCluster(NODES, 'srun engine tests');
  available = cluster.available;
}, 900_000); // may wait for another test file holding the cluster lock

afterAll(() => {
  cluster?.giveBack();
  rmSync(work, { recursive: true, force: true });
});

/** The Llama 3 8B seed recipe rendered by `engine` for `world` tasks on `cluster`, the program swapped for the probe. */
function renderWithProbe(engine: 'nemo2' | 'megatron', tp: number, cluster = profile, world = WORLD): EngineLaunch {
  const runsDir = join(work, `${engine}-${world}`);
  const plan = planEngineLaunch('llama3-8b-lora-bf16-16gpu', { engine, cluster, runsDir, steps: 2, now: new Date() });
  const input = {
    ...plan.input,
    numGpus: world,
    gbs: world,
    mbs: 1,
    tp,
    pp: 1,
    cp: 1,
    vp: null,
    launcherOverride: [PYTHON, PROBE, engine === 'nemo2' ? 'nemo' : 'megatron'],
  };
  const launch = { ...plan, input, rendered: rendererFor(engine).render(input, plan.cluster) };
  writeLaunchFiles(launch);
  return launch;
}

function expectAcrossNodes(job: JobOutcome): Probe[] {
  const why = `job ${job.jobId} ${job.state}\n${job.output.slice(-3000)}`;
  expect(job.state, why).toBe('COMPLETED');
  const probes = job.probes as unknown as Probe[];
  expect(probes, why).toHaveLength(WORLD);
  for (const p of probes) {
    expect(p).toMatchObject({ world_size: WORLD, master_addr: 'node1', job_id: job.jobId, allreduce_ones: WORLD, allreduce_rank_sum: (WORLD * (WORLD - 1)) / 2 });
  }
  expect(probes.map((p) => p.rank).sort()).toEqual([...Array(WORLD).keys()]);
  // Slurm's block distribution: node1 holds the first PER_NODE ranks (node rank 0), node2 the next.
  for (const p of probes) {
    expect(p.node).toBe(`node${p.node_rank + 1}`);
    expect(p.rank).toBe(p.node_rank * PER_NODE + p.local_rank);
  }
  return probes;
}

/** Each task's stdout went to its own file (srun --output ...%t...): that file holds the task's PROBE line. */
function expectTaskLogs(dir: string, world: number, pattern: (task: number) => string): void {
  const files = readdirSync(dir);
  for (let t = 0; t < world; t++) {
    const name = files.find((f) => f === pattern(t));
    expect(name, `${pattern(t)} in ${dir}: ${files.join(', ')}`).toBeDefined();
    expect(readFileSync(join(dir, name!), 'utf8')).toMatch(new RegExp(`^PROBE .*"rank": ${t},`, 'm'));
  }
}

/** NeMo 2's per-rank logs, where the seed says: $STAGE_PATH/logs/experiments/<exp>/<exp>_<job>/<exp>/log-<account>.<exp>_<job>_<rank>.out */
function expectNemo2Logs(launch: EngineLaunch, job: JobOutcome, stagePath: string, world: number): void {
  const exp = nemo2ExperimentName(launch.input);
  const expDir = join(stagePath, 'logs', 'experiments', exp, `${exp}_${job.jobId}`, exp);
  expect(existsSync(expDir), expDir).toBe(true);
  for (const p of job.probes as unknown as Probe[]) expect(p).toMatchObject({ verb: 'finetune', factory: 'llama3_8b', log_dir: expDir });
  // The account is the job's (SLURM_JOB_ACCOUNT), "local" where Slurm runs without accounting, as here.
  expectTaskLogs(expDir, world, (t) => `log-local.${exp}_${job.jobId}_${t}.out`);
}

describe('srun-per-GPU engine scripts on the namespace cluster', () => {
  it('NeMo 2 (seed 000): Lightning takes the ranks from Slurm, rendezvous at the first node, logs where the seed says', async (ctx) => {
    if (!available) ctx.skip();
    const launch = renderWithProbe('nemo2', 1);
    const job = await submitAndWait(launch);
    for (const p of expectAcrossNodes(job)) {
      // No MASTER_PORT in the script: Lightning's default, 15000 + the job id's last 4 digits, the same on every rank.
      expect(p).toMatchObject({ master_port: 15000 + Number(job.jobId.slice(-4)), devices: PER_NODE, num_nodes: NODES, dp: WORLD });
    }
    expectNemo2Logs(launch, job, stage, WORLD);
  }, 300_000);

  it('Megatron-LM: RANK/LOCAL_RANK/WORLD_SIZE from srun, MASTER_ADDR the first node, TP 2 across the nodes', async (ctx) => {
    if (!available) ctx.skip();
    const launch = renderWithProbe('megatron', 2);
    const job = await submitAndWait(launch);
    const probes = expectAcrossNodes(job);
    for (const p of probes) expect(p).toMatchObject({ master_port: 6000, dp: WORLD / 2, mock_data: true });
    expectTaskLogs(launch.runDir, WORLD, (t) => `log-${job.jobId}_${t}.out`);
  }, 300_000);
});

describe('two tasks per node, on the single-host Slurm (2 CPUs)', () => {
  const localStage = join(work, 'local-stage');
  const local = join(work, 'local.yaml');
  let up = false;
  beforeAll(() => {
    up = spawnSync('bash', ['scripts/slurm-local.sh', 'start'], { stdio: 'ignore', timeout: 170_000 }).status === 0;
    writeFileSync(
      local,
      ['schema_version: 1', 'name: local-srun', 'partition: debug', 'gpus_per_node: 2', 'gpu_request: none', 'time_limit: "00:10:00"', `stage_path: ${localStage}`, `python: ${PYTHON}`, ''].join('\n'),
    );
  }, 180_000);
  const localSlurm = { SLURM_CONF: LOCAL_SLURM_CONF };

  it('NeMo 2: --ntasks-per-node = trainer.devices = 2, local ranks 0 and 1 from SLURM_LOCALID', async (ctx) => {
    if (!up) ctx.skip();
    const launch = renderWithProbe('nemo2', 1, local, 2);
    const job = await submitAndWait(launch, 240_000, localSlurm);
    const why = `job ${job.jobId} ${job.state}\n${job.output.slice(-3000)}`;
    expect(job.state, why).toBe('COMPLETED');
    const probes = (job.probes as unknown as Probe[]).sort((a, b) => a.rank - b.rank);
    expect(probes.map((p) => [p.rank, p.local_rank, p.node_rank]), why).toEqual([[0, 0, 0], [1, 1, 0]]);
    const host = hostname().split('.')[0]!;
    for (const p of probes) {
      expect(p).toMatchObject({ world_size: 2, devices: 2, num_nodes: 1, dp: 2, master_addr: host, allreduce_ones: 2, allreduce_rank_sum: 1 });
      expect(p.master_port).toBe(15000 + Number(job.jobId.slice(-4)));
    }
    expectNemo2Logs(launch, job, localStage, 2);
  }, 300_000);
});

describe('launcherOverride on nemo2 and megatron is a clean hook', () => {
  for (const engine of ['nemo2', 'megatron'] as const) {
    it(`${engine}: only the program changes, every other line is the engine's own`, () => {
      const launch = renderWithProbe(engine, 1);
      const { launcherOverride: _, ...plain } = launch.input;
      const real = rendererFor(engine).render(plain, launch.cluster).files[0]!.content.split('\n');
      const probed = launch.rendered.files[0]!.content.split('\n');
      expect(probed.length).toBe(real.length);
      const changed = probed.flatMap((line, n) => (line === real[n] ? [] : [[real[n]!, line] as const]));
      expect(changed).toHaveLength(1);
      const [before, after] = changed[0]!;
      const probe = sqArgs([PYTHON, PROBE, engine === 'nemo2' ? 'nemo' : 'megatron']);
      expect(after).toBe(engine === 'nemo2' ? before.replace('nemo llm', `${probe} llm`) : before.replace('python3 -u', probe));
    });
  }
});
