import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainbenchError } from '../../core/errors.ts';
import { hardwareFromGpu } from '../../core/plan/index.ts';
import { validateLaunch } from '../../core/launch/validate.ts';
import { loadCatalog } from '../catalog/index.ts';
import { assertValid, planEngineLaunch, sbatchTestOnly, writeLaunchFiles } from './engine.ts';

const work = mkdtempSync(join(tmpdir(), 'tb-launch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const now = new Date('2026-11-26T00:00:00Z');
const catalog = loadCatalog();
const seedRecipes = catalog.recipes.filter((r) => r.engine !== 'workload');
const profileFor = (engine: string) => (engine === 'llamafactory' ? 'baskerville.example' : 'dgx-cloud.example');

function profile(name: string, partition: string): string {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, `schema_version: 1\nname: ${name}\npartition: ${partition}\ngpus_per_node: 8\ngpu_request: none\ntime_limit: "00:30:00"\nstage_path: ${work}/stage\n`);
  return file;
}

let slurmUp = false;
beforeAll(() => {
  slurmUp = spawnSync('bash', ['scripts/slurm-local.sh', 'start'], { stdio: 'ignore', timeout: 170_000 }).status === 0;
});

describe('engine launches of the seed recipes', () => {
  it('covers every seed engine', () => {
    expect(new Set(seedRecipes.map((r) => r.engine))).toEqual(new Set(['nemo1', 'nemo2', 'llamafactory', 'nnscaler']));
  });

  for (const recipe of seedRecipes) {
    it(`${recipe.id}: valid on its cluster profile, rendered as snapshotted`, () => {
      const plan = planEngineLaunch(recipe.id, { cluster: profileFor(recipe.engine), runsDir: '/stage/runs', now });
      expect(plan.issues).toEqual([]);
      expect(plan.rendered.files.map((f) => `# ---- ${f.path}\n${f.content}`).join('\n')).toMatchSnapshot();
    });
  }

  it('every rendered batch script is accepted by sbatch --test-only on the local Slurm (GRES-free profile)', (ctx) => {
    if (!slurmUp) ctx.skip();
    const gresFree = profile('gres-free', 'debug');
    for (const recipe of seedRecipes) {
      const plan = planEngineLaunch(recipe.id, { cluster: gresFree, runsDir: join(work, 'runs'), now });
      if (!plan.rendered.submit.some((a) => a[0] === 'sbatch')) continue; // NeMo Launcher submits its own job
      writeLaunchFiles(plan);
      for (const row of sbatchTestOnly(plan, true)) expect(row, `${recipe.id} ${row.file}`).toMatchObject({ ok: true });
    }
  });
});

describe('launch refuses bad input before submission', () => {
  it('names the field when the parallelism cannot work, and exits 3', () => {
    const recipe = catalog.recipes.find((r) => r.engine === 'nemo1')!;
    const plan = planEngineLaunch(recipe.id, { cluster: 'dgx-cloud.example', runsDir: '/stage/runs', now });
    const gpu = catalog.gpus.find((g) => g.name === recipe.gpu)!;
    const issues = validateLaunch({ ...plan.input, tp: 7 }, plan.cluster, hardwareFromGpu(gpu));
    expect(issues.map((i) => i.field)).toContain('tp');
    try {
      assertValid({ ...plan, issues });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TrainbenchError);
      expect((error as TrainbenchError).exitCode).toBe(3);
      expect((error as TrainbenchError).message).toMatch(/tp: .*not divisible by tp \(7\)/);
    }
  });

  it('reports the real scheduler refusing an unknown partition', (ctx) => {
    if (!slurmUp) ctx.skip();
    const recipe = seedRecipes.find((r) => r.engine === 'nemo2')!;
    const plan = planEngineLaunch(recipe.id, { cluster: profile('bad', 'nosuchpartition'), runsDir: join(work, 'runs-bad'), now });
    writeLaunchFiles(plan);
    const [row] = sbatchTestOnly(plan, true);
    expect(row?.ok).toBe(false);
    expect(row?.message).toMatch(/partition/i);
  });
});
