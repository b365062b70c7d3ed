// The catalog: models, GPUs and recipes from data/ (versioned YAML), validated, looked up by name, resolved.
export { buildCatalog } from './build.ts';
export type { Catalog, CatalogDoc } from './build.ts';
export { findGpu, findModel, findRecipe, formulaFlopsPerSample, llamaParamCount, modelParallelSize, resolveRecipe, scaledModel } from './lookup.ts';
export type { ResolvedRecipe } from './lookup.ts';
export { admittedInterval, parsePrinted, printed } from './printed.ts';
export type { PrintedNumber } from './printed.ts';
export { dtypes, engines, gpuSchema, modelSchema, recipeFileSchema, recipeSchema, tasks } from './schema.ts';
export type { Dtype, Engine, Example, Gpu, LogLine, Model, Recipe, Task } from './schema.ts';
