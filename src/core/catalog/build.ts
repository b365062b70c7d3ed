// Turns parsed catalog documents into a validated Catalog. Pure: the adapter reads the files and hands over
// {file, data}; every problem becomes a configError naming the file, the field path and what was found.
import type { z } from 'zod';
import { configError } from '../errors.ts';
import { didYouMean } from '../suggest.ts';
import { gpuSchema, modelSchema, recipeFileSchema, recipeSchema } from './schema.ts';
import type { Example, Gpu, LogLine, Model, Recipe } from './schema.ts';

export interface CatalogDoc {
  /** Path as shown to the user, e.g. `data/models/llama3-8b.yaml`. */
  file: string;
  data: unknown;
}

export interface Catalog {
  models: Model[];
  gpus: Gpu[];
  recipes: Recipe[];
  logs: LogLine[];
  examples: Example[];
}

const fieldPath = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** The first issue as "field: expected ..., got ..." with the file attached; zod's own text only as a fallback. */
function schemaError(file: string, data: unknown, error: z.ZodError, prefix: readonly PropertyKey[] = []) {
  const issue = error.issues[0]!;
  const path = [...prefix, ...issue.path];
  const field = fieldPath(path) || '(top level)';
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
      : `${issue.message}, got ${show(valueAt(data, path))}`;
  return configError(message, {
    code: 'schema',
    file,
    field,
    hint: `fix ${field} in ${file} (${error.issues.length} problem${error.issues.length > 1 ? 's' : ''} in this file)`,
  });
}

function parse<T>(schema: z.ZodType<T>, doc: CatalogDoc): T {
  const r = schema.safeParse(doc.data);
  if (!r.success) throw schemaError(doc.file, doc.data, r.error);
  return r.data;
}

const baseName = (file: string) => file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** defaults + recipe, merging one level of nested objects (parallelism, baseline, scale). */
function mergeDefaults(defaults: Record<string, unknown>, recipe: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(recipe)) {
    const d = out[k];
    out[k] = isPlainObject(d) && isPlainObject(v) ? { ...d, ...v } : v;
  }
  return out;
}

function unique<T extends { file: string }>(items: T[], key: (t: T) => string, what: string): void {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const prev = seen.get(k);
    if (prev) throw configError(`duplicate ${what} '${k}' (also in ${prev.file})`, { code: 'duplicate', file: item.file, hint: `rename one of them` });
    seen.set(k, item);
  }
}

function checkRef(name: string, known: string[], what: string, file: string, field: string): void {
  if (!known.includes(name)) {
    throw configError(`unknown ${what} '${name}': ${didYouMean(name, known)}`, { code: `unknown-${what}`, file, field, hint: `add data/${what}s/${name}.yaml or fix the name` });
  }
}

export function buildCatalog(docs: { models: CatalogDoc[]; gpus: CatalogDoc[]; recipes: CatalogDoc[] }): Catalog {
  const models = docs.models.map((d) => ({ ...parse(modelSchema, d), file: d.file }));
  const gpus = docs.gpus.map((d) => ({ ...parse(gpuSchema, d), file: d.file }));
  for (const item of [...models, ...gpus]) {
    if (item.name !== baseName(item.file)) {
      throw configError(`name '${item.name}' must match the file name '${baseName(item.file)}'`, { code: 'schema', file: item.file, field: 'name', hint: 'one file per entry, named after it' });
    }
  }
  const recipes: Recipe[] = [];
  const logs: LogLine[] = [];
  const examples: Example[] = [];
  for (const doc of docs.recipes) {
    const f = parse(recipeFileSchema, doc);
    f.recipes.forEach((raw, i) => {
      const merged = mergeDefaults((f.defaults ?? {}) as Record<string, unknown>, raw);
      const r = recipeSchema.safeParse(merged);
      if (!r.success) throw schemaError(doc.file, { recipes: { [i]: merged } }, r.error, ['recipes', i]);
      recipes.push({ ...r.data, seed: f.seed, file: doc.file });
    });
    for (const l of f.logs ?? []) logs.push({ ...l, seed: f.seed, file: doc.file });
    for (const e of f.examples ?? []) examples.push({ ...e, seed: f.seed, file: doc.file });
  }
  unique(models, (m) => m.name, 'model');
  unique(gpus, (g) => g.name, 'gpu');
  unique(recipes, (r) => r.id, 'recipe');
  unique(logs, (l) => l.id, 'log');
  unique(examples, (e) => e.id, 'example');
  const modelNames = models.map((m) => m.name);
  const gpuNames = gpus.map((g) => g.name);
  const recipeIds = recipes.map((r) => r.id);
  const logIds = logs.map((l) => l.id);
  recipes.forEach((r) => {
    checkRef(r.model, modelNames, 'model', r.file, `${r.id}.model`);
    checkRef(r.gpu, gpuNames, 'gpu', r.file, `${r.id}.gpu`);
  });
  logs.forEach((l) => checkRef(l.recipe, recipeIds, 'recipe', l.file, `logs.${l.id}.recipe`));
  examples.forEach((e) => {
    if (e.recipe) checkRef(e.recipe, recipeIds, 'recipe', e.file, `examples.${e.id}.recipe`);
    if (e.log) checkRef(e.log, logIds, 'log', e.file, `examples.${e.id}.log`);
  });
  return { models, gpus, recipes, logs, examples };
}
