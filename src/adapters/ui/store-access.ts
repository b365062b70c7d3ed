// The dashboard's view of the results store: opened lazily (a store created after the dashboard started is picked
// up), never created by looking at it, and read through the store module's own queries.
import { existsSync } from 'node:fs';
import { openStore, type Store } from '../store/index.ts';

export class StoreAccess {
  #store: Store | null = null;
  readonly file: string;
  readonly env: Readonly<Record<string, string | undefined>>;

  constructor(file: string, env: Readonly<Record<string, string | undefined>>) {
    this.file = file;
    this.env = env;
  }

  /** The open store, or null while no store file exists. */
  get(): Store | null {
    if (this.#store) return this.#store;
    if (!existsSync(this.file)) return null;
    this.#store = openStore(this.file, { env: this.env });
    return this.#store;
  }

  close(): void {
    this.#store?.close();
    this.#store = null;
  }
}
