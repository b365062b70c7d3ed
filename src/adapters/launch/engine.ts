// Launching a seed recipe on its real engine: resolve the recipe, render the engine's files for a cluster profile,
// validate before anything reaches the queue, ask the real scheduler (`sbatch --test-only`), then submit.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterProfile } from '../../core/cluster/profile.ts';
import { resolveRecipe } from '../../core/catalog/index.ts';
import { configError, schedulerError } from '../../core/errors.ts';
import { hardwareFromGpu } from '../../core/plan/index.ts';
import { launchInputFrom } from '../../core/launch/launch-input.ts';
import { validateLaunch, type LaunchIssue } from '../../core/launch/validate.ts';
import { rendererFor, type LaunchInput, type RenderedLaunch } from '../../core/render/engines/index.ts';
import { loadCatalog } from '../catalog/index.ts';
import { loadProfile } from '../cluster/profiles.ts';

export interface EngineLaunch {
  recipeId: string;
  engine: string;
  runName: string;
  runDir: string;
  cluster: ClusterProfile;
  input: LaunchInput;
  rendered: RenderedLaunch;
  issues: LaunchIssue[];
}

export interface EngineLaunchOptions {
  engine?: string;
  cluster: string;
  runsDir: string;
  dataPrefixes?: string[];
  steps?: number;
  now?: Date;
}

export function planEngineLaunch(recipeId: string, o: EngineLaunchOptions): EngineLaunch {
  const recipe = resolveRecipe(loadCatalog(), recipeId);
  const engine = o.engine ?? recipe.engine;
  const renderer = rendererFor(engine);
  const cluster = loadProfile(o.cluster);
  const stamp = (o.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const runName = recipe.id;
  const runDir = join(o.runsDir, runName, `${runName}_${stamp}`);
  const input = launchInputFrom(recipe, runName, runDir, {
    ...(o.dataPrefixes?.length ? { dataPrefixes: o.dataPrefixes } : {}),
    ...(o.steps ? { steps: o.steps } : {}),
  });
  // A GPU measured at run time (cpu) has no static peak: only the parallelism rules apply.
  const issues = validateLaunch(input, cluster, recipe.gpu.measured_at_runtime ? undefined : hardwareFromGpu(recipe.gpu));
  return { recipeId: recipe.id, engine, runName, runDir, cluster, input, rendered: renderer.render(input, cluster), issues };
}

export function assertValid(l: EngineLaunch): void {
  if (l.issues.length === 0) return;
  const first = l.issues[0]!;
  throw configError(`${l.issues.length} problem(s) with ${l.recipeId} on ${l.cluster.name}: ${l.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, {
    code: 'invalid-launch',
    field: first.field,
    hint: 'fix the recipe parallelism or pick a cluster profile that fits it; nothing was submitted',
  });
}

export function writeLaunchFiles(l: EngineLaunch): string[] {
  mkdirSync(l.runDir, { recursive: true });
  const written: string[] = [];
  for (const f of l.rendered.files) {
    const path = join(l.runDir, f.path);
    writeFileSync(path, f.content);
    if (f.executable) chmodSync(path, 0o755);
    written.push(path);
  }
  writeFileSync(join(l.runDir, 'launch.json'), JSON.stringify({ recipe: l.recipeId, engine: l.engine, cluster: l.cluster.name, input: l.input, submit: l.rendered.submit }, null, 2));
  return written;
}

export interface TestOnlyRow {
  file: string;
  ok: boolean;
  message: string;
}

/**
 * `sbatch --test-only` on every batch file of the launch. `sizeToCluster` adds `-N 1 -n 1 --ntasks-per-node=1` on the command line
 * (which wins over #SBATCH lines) so a 128-GPU script can be checked on a one-node development Slurm: the
 * scheduler still parses the script and checks partition, account, QoS and time limit.
 */
export function sbatchTestOnly(l: EngineLaunch, sizeToCluster: boolean): TestOnlyRow[] {
  return l.rendered.submit
    .filter((argv) => argv[0] === 'sbatch')
    .map((argv) => {
      const file = argv[argv.length - 1]!;
      const args = ['--test-only', ...(sizeToCluster ? ['-N', '1', '-n', '1', '--ntasks-per-node=1'] : []), file];
      const r = spawnSync('sbatch', args, { cwd: l.runDir, encoding: 'utf8', timeout: 60_000 });
      const message = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() || (r.error ? String(r.error.message) : '');
      return { file, ok: r.status === 0, message };
    });
}

/** Runs the submit argv lists in order; `{job:N}` becomes the job id the N-th submission printed. */
export function submitEngineLaunch(l: EngineLaunch): string[] {
  const ids: string[] = [];
  for (const argv of l.rendered.submit) {
    const args = argv.map((a) => a.replace(/\{job:(\d+)\}/g, (_, n: string) => ids[Number(n)] ?? ''));
    const r = spawnSync(args[0]!, args.slice(1), { cwd: l.runDir, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) {
      throw schedulerError(`${args.join(' ')} failed: ${(r.stderr || r.stdout || String(r.error)).trim()}`, {
        code: 'submit-failed',
        hint: 'run `trainbench cluster check` for this profile',
      });
    }
    ids.push(r.stdout.trim().split(/[;\s]/)[0] ?? '');
  }
  writeFileSync(join(l.runDir, 'job.json'), JSON.stringify({ executor: 'slurm', engine: l.engine, jobIds: ids, runDir: l.runDir }, null, 2));
  return ids;
}
