// The results store's only door.
export { openStore } from './store.ts';
export type { Store, StoreOptions } from './store.ts';
export { defaultHome, defaultStorePath } from './open.ts';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';
export { SORT_FIELDS, DEFAULT_SORT } from './queries.ts';
export type { IdLookup } from './queries.ts';
export { canTransition, isTerminal } from './runs.ts';
export { summariseResult } from './summary.ts';
export { runsToCsv } from './csv.ts';
export { newRunId } from './ids.ts';
export { RUN_STATES } from './types.ts';
export type * from './types.ts';
export { stepsFromRecords, telemetryFromCpu, telemetryFromGpu } from './from-parsed.ts';
