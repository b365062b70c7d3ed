// `trainbench setup`: creates the recipe's stage directories, records what it did in <stage>/.trainbench-setup.json,
// and reports the steps it cannot do here (each marked done once the path it creates exists). Idempotent: a second
// run creates nothing, leaves the record untouched and says "nothing to do".
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveRecipe } from '../../core/catalog/index.ts';
import { inputError } from '../../core/errors.ts';
import { loadCatalog } from '../catalog/index.ts';
import { loadProfile } from '../cluster/profiles.ts';
import { setupPlan, type SetupStep } from './plan.ts';

export const RECORD = '.trainbench-setup.json';

export interface SetupOptions {
  cluster: string;
  /** Overrides the profile's stage_path. */
  stage?: string;
  dryRun?: boolean;
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

export interface SetupResult {
  recipe: string;
  seed: string;
  cluster: string;
  stage: string;
  created: string[];
  existing: string[];
  manual: (SetupStep & { done: boolean })[];
  nothingToDo: boolean;
  dryRun: boolean;
  record: string;
  /** Whether HF_TOKEN is set in this shell (its value is never read into output or files). */
  hfTokenSet: boolean;
}

interface RecordEntry {
  time: string;
  recipe: string;
  seed: string;
  cluster: string;
  created: string[];
  manual: { id: string; command: string; done: boolean }[];
}

interface RecordFile {
  schema_version: 1;
  stage: string;
  entries: RecordEntry[];
}

function readRecord(path: string, stage: string): RecordFile {
  if (!existsSync(path)) return { schema_version: 1, stage, entries: [] };
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as RecordFile;
    if (r.schema_version !== 1 || !Array.isArray(r.entries)) throw new Error('not a version 1 record');
    return r;
  } catch (e) {
    throw inputError(`${path} is not a trainbench setup record: ${(e as Error).message}`, {
      code: 'corrupt-setup-record',
      file: path,
      hint: 'move it aside; setup will write a new one (the directories themselves are left alone)',
    });
  }
}

export function runSetup(recipeId: string, o: SetupOptions): SetupResult {
  const env = o.env ?? process.env;
  const recipe = resolveRecipe(loadCatalog(), recipeId);
  const cluster = loadProfile(o.cluster);
  const stage = resolve(o.stage ?? cluster.stage_path);
  const plan = setupPlan({ id: recipe.id, seed: recipe.seed, engine: recipe.engine, seqLen: recipe.seq_len }, cluster, stage);
  const home = env.HOME ?? homedir();
  const exists = (p: string) => existsSync(p.startsWith('~/') ? join(home, p.slice(2)) : p);
  const created = plan.dirs.filter((d) => !existsSync(join(stage, d)));
  const existing = plan.dirs.filter((d) => existsSync(join(stage, d)));
  const manual = plan.manual.map((m) => ({ ...m, done: exists(m.creates) }));
  const recordPath = join(stage, RECORD);
  if (!o.dryRun && created.length) {
    for (const d of created) mkdirSync(join(stage, d), { recursive: true });
    const record = readRecord(recordPath, stage);
    record.entries.push({
      time: (o.now ?? new Date()).toISOString(),
      recipe: recipe.id,
      seed: recipe.seed,
      cluster: cluster.name,
      created,
      manual: manual.map((m) => ({ id: m.id, command: m.command, done: m.done })),
    });
    const tmp = `${recordPath}.tmp.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n');
    renameSync(tmp, recordPath); // a crash never leaves half a record
  }
  return {
    recipe: recipe.id,
    seed: recipe.seed,
    cluster: cluster.name,
    stage,
    created,
    existing,
    manual,
    nothingToDo: created.length === 0,
    dryRun: Boolean(o.dryRun),
    record: recordPath,
    hfTokenSet: Boolean(env.HF_TOKEN),
  };
}
