// Opening the store file: where it lives, the pragmas that make it crash-safe, and a refusal to touch a file that is
// not ours (a corrupt or foreign file is reported, never overwritten or deleted).
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TrainbenchError, environmentError, inputError } from '../../core/errors.ts';
import { migrate } from './migrations.ts';
import { trainbenchHome } from '../paths.ts';

const SQLITE_HEADER = 'SQLite format 3\0';

/** `$TRAINBENCH_HOME`, else `~/.trainbench`. */
export const defaultHome = trainbenchHome;

export function defaultStorePath(env: Readonly<Record<string, string | undefined>>): string {
  return join(defaultHome(env), 'store.sqlite');
}

/** An existing non-empty file must start with the SQLite header; checked before SQLite opens it for writing. */
function assertSqliteFile(file: string): void {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw notADatabase(file);
    size = stat.size;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return; // does not exist yet: SQLite creates it
    throw error;
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

/** SQLite and file-system failures become TrainbenchErrors naming the file; anything else (a bug) passes through. */
export function asStoreError(error: unknown, file: string): unknown {
  if (error instanceof TrainbenchError) return error;
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return notADatabase(file);
  if (code.startsWith('SQLITE_BUSY')) {
    return inputError('the results store is locked by another process', {
      code: 'store-busy',
      file,
      hint: 'another trainbench is writing a large batch; retry in a moment',
    });
  }
  if (code.startsWith('SQLITE_FULL')) {
    return environmentError('no space left for the results store', { code: 'disk-full', file, hint: 'free disk space, or set TRAINBENCH_HOME to a larger disk' });
  }
  if (/^(SQLITE_(READONLY|CANTOPEN|IOERR|PERM)|EACCES|EPERM|EROFS|ENOTDIR|EISDIR)/.test(code)) {
    return inputError(`cannot write the results store: ${message}`, {
      code: 'store-unwritable',
      file,
      hint: 'check the permissions of the file and its directory, or set TRAINBENCH_HOME to a writable directory',
    });
  }
  return error;
}

export interface OpenOptions {
  /** How long a writer waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') {
      assertSqliteFile(file);
      mkdirSync(dirname(file), { recursive: true });
    }
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
