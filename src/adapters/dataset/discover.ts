// Turns what the user typed (a directory, a shard prefix like DIR/my-gpt3, a stem, or a .bin/.idx path) into the
// list of pair stems it names. Files still being written (`*.partial`) are never part of a dataset.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inputError } from '../../core/errors.ts';

export function discoverStems(target: string): string[] {
  if (existsSync(target) && statSync(target).isDirectory()) return stemsIn(target, () => true, target);
  const pairFile = /\.(bin|idx)$/.exec(target);
  if (pairFile && existsSync(target)) return [target.slice(0, -4)];
  if (existsSync(`${target}.idx`) || existsSync(`${target}.bin`)) return [target];
  const dir = dirname(target);
  const base = basename(target);
  if (!existsSync(dir)) throw notFound(target);
  return stemsIn(dir, (stem) => stem.startsWith(`${base}_`), target);
}

function stemsIn(dir: string, keep: (stem: string) => boolean, target: string): string[] {
  const stems = new Set<string>();
  for (const name of readdirSync(dir)) {
    const match = /^(.*)\.(bin|idx)$/.exec(name);
    if (match && keep(match[1]!)) stems.add(match[1]!);
  }
  if (stems.size === 0) throw notFound(target);
  return [...stems].sort().map((stem) => join(dir, stem));
}

function notFound(target: string) {
  return inputError(`no .bin/.idx pairs found at ${target}`, {
    code: 'dataset-not-found',
    file: target,
    hint: 'pass a directory, a shard prefix such as DIR/my-gpt3, or one pair stem such as DIR/my-gpt3_00_text_document',
  });
}
