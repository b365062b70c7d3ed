import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations.ts';
import { openStore } from './store.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('migrations', () => {
  it('brings a v1 database with data to the current version, keeping its runs and steps', () => {
    dir = mkdtempSync(join(tmpdir(), 'tb-migrate-'));
    const file = join(dir, 'store.sqlite');
    const v1 = new Database(file);
    migrate(v1, file, MIGRATIONS.slice(0, 1));
    expect(v1.pragma('user_version', { simple: true })).toBe(1);
    v1.prepare(`INSERT INTO runs (id, name, state, created_at) VALUES ('OLD1', 'from v1', 'COMPLETED', '2025-01-01T00:00:00Z')`).run();
    const insert = v1.prepare('INSERT INTO steps (run_id, step, time_s) VALUES (?, ?, ?)');
    for (let s = 1; s <= 5; s++) insert.run('OLD1', s, 2 + s / 10);
    v1.close();

    const store = openStore(file, { env: {} });
    try {
      const check = new Database(file, { readonly: true });
      expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      check.close();
      expect(store.getRun('OLD1')).toMatchObject({ name: 'from v1', state: 'COMPLETED', mfu: null });
      expect(store.getSteps('OLD1').map((s) => [s.attempt, s.step])).toEqual([[0, 1], [0, 2], [0, 3], [0, 4], [0, 5]]);
      // The new tables work on the migrated file.
      store.addTelemetry('OLD1', [{ source: 'dmon', gpu: 0, ts: 1, utilPct: 50 }]);
      expect(store.countTelemetry('OLD1')).toBe(1);
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  });

  it('refuses a store written by a newer trainbench, leaving it as it was', () => {
    dir = mkdtempSync(join(tmpdir(), 'tb-migrate-'));
    const file = join(dir, 'store.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore(file, { env: {} })).toThrow(/newer than this trainbench understands/);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    again.close();
  });
});
