// The results store: one SQLite file, one object with typed operations. Every operation that writes more than one row
// runs in one transaction, so a crash leaves either all of it or none of it.
import { secretValuesFrom } from '../../core/secrets.ts';
import type { StoreContext } from './context.ts';
import { runsToCsv } from './csv.ts';
import { addEvent, addVerdict, getEvents, getVerdicts } from './events.ts';
import { asStoreError, defaultStorePath, openDatabase } from './open.ts';
import { countRuns, idsWithPrefix, listRuns, lookupRunId } from './queries.ts';
import { createRun, getRun, setResult, updateRun } from './runs.ts';
import { appendSteps, countSteps, getSteps } from './steps.ts';
import { addTelemetry, countTelemetry, getTelemetry } from './telemetry.ts';
import type { ImportedRun, ListOptions, RunFilter, RunRecord } from './types.ts';

export interface StoreOptions {
  /** Environment to read TRAINBENCH_HOME and secret values from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra secret values to scrub from everything written. */
  secrets?: readonly string[];
  busyTimeoutMs?: number;
}

export type Store = ReturnType<typeof makeStore>;

/** Opens (creating and migrating if needed) the store at `path`, default `$TRAINBENCH_HOME/store.sqlite`. */
export function openStore(path?: string, options: StoreOptions = {}): Store {
  const env = options.env ?? process.env;
  const file = path ?? defaultStorePath(env);
  const db = openDatabase(file, options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs });
  return makeStore({ db, file, secrets: [...secretValuesFrom(env), ...(options.secrets ?? [])] });
}

function makeStore(ctx: StoreContext) {
  const { db } = ctx;
  /**
   * Runs `fn` in one transaction; SQLite corruption errors become a clear `store-corrupt` error naming the file.
   * Writes take the write lock at BEGIN (IMMEDIATE), so a second writer process waits out busy_timeout instead of
   * failing when its read snapshot goes stale; reads take a snapshot (DEFERRED) and never wait.
   */
  const transaction = (mode: 'immediate' | 'deferred') => <A extends unknown[], R>(fn: (...args: A) => R) => {
    const run = db.transaction(fn)[mode];
    return (...args: A): R => {
      try {
        return run(...args);
      } catch (error) {
        throw asStoreError(error, ctx.file);
      }
    };
  };
  const tx = transaction('immediate');
  const snapshot = transaction('deferred');
  const read = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R => {
    try {
      return fn(...args);
    } catch (error) {
      throw asStoreError(error, ctx.file);
    }
  };

  const importRun = tx((input: ImportedRun): RunRecord => {
    const run = createRun(ctx, { state: 'IMPORTED', ...input.run });
    if (input.steps?.length) appendSteps(ctx, run.id, input.steps);
    if (input.result !== undefined) setResult(ctx, run.id, input.result);
    if (input.telemetry?.length) addTelemetry(ctx, run.id, input.telemetry);
    for (const event of input.events ?? []) addEvent(ctx, run.id, event);
    return getRun(ctx, run.id)!;
  });

  /** Many finished runs in one transaction (one fsync): a directory of logs imports all or nothing. */
  const importRuns = tx((inputs: readonly ImportedRun[]): RunRecord[] => inputs.map((input) => importRun(input)));

  return {
    file: ctx.file,
    createRun: tx((run: Parameters<typeof createRun>[1]) => createRun(ctx, run)),
    updateRun: tx((id: string, patch: Parameters<typeof updateRun>[2]) => updateRun(ctx, id, patch)),
    setResult: tx((id: string, result: unknown, summary?: Parameters<typeof setResult>[3]) => setResult(ctx, id, result, summary)),
    appendSteps: tx((id: string, steps: Parameters<typeof appendSteps>[2], opts: { attempt?: number } = {}) =>
      appendSteps(ctx, id, steps, opts.attempt ?? 0),
    ),
    addTelemetry: tx((id: string, samples: Parameters<typeof addTelemetry>[2]) => addTelemetry(ctx, id, samples)),
    addVerdict: tx((id: string, verdict: Parameters<typeof addVerdict>[2]) => addVerdict(ctx, id, verdict)),
    addEvent: tx((id: string, event: Parameters<typeof addEvent>[2]) => addEvent(ctx, id, event)),
    importRun,
    importRuns,
    getRun: read((id: string) => getRun(ctx, id)),
    getSteps: read((id: string) => getSteps(ctx, id)),
    countSteps: read((id: string) => countSteps(ctx, id)),
    getTelemetry: read((id: string, source?: string) => getTelemetry(ctx, id, source)),
    countTelemetry: read((id: string) => countTelemetry(ctx, id)),
    getVerdicts: read((id: string) => getVerdicts(ctx, id)),
    getEvents: read((id: string) => getEvents(ctx, id)),
    listRuns: read((options?: ListOptions) => listRuns(ctx, options)),
    countRuns: read((filter?: RunFilter) => countRuns(ctx, filter)),
    idsWithPrefix: read((prefix: string, max?: number) => idsWithPrefix(ctx, prefix, max)),
    lookupRunId: read((typed: string) => lookupRunId(ctx, typed)),
    /** All runs matching `filter`, in `sort` order, as CSV. */
    exportCsv: snapshot((filter: RunFilter & { sort?: string } = {}) => {
      const runs: RunRecord[] = [];
      for (let offset = 0; ; offset += 1000) {
        const page = listRuns(ctx, { ...filter, limit: 1000, offset });
        runs.push(...page);
        if (page.length < 1000) return runsToCsv(runs);
      }
    }),
    /** `PRAGMA integrity_check`: 'ok' or the problems SQLite found. */
    integrityCheck: read((): string =>
      (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('\n'),
    ),
    close: () => db.close(),
  };
}
