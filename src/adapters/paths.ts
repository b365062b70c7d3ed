// Where trainbench's own files are: the package root (data/, workload/, scripts/), found by walking up from this
// module to package.json so it works from src/ (tests) and dist/ (installed CLI) alike.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('trainbench: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  root = dir;
  return dir;
}

/** TRAINBENCH_HOME (default ~/.trainbench): the results store, run directories, cached measurements. */
export function trainbenchHome(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const home = env.TRAINBENCH_HOME?.trim();
  return home ? resolve(home) : join(env.HOME?.trim() || homedir(), '.trainbench');
}

/** The catalog's data/ folder (models, GPUs, recipes, clusters, published runs). */
export const dataDir = (): string => join(packageRoot(), 'data');
