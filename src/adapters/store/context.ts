// What every store operation needs: the open database and the secret values to scrub from what it writes.
import type Database from 'better-sqlite3';
import { inputError } from '../../core/errors.ts';
import { redactSecrets } from '../../core/secrets.ts';

export interface StoreContext {
  db: Database.Database;
  file: string;
  secrets: readonly string[];
}

/** JSON text for a JSON column, scrubbed of secrets; `undefined`/`null` stay SQL NULL. */
export function jsonColumn(ctx: StoreContext, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(redactSecrets(value, ctx.secrets));
}

export function textColumn(ctx: StoreContext, value: string | null | undefined): string | null {
  return value === undefined || value === null ? null : redactSecrets(value, ctx.secrets);
}

export function parseJson(text: unknown): unknown {
  return typeof text === 'string' ? (JSON.parse(text) as unknown) : null;
}

export function unknownRun(ctx: StoreContext, id: string) {
  return inputError(`no run '${id}' in the results store`, {
    code: 'unknown-run',
    file: ctx.file,
    hint: 'list the stored runs with `trainbench results`',
  });
}

export function runExists(ctx: StoreContext, id: string): boolean {
  return ctx.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(id) !== undefined;
}
