// Cluster profiles: data/clusters/<name>.yaml (shipped examples), or any YAML file a user points at.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { configError, inputError, usageError } from '../../core/errors.ts';
import { didYouMean } from '../../core/suggest.ts';
import { clusterProfileSchema, type ClusterProfile } from '../../core/cluster/profile.ts';
import { dataDir } from '../paths.ts';

const shippedDir = (): string => join(dataDir(), 'clusters');

export function listProfiles(): string[] {
  return readdirSync(shippedDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'));
}

export function parseProfile(text: string, file: string): ClusterProfile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw inputError(`not valid YAML: ${(error as Error).message.split('\n')[0]}`, { code: 'bad-yaml', file });
  }
  const parsed = clusterProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw configError(issue.message, {
      code: 'bad-cluster-profile',
      file,
      field: issue.path.join('.') || '(top level)',
      hint: 'see data/clusters/local.yaml for a complete profile',
    });
  }
  return parsed.data;
}

/** A profile by name (shipped) or by path. */
export function loadProfile(nameOrPath: string): ClusterProfile {
  const file = existsSync(nameOrPath) ? nameOrPath : join(shippedDir(), `${nameOrPath}.yaml`);
  if (!existsSync(file)) {
    throw usageError(`unknown cluster profile '${nameOrPath}'`, {
      code: 'unknown-cluster',
      hint: `${didYouMean(nameOrPath, listProfiles())} (or give a path to a profile YAML)`,
    });
  }
  return parseProfile(readFileSync(file, 'utf8'), file);
}
