// Finding a stored run from what a user typed (id, unique id prefix or name), shared by `results show` and `report`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Store } from '../../adapters/store/index.ts';
import { usageError } from '../../core/errors.ts';
import { didYouMean } from '../../core/suggest.ts';
import type { CommandContext } from '../io.ts';

export async function storePath(ctx: CommandContext, flag: string | undefined): Promise<string> {
  const { defaultStorePath } = await import('../../adapters/store/index.ts');
  return flag ? resolve(ctx.cwd, flag) : defaultStorePath(ctx.env);
}

/** Opens the store only if it exists: looking at results never creates an empty store as a side effect. */
export async function openExisting(ctx: CommandContext, file: string): Promise<Store | undefined> {
  if (!existsSync(file)) return undefined;
  const { openStore } = await import('../../adapters/store/index.ts');
  return openStore(file, { env: ctx.env });
}

/** The run id `typed` names in `store`, or a usage error with the closest ids (exit 2). */
export function resolveStoredRun(store: Store | undefined, typed: string, file: string): { store: Store; id: string } {
  const lookup = store?.lookupRunId(typed) ?? { suggestions: [] };
  if (lookup.ambiguous) {
    throw usageError(`'${typed}' matches ${lookup.ambiguous.length} runs`, {
      code: 'ambiguous-run',
      hint: `type more of the id: ${lookup.ambiguous.slice(0, 5).join(', ')}`,
    });
  }
  if (!lookup.found || !store) {
    const hint = store
      ? lookup.suggestions?.length ? didYouMean(typed, lookup.suggestions) : 'list the stored runs with `trainbench results`'
      : `the store ${file} holds no runs yet`;
    throw usageError(`no run '${typed}' in the results store`, { code: 'unknown-run', file, hint });
  }
  return { store, id: lookup.found };
}
