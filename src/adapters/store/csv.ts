// CSV export of run records (RFC 4180: quoted when needed, CRLF-free). One row per run, headline figures only.
import type { RunRecord } from './types.ts';

const FIELDS = [
  'id', 'name', 'state', 'model', 'gpu', 'numGpus', 'dtype', 'task', 'seqLen', 'gbs', 'recipeId', 'engine', 'executor',
  'jobId', 'createdAt', 'startedAt', 'finishedAt', 'stepTimeS', 'tokensPerS', 'mfu', 'reason',
] as const satisfies readonly (keyof RunRecord)[];

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function runsToCsv(runs: readonly RunRecord[]): string {
  const lines = [FIELDS.join(',')];
  for (const run of runs) lines.push(FIELDS.map((f) => cell(run[f])).join(','));
  return lines.join('\n') + '\n';
}
