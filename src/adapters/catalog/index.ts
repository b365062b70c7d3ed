// Reads the catalog's YAML files (data/models, data/gpus, data/recipes) and validates them through core/catalog.
// Synchronous and cached per directory: every command needs it and the files are small.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildCatalog } from '../../core/catalog/index.ts';
import type { Catalog, CatalogDoc } from '../../core/catalog/index.ts';
import { configError } from '../../core/errors.ts';
import { dataDir } from '../paths.ts';

/** The package's data/ folder. */
export const defaultDataDir = dataDir;

function readDocs(dataDir: string, kind: string): CatalogDoc[] {
  const dir = join(dataDir, kind);
  if (!existsSync(dir)) throw configError(`catalog folder ${dir} is missing`, { code: 'no-data-dir', file: dir, hint: 'reinstall trainbench or pass the right data directory' });
  // Show paths as `data/models/x.yaml` (relative to the data dir's parent) so messages read the same everywhere.
  const shown = (f: string) => relative(dirname(dataDir), join(dir, f)) || f;
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const file = shown(f);
      let data: unknown;
      try {
        data = parseYaml(readFileSync(join(dir, f), 'utf8'));
      } catch (error) {
        throw configError(`not valid YAML: ${(error as Error).message.split('\n')[0]}`, { code: 'yaml', file, hint: 'fix the YAML syntax' });
      }
      return { file, data };
    });
}

const cache = new Map<string, Catalog>();

export function loadCatalog(dataDir?: string): Catalog {
  const dir = resolve(dataDir ?? defaultDataDir());
  const hit = cache.get(dir);
  if (hit) return hit;
  const catalog = buildCatalog({ models: readDocs(dir, 'models'), gpus: readDocs(dir, 'gpus'), recipes: readDocs(dir, 'recipes') });
  cache.set(dir, catalog);
  return catalog;
}
