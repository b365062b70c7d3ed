// Schema history, keyed by `PRAGMA user_version`: migration i brings a database from version i to i+1. Append only:
// never edit a shipped migration, add the next one.
import type Database from 'better-sqlite3';
import { inputError } from '../../core/errors.ts';

export const MIGRATIONS: readonly string[] = [
  // v1: runs and their step series.
  `CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     recipe_id TEXT,
     engine TEXT,
     executor TEXT,
     job_id TEXT,
     state TEXT NOT NULL,
     reason TEXT,
     model TEXT,
     gpu TEXT,
     num_gpus INTEGER,
     dtype TEXT,
     task TEXT,
     seq_len INTEGER,
     gbs INTEGER,
     created_at TEXT NOT NULL,
     started_at TEXT,
     finished_at TEXT,
     run_dir TEXT,
     source_log TEXT,
     spec_json TEXT,
     result_json TEXT
   ) STRICT;
   CREATE TABLE steps (
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     step INTEGER NOT NULL,
     time_s REAL,
     loss REAL,
     peak_memory_bytes INTEGER,
     consumed_samples INTEGER,
     timestamp TEXT,
     PRIMARY KEY (run_id, step)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX runs_created ON runs(created_at);`,

  // v2: restart segments (steps may repeat after a requeue), diagnoses, denormalised result figures, telemetry,
  // verdicts, events, and the indexes `results list` filters and sorts on.
  `CREATE TABLE steps_v2 (
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     attempt INTEGER NOT NULL DEFAULT 0,
     step INTEGER NOT NULL,
     time_s REAL,
     loss REAL,
     peak_memory_bytes INTEGER,
     consumed_samples INTEGER,
     timestamp TEXT,
     PRIMARY KEY (run_id, attempt, step)
   ) STRICT, WITHOUT ROWID;
   INSERT INTO steps_v2 (run_id, attempt, step, time_s, loss, peak_memory_bytes, consumed_samples, timestamp)
     SELECT run_id, 0, step, time_s, loss, peak_memory_bytes, consumed_samples, timestamp FROM steps;
   DROP TABLE steps;
   ALTER TABLE steps_v2 RENAME TO steps;
   ALTER TABLE runs ADD COLUMN diagnosis_json TEXT;
   ALTER TABLE runs ADD COLUMN step_time_s REAL;
   ALTER TABLE runs ADD COLUMN tokens_per_s REAL;
   ALTER TABLE runs ADD COLUMN mfu REAL;
   CREATE TABLE telemetry (
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     source TEXT NOT NULL,
     node TEXT NOT NULL DEFAULT '',
     gpu INTEGER NOT NULL DEFAULT -1,
     ts REAL NOT NULL,
     util_pct REAL,
     mem_util_pct REAL,
     power_w REAL,
     mem_used_bytes INTEGER,
     sm_clock_mhz REAL,
     mem_clock_mhz REAL,
     temp_c REAL,
     metrics_json TEXT,
     PRIMARY KEY (run_id, source, node, gpu, ts)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE verdicts (
     id INTEGER PRIMARY KEY,
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     against TEXT NOT NULL,
     metric TEXT NOT NULL,
     ratio REAL,
     verdict TEXT NOT NULL,
     created_at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX verdicts_run ON verdicts(run_id);
   CREATE TABLE events (
     id INTEGER PRIMARY KEY,
     run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
     ts TEXT NOT NULL,
     kind TEXT NOT NULL,
     json TEXT
   ) STRICT;
   CREATE INDEX events_run ON events(run_id, ts);
   DROP INDEX runs_created;
   CREATE INDEX runs_created ON runs(created_at, id);
   CREATE INDEX runs_model ON runs(model COLLATE NOCASE, created_at, id);
   CREATE INDEX runs_gpu ON runs(gpu COLLATE NOCASE, created_at, id);
   CREATE INDEX runs_recipe ON runs(recipe_id COLLATE NOCASE, created_at, id);
   CREATE INDEX runs_state ON runs(state, created_at, id);
   CREATE INDEX runs_name ON runs(name, id);
   CREATE INDEX runs_tokens ON runs(tokens_per_s, id);
   CREATE INDEX runs_mfu ON runs(mfu, id);
   CREATE INDEX runs_step_time ON runs(step_time_s, id);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings `db` to SCHEMA_VERSION, each step in its own transaction (a crash mid-migration leaves the old version). */
export function migrate(db: Database.Database, file: string, migrations: readonly string[] = MIGRATIONS): number {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > migrations.length) {
    throw inputError(`store schema version ${from} is newer than this trainbench understands (${migrations.length})`, {
      code: 'store-too-new',
      file,
      hint: 'upgrade trainbench, or point TRAINBENCH_HOME at another directory',
    });
  }
  for (let version = from; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return from;
}
