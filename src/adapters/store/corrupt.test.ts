// A store file that is not a database, or is damaged, is reported (input error naming the file) and never rewritten.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TrainbenchError } from '../../core/errors.ts';
import { openStore } from './store.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function caught(fn: () => unknown): TrainbenchError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TrainbenchError) return error;
    throw error;
  }
  throw new Error('expected a TrainbenchError');
}

describe('corrupt store files', () => {
  it.each([
    ['a text file', Buffer.from('these are my notes, not a database\n'.repeat(200))],
    ['a truncated header', Buffer.from('SQLite for')],
    ['random bytes', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) % 256))],
  ])('refuses %s with exit 4 and leaves it byte for byte', (_, bytes) => {
    dir = mkdtempSync(join(tmpdir(), 'tb-corrupt-'));
    const file = join(dir, 'store.sqlite');
    writeFileSync(file, bytes);
    const error = caught(() => openStore(file, { env: {} }));
    expect(error).toMatchObject({ kind: 'input', code: 'store-corrupt', file });
    expect(error.exitCode).toBe(4);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('reports damaged pages inside a real store as the same error, without rewriting the file', () => {
    dir = mkdtempSync(join(tmpdir(), 'tb-corrupt-'));
    const file = join(dir, 'store.sqlite');
    const store = openStore(file, { env: {} });
    for (let i = 0; i < 200; i++) store.createRun({ name: `run ${i} ${'x'.repeat(200)}`, model: 'llama3-8b' });
    store.close(); // checkpoints the WAL into the file
    const bytes = readFileSync(file);
    // Scribble over every page after the schema page (page size 4096): the header and schema stay readable.
    for (let at = 4096 * 2; at < bytes.length; at += 4096) bytes.fill(0xa5, at, at + 64);
    writeFileSync(file, bytes);

    const error = caught(() => {
      const damaged = openStore(file, { env: {} });
      try {
        damaged.listRuns({ limit: 1000 });
      } finally {
        damaged.close();
      }
    });
    expect(error).toMatchObject({ kind: 'input', code: 'store-corrupt', file });
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('names the problem when the store path is a directory, under a file, or locked', () => {
    dir = mkdtempSync(join(tmpdir(), 'tb-corrupt-'));
    expect(caught(() => openStore(dir, { env: {} }))).toMatchObject({ code: 'store-corrupt', file: dir });
    const plain = join(dir, 'plain-file');
    writeFileSync(plain, 'x');
    expect(caught(() => openStore(join(plain, 'store.sqlite'), { env: {} }))).toMatchObject({ kind: 'input', code: 'store-unwritable' });

    const file = join(dir, 'store.sqlite');
    const store = openStore(file, { env: {}, busyTimeoutMs: 50 });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(caught(() => store.createRun({ name: 'waits' }))).toMatchObject({ kind: 'input', code: 'store-busy', file });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(store.createRun({ name: 'after the lock' }).name).toBe('after the lock');
    store.close();
  });
});
