// `trainbench audit`: recompute every published derived figure in the catalog from its printed inputs and report
// which agree (ok) and which do not (MISMATCH). Nothing here knows which figures are wrong: the verdicts come only
// from the checks (recipes.ts: table cells, FLOPs constants, parallelism; examples.ts: worked examples, log lines).
import type { Catalog } from '../catalog/build.ts';
import { auditExamples } from './examples.ts';
import { auditRecipes } from './recipes.ts';
import type { AuditRow } from './row.ts';

export type { AuditRow } from './row.ts';
export type { Rule, Verdict } from './verdict.ts';
export { evaluate } from './expr.ts';
export type { Interval } from './expr.ts';
export { judge } from './verdict.ts';

export interface AuditReport {
  rows: AuditRow[];
  summary: { checks: number; ok: number; okWithinInputPrecision: number; mismatches: number };
}

export function runAudit(catalog: Catalog): AuditReport {
  const rows = [...auditRecipes(catalog), ...auditExamples(catalog)].sort((a, b) => a.source.localeCompare(b.source));
  const mismatches = rows.filter((r) => r.verdict === 'MISMATCH').length;
  return {
    rows,
    summary: {
      checks: rows.length,
      ok: rows.length - mismatches,
      okWithinInputPrecision: rows.filter((r) => r.rule === 'input-precision').length,
      mismatches,
    },
  };
}
