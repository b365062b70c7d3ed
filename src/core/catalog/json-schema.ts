// JSON Schemas of the catalog files, generated from the zod schemas (the single source of truth) so editors can
// validate data/*.yaml; committed under data/schema/ and kept in sync by a test.
import { z } from 'zod';
import { gpuSchema, modelSchema, recipeFileSchema, recipeSchema } from './schema.ts';

export function catalogJsonSchemas(): Record<string, unknown> {
  // The file's `recipes` items are validated after merging `defaults`; as written each item is a partial recipe.
  const writtenFile = recipeFileSchema.extend({ recipes: z.array(recipeSchema.partial()).min(1) });
  const gen = (schema: z.ZodType, title: string) => ({ title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) });
  return {
    'model.schema.json': gen(modelSchema, 'trainbench model (data/models/*.yaml)'),
    'gpu.schema.json': gen(gpuSchema, 'trainbench GPU (data/gpus/*.yaml)'),
    'recipe-file.schema.json': gen(writtenFile, 'trainbench recipe file (data/recipes/*.yaml)'),
  };
}
