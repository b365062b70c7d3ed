// A fresh store file in a temp folder per test, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store.ts';
import type { Store, StoreOptions } from '../store.ts';

export interface TempStore {
  dir: string;
  file: string;
  store: Store;
  cleanup: () => void;
}

export function tempStore(options: StoreOptions = { env: {} }): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'tb-store-'));
  const file = join(dir, 'store.sqlite');
  const store = openStore(file, options);
  return {
    dir,
    file,
    store,
    cleanup: () => {
      try {
        store.close();
      } catch {
        // already closed by the test
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
