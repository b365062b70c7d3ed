// `trainbench run` end to end for real: PyTorch ranks of the reference workload, started by the local executor and by
// the single-host Slurm, measured by the same parser and formulas as a NeMo run, stored in the results store.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../adapters/store/index.ts';
import { runCli } from '../__tests__/run-cli.ts';

const home = mkdtempSync(join(tmpdir(), 'tb-run-'));
const env = { ...process.env, TRAINBENCH_HOME: home };
afterAll(() => rmSync(home, { recursive: true, force: true }));

let slurmUp = false;
beforeAll(() => {
  slurmUp = spawnSync('bash', ['scripts/slurm-local.sh', 'start'], { stdio: 'ignore', timeout: 170_000 }).status === 0;
});

interface Outcome {
  runId: string;
  runDir: string;
  state: { state: string };
  steps: number;
  result: { tokensPerS: number; mfu: number; stepTime: { n: number }; assumptions: string[]; window: { records: number } };
  flops: { relativeDifference: number };
}

async function run(executor: string): Promise<Outcome> {
  const r = await runCli(['run', 'workload-mini-cpu', '--executor', executor, '--steps', '8', '--json'], { env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Outcome;
}

function expectMeasured(o: Outcome): void {
  expect(o.state.state).toBe('COMPLETED');
  expect(o.steps).toBe(8);
  // recipe window: skip the first 5 steps
  expect(o.result.window.records).toBe(3);
  expect(o.result.tokensPerS).toBeGreaterThan(0);
  expect(o.result.mfu).toBeGreaterThan(0);
  expect(o.result.mfu).toBeLessThan(1);
  expect(o.result.assumptions.join('\n')).toMatch(/measured: best of 8 1024x1024 bf16 matmuls/);
  // trainbench's FLOPs count for the mini model vs the workload's count from its real parameter shapes:
  // they differ only by the RMSNorm weights (6 x 1280 of ~2.4e7 per token).
  expect(Math.abs(o.flops.relativeDifference)).toBeLessThan(1e-3);
  const store = openStore(join(home, 'store.sqlite'), { env });
  try {
    const stored = store.getRun(o.runId)!;
    expect(stored.state).toBe('COMPLETED');
    expect(store.countSteps(o.runId)).toBe(8);
    expect(stored.tokensPerS).toBeCloseTo(o.result.tokensPerS, 6);
    // vmstat beside the ranks: from trainbench (local) or from the batch script on every node (Slurm)
    expect(store.countTelemetry(o.runId)).toBeGreaterThan(0);
  } finally {
    store.close();
  }
  expect(readdirSync(join(o.runDir, 'telemetry')).some((f) => f.endsWith('-vmstat.txt'))).toBe(true);
  const onDisk = JSON.parse(readFileSync(join(o.runDir, 'result.json'), 'utf8')) as Outcome;
  expect(onDisk.runId).toBe(o.runId);
}

describe('trainbench run', () => {
  it('runs 2 DDP ranks on the local executor, measures and stores the run', async () => {
    expectMeasured(await run('local'));
  });

  it('runs the same recipe through the real single-host Slurm', async (ctx) => {
    if (!slurmUp) ctx.skip();
    expectMeasured(await run('slurm'));
  });

  it('refuses a recipe whose engine is not installed here, pointing at launch', async () => {
    const r = await runCli(['run', 'llama3-8b-sft-bf16-8gpu'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('trainbench launch llama3-8b-sft-bf16-8gpu --cluster');
  });

  it('suggests a recipe for a typo', async () => {
    const r = await runCli(['run', 'workload-mini-cp'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'workload-mini-cpu'");
  });
});
