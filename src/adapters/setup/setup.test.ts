// `trainbench setup` on a temporary stage: the seeds' layouts created and recorded, a second run that does nothing,
// the steps it cannot do printed as exact commands, and HF_TOKEN never written anywhere.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/__tests__/run-cli.ts';
import { RECORD, type SetupResult } from './apply.ts';

const work = mkdtempSync(join(tmpdir(), 'tb-setup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const TOKEN = 'hf_NOT_A_REAL_TOKEN_but_secret_looking';
const env = { ...process.env, HF_TOKEN: TOKEN, HOME: join(work, 'home') };

const profile = join(work, 'profile.yaml');
writeFileSync(
  profile,
  'schema_version: 1\nname: tmp-stage\npartition: batch\ngpus_per_node: 8\ngpu_request: none\ncontainer:\n  runtime: pyxis\n  image: /lustre/x/nvidia+nemo+24.09.sqsh\nstage_path: /nonexistent/never-used\n',
);

async function setup(recipe: string, stage: string, ...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(['setup', recipe, '--cluster', profile, '--stage', stage, ...extra], { env });
}

/** Every file under dir, recursively, with its content (to prove the token is nowhere). */
function allText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile())
    .map((p) => readFileSync(p, 'utf8'))
    .join('\n');
}

const layouts: [string, string, string[]][] = [
  ['000', 'llama3-8b-sft-bf16-8gpu', ['HF_ckpt', 'logs']],
  ['001', 'gpt3-175b-pretrain-bf16-128gpu', ['results', 'gpt3-dataset', 'launcher_scripts']],
  ['003', 'llama3-70b-lora-llamafactory-16gpu', ['llama-factory/cache/huggingface']],
  ['004', 'llama3-8b-128k-nnscaler-8gpu', ['bookcorpus_llama3_128K', 'checkpoints']],
];

describe('trainbench setup', () => {
  for (const [seed, recipe, dirs] of layouts) {
    it(`seed ${seed}: creates ${dirs.join(', ')}, records it, and a second run has nothing to do`, async () => {
      const stage = join(work, `stage-${seed}`);
      const first = await setup(recipe, stage, '--json');
      expect(first.code, first.stderr).toBe(0);
      const r = JSON.parse(first.stdout) as SetupResult;
      expect(r).toMatchObject({ recipe, stage, created: dirs, nothingToDo: false, hfTokenSet: true });
      for (const d of dirs) expect(statSync(join(stage, d)).isDirectory()).toBe(true);
      const record = readFileSync(join(stage, RECORD), 'utf8');
      expect(JSON.parse(record)).toMatchObject({ schema_version: 1, stage, entries: [{ recipe, created: dirs }] });

      const second = await setup(recipe, stage);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toContain(`nothing to do: ${dirs.join(', ')} already in place`);
      expect(readFileSync(join(stage, RECORD), 'utf8')).toBe(record); // untouched
      expect(allText(stage) + first.stdout + second.stdout + second.stderr).not.toContain(TOKEN);
    });
  }

  it('seed 002: the dataset folder for the tokenizer, the container import and the tokenizer download as commands', async () => {
    const stage = join(work, 'stage-002');
    const r = await setup('llama3.1-70b-pretrain-bf16-64gpu', stage);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(stage, 'llama3.1-dataset', 'llama'))).toBe(true);
    expect(r.stdout).toContain("enroot import --output /lustre/x/nvidia+nemo+24.09.sqsh 'docker://nvcr.io#nvidia/nemo:24.09'");
    expect(r.stdout).toContain(`huggingface-cli download meta-llama/Meta-Llama-3-8B --include "tokenizer*" "*.json" --local-dir ${stage}/llama3.1-dataset/llama --token "$HF_TOKEN"`);
  });

  it('prints the steps it cannot do as exact commands, with HF_TOKEN read from the shell', async () => {
    const stage = join(work, 'stage-cmds');
    const r = await setup('llama3-8b-sft-bf16-8gpu', stage);
    expect(r.stdout).toContain("enroot import --output /lustre/x/nvidia+nemo+24.09.sqsh 'docker://nvcr.io#nvidia/nemo:24.09'");
    expect(r.stdout).toContain(`git clone https://github.com/NVIDIA/Megatron-LM.git ${stage}/Megatron-LM`);
    expect(r.stdout).toContain(`git clone https://github.com/NVIDIA/NeMo.git ${stage}/NeMo`);
    expect(r.stdout).toMatch(/huggingface-cli download meta-llama\/Meta-Llama-3-8B .* --token "\$HF_TOKEN"/);
    const lf = await setup('llama3-70b-lora-llamafactory-16gpu', join(work, 'stage-lf'));
    expect(lf.stdout).toContain(`git clone --depth 1 https://github.com/hiyouga/LLaMA-Factory.git ${join(work, 'stage-lf')}/llama-factory/LLaMA-Factory`);
  });

  it('marks a manual step done once what it creates exists (a clone made by the user)', async () => {
    const stage = join(work, 'stage-done');
    await setup('llama3-70b-lora-llamafactory-16gpu', stage);
    mkdirSync(join(stage, 'llama-factory', 'LLaMA-Factory'), { recursive: true });
    const r = await setup('llama3-70b-lora-llamafactory-16gpu', stage, '--json');
    const j = JSON.parse(r.stdout) as SetupResult;
    expect(j.manual.find((m) => m.id === 'llama-factory')?.done).toBe(true);
    expect(j.manual.find((m) => m.id === 'weights')?.done).toBe(false);
  });

  it('--dry-run creates nothing; without HF_TOKEN it says to export it', async () => {
    const stage = join(work, 'stage-dry');
    const r = await runCli(['setup', 'llama3-8b-sft-bf16-8gpu', '--cluster', profile, '--stage', stage, '--dry-run'], { env: { ...env, HF_TOKEN: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('would create HF_ckpt/');
    expect(existsSync(stage)).toBe(false);
    expect(r.stderr).toContain('HF_TOKEN is not set');
  });

  it('every seed recipe in the catalog has a setup plan; the workload needs none', async () => {
    const ids = (await runCli(['recipes', '--json'], { env })).stdout;
    const recipes = JSON.parse(ids) as { id: string; engine: string }[] | { recipes: { id: string; engine: string }[] };
    const list = Array.isArray(recipes) ? recipes : recipes.recipes;
    const workload = list.find((x) => x.engine === 'workload')!;
    const w = await setup(workload.id, join(work, 'stage-workload'));
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toContain('nothing to do: this recipe needs no stage directories');
    for (const rec of list.filter((x) => x.engine !== 'workload')) {
      const r = await setup(rec.id, join(work, 'stage-all'), '--dry-run', '--json');
      expect(r.code, `${rec.id} ${r.stderr}`).toBe(0);
      const j = JSON.parse(r.stdout) as SetupResult;
      expect(j.created.length + j.existing.length, rec.id).toBeGreaterThan(0);
    }
  });

  it('an unknown recipe is a usage error with a suggestion', async () => {
    const r = await setup('llama3-8b-sft-bf16-8gp', join(work, 'x'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('llama3-8b-sft-bf16-8gpu');
  });
});
