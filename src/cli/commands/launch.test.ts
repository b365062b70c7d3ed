import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../__tests__/run-cli.ts';

const home = mkdtempSync(join(tmpdir(), 'tb-launch-cli-'));
const env = { ...process.env, TRAINBENCH_HOME: home };
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('trainbench launch --dry-run', () => {
  it('prints the NeMo 2 seed launch for the 8B LoRA fp8 16-GPU recipe and submits nothing', async () => {
    const r = await runCli(['launch', 'llama3-8b-lora-fp8-16gpu', '--cluster', 'dgx-cloud.example', '--dry-run'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nemo llm finetune --factory llama3_8b -y');
    expect(r.stdout).toContain('export FT_TYPE=lora');
    expect(r.stdout).toContain('export JOB_TOTAL_GPUS=16');
    expect(r.stdout).toContain('data.global_batch_size=64');
    expect(r.stdout).toContain('sbatch --parsable sbatch.sh');
  });

  it('prints the workload sbatch script for the slurm executor', async () => {
    const r = await runCli(['launch', 'workload-mini-cpu', '--executor', 'slurm', '--dry-run', '--json'], { env });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { sbatch: string; config: { global_batch: number } };
    expect(doc.sbatch).toContain('#SBATCH --ntasks-per-node=2');
    expect(doc.sbatch).toContain('srun');
    expect(doc.config.global_batch).toBe(8);
    expect(doc.sbatch).not.toContain('--gpus-per-node'); // CPU ranks ask for cores, not GPUs
  });

  it('asks Slurm for one GPU per rank for a GPU recipe, and passes its PyTorch settings to the workload', async () => {
    const r = await runCli(['launch', 'workload-llama3-8b-h200', '--executor', 'slurm', '--dry-run', '--json'], { env });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { sbatch: string; config: Record<string, unknown> };
    expect(doc.sbatch).toContain('#SBATCH --ntasks-per-node=1');
    expect(doc.sbatch).toContain('#SBATCH --gpus-per-node=1');
    expect(doc.config).toMatchObject({ device: 'auto', param_dtype: 'bf16', compile: true, attention: 'tune', cuda_event_timing: true });
  });

  it('names an unknown cluster profile with a suggestion', async () => {
    const r = await runCli(['launch', 'llama3-8b-lora-fp8-16gpu', '--cluster', 'dgx-clod.example', '--dry-run'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'dgx-cloud.example'");
  });
});
