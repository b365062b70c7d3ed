// Opening the store file: where it lives, the pragmas that make it crash-safe, and a refusal to touch a file that is
// not ours (a corrupt or foreign file is reported, never overwritten or deleted).
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { TrainbenchError, inputError } from '../../core/errors.ts';
import { migrate } from './migrations.ts';

const SQLITE_HEADER = 'SQLite format 3\0';

/** `$TRAINBENCH_HOME`, else `~/.trainbench`. */
export function defaultHome(env: Readonly<Record<string, string | undefined>>): string {
  const home = env.TRAINBENCH_HOME?.trim();
  return home ? resolve(home) : join(env.HOME?.trim() || homedir(), '.trainbench');
}

export function defaultStorePath(env: Readonly<Record<string, string | undefined>>): string {
  return join(defaultHome(env), 'store.sqlite');
}

/** An existing non-empty file must start with the SQLite header; checked before SQLite opens it for writing. */
function assertSqliteFile(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // does not exist yet: SQLite creates it
  }
  if (size === 0) return;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const read = readSync(fd, head, 0, 16, 0);
    if (read < 16 || head.toString('latin1') !== SQLITE_HEADER) throw notADatabase(file);
  } finally {
    closeSync(fd);
  }
}

function notADatabase(file: string): TrainbenchError {
  return inputError('the results store is not an SQLite database (or is damaged); it was left untouched', {
    code: 'store-corrupt',
    file,
    hint: 'move the file aside (keep it for recovery, e.g. with `sqlite3 FILE .recover`) or set TRAINBENCH_HOME to another directory',
  });
}

/** SQLite's own corruption codes become the same `store-corrupt` input error, naming the file. */
export function asStoreError(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return notADatabase(file);
  return error;
}

export interface OpenOptions {
  /** How long a writer waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  if (file !== ':memory:') {
    assertSqliteFile(file);
    mkdirSync(dirname(file), { recursive: true });
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (file !== ':memory:') {
      // WAL: readers (the dashboard, `results list`) never block the writer and vice versa, and a killed writer
      // leaves the last committed state. FULL: each commit fsyncs the WAL, so a run reported as stored survives a
      // power cut too, not only a killed process (NORMAL may lose the last commits then). Writes are per run and
      // per batch of steps, so the fsync per commit costs milliseconds a run, not throughput.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    return db;
  } catch (error) {
    db?.close();
    throw asStoreError(error, file);
  }
}
