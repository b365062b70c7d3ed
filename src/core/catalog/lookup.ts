// Name lookups (with did-you-mean) and recipe resolution: a recipe plus its model (scale applied) and GPU, with the
// derived numbers every consumer needs (nodes, dp, grad accumulation, model FLOPs and where they come from).
import { usageError } from '../errors.ts';
import { denseGptFlopsPerSample, llamaFlopsPerSample } from '../metrics/index.ts';
import { didYouMean, suggest } from '../suggest.ts';
import type { Catalog } from './build.ts';
import { printed } from './printed.ts';
import type { Gpu, Model, Recipe } from './schema.ts';

function find<T>(items: T[], name: string, names: (t: T) => string[], what: string, hint: string): T {
  const needle = name.toLowerCase();
  const hit = items.find((t) => names(t).some((n) => n.toLowerCase() === needle));
  if (hit) return hit;
  // Aliases count as close matches, but the suggestion names the entry itself.
  const primary = new Map(items.flatMap((t) => names(t).map((n) => [n, names(t)[0]!] as const)));
  const close = [...new Set(suggest(name, [...primary.keys()], 6).map((n) => primary.get(n)!))].slice(0, 3);
  const known = items.map((t) => names(t)[0]!);
  const message = close.length ? `did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : didYouMean(name, known);
  throw usageError(`unknown ${what} '${name}': ${message}`, { code: `unknown-${what}`, hint });
}

export const findModel = (c: Catalog, name: string): Model =>
  find(c.models, name, (m) => [m.name, ...(m.aliases ?? [])], 'model', 'list them with: trainbench recipes --json, or see data/models/');
export const findGpu = (c: Catalog, name: string): Gpu =>
  find(c.gpus, name, (g) => [g.name, ...(g.aliases ?? [])], 'gpu', 'see data/gpus/ for the known GPU types');
export const findRecipe = (c: Catalog, id: string): Recipe =>
  find(c.recipes, id, (r) => [r.id], 'recipe', 'list them with: trainbench recipes');

/** The model's shape with a recipe's `scale` applied; params recounted when the shape changed. */
export function scaledModel(model: Model, scale: Recipe['scale']): Model {
  if (!scale || Object.keys(scale).length === 0) return model;
  const defined = Object.fromEntries(Object.entries(scale).filter(([, v]) => v !== undefined)) as Partial<Model>;
  const { aliases: _aliases, ...shaped }: Model = { ...model, ...defined };
  return { ...shaped, name: `${model.name}-mini`, params: llamaParamCount(shaped) };
}

/** Parameter count of a Llama-style decoder with untied embeddings (Llama 3): embed + lm_head + layers + final norm. */
export function llamaParamCount(m: Pick<Model, 'layers' | 'hidden' | 'ffn' | 'heads' | 'kv_heads' | 'vocab'>): number {
  const headDim = m.hidden / m.heads;
  const attn = m.hidden * m.hidden * 2 + 2 * m.hidden * m.kv_heads * headDim; // q, o + k, v
  const mlp = 3 * m.hidden * m.ffn; // gate, up, down (SwiGLU)
  const norms = 2 * m.hidden;
  return 2 * m.vocab * m.hidden + m.layers * (attn + mlp + norms) + m.hidden;
}

/** Model FLOPs of one sample (sequence) by the model's own formula (seed 001 dense-gpt or seed 002 llama). */
export function formulaFlopsPerSample(model: Model, seqLen: number) {
  return model.flops_formula === 'dense-gpt'
    ? denseGptFlopsPerSample(model, seqLen)
    : llamaFlopsPerSample({ ...model, kvHeads: model.kv_heads }, seqLen);
}

export interface ResolvedRecipe extends Omit<Recipe, 'model' | 'gpu'> {
  model: Model;
  gpu: Gpu;
  nodes: number;
  /** DP as printed, else num_gpus / (model-parallel size). */
  dp: number;
  /** Grad accumulation as printed, else gbs / (mbs * dp). */
  gradAccum: number;
  /** FLOPs of one sample: the published constant where the seed gives one (per-sample), else the formula. */
  flopsPerSample: number;
  flopsSource: 'published' | 'formula';
  /** Dense peak FLOP/s per GPU for the dtype: the seed's printed figure, else the catalog's; null for cpu. */
  peakFlopsPerGpu: number | null;
  peakSource: string;
}

export const modelParallelSize = (p: Recipe['parallelism']): number =>
  p.auto_plan_gpus ?? (p.tp ?? 1) * (p.pp ?? 1) * (p.cp ?? 1);

export function resolveRecipe(c: Catalog, id: string): ResolvedRecipe {
  const recipe = findRecipe(c, id);
  const model = scaledModel(findModel(c, recipe.model), recipe.scale);
  const gpu = findGpu(c, recipe.gpu);
  const dp = recipe.parallelism.dp ?? recipe.num_gpus / modelParallelSize(recipe.parallelism);
  const gradAccum = recipe.grad_accum ?? recipe.gbs / (recipe.mbs * dp);
  const mf = recipe.model_flops;
  const published = mf && mf.per === 'sample' ? printed(mf.printed).value * (mf.unit === 'TFLOP' ? 1e12 : 1) : undefined;
  const flopsPerSample = published ?? formulaFlopsPerSample(model, recipe.seq_len).total;
  const peakEntry = gpu.peak_tflops[recipe.dtype];
  const peak = recipe.peak_tflops_printed
    ? { value: printed(recipe.peak_tflops_printed).value * 1e12, source: `${recipe.seed} (printed "${recipe.peak_tflops_printed}" TFLOPS)` }
    : { value: peakEntry.value === null ? null : peakEntry.value * 1e12, source: peakEntry.source };
  return {
    ...recipe,
    model,
    gpu,
    nodes: Math.ceil(recipe.num_gpus / recipe.gpus_per_node),
    dp,
    gradAccum,
    flopsPerSample,
    flopsSource: published === undefined ? 'formula' : 'published',
    peakFlopsPerGpu: peak.value,
    peakSource: peak.source,
  };
}
