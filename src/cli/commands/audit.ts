// `trainbench audit`: recompute every published figure of the catalog (seed tables, worked examples, FLOPs
// constants, parallelism, example log lines) and show which agree. Exit 0 normally; --strict exits 6 (regression)
// when anything does not, so CI can pin the data.
import { EXIT } from '../../core/errors.ts';
import type { RegisterCommand } from './registry.ts';

interface AuditOpts {
  json?: boolean;
  strict?: boolean;
  mismatches?: boolean;
}

const RULE =
  'ok: the value recomputed from the printed inputs rounds or truncates to the published figure; ok*: it only does ' +
  'for inputs that print the same way (e.g. a step time "0.95" that was 0.9497, a peak "989" that was 989.5): print ' +
  'rounding, not an inconsistency. Integer facts (world size, divisibility, step counts) must match exactly.';

export const registerAudit: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('audit')
    .description('recompute every published figure in the catalog from its inputs and report inconsistencies')
    .option('--json', 'one JSON document: {rule, summary, rows}')
    .option('--strict', `exit ${EXIT.regression} when any figure does not match`)
    .option('--mismatches', 'show only the rows that do not match')
    .action(async (opts: AuditOpts) => {
      const { loadCatalog } = await import('../../adapters/catalog/index.ts');
      const { runAudit } = await import('../../core/audit/index.ts');
      const { clip, renderTable } = await import('../../core/catalog/table.ts');
      const report = runAudit(loadCatalog());
      const rows = opts.mismatches ? report.rows.filter((r) => r.verdict === 'MISMATCH') : report.rows;
      if (opts.json) {
        ctx.io.out(JSON.stringify({ rule: RULE, summary: report.summary, rows }, null, 2) + '\n');
      } else {
        const table = rows.map((r) => [
          r.source,
          clip(r.subject, 36),
          clip(r.check, 64),
          clip(r.published, 28),
          clip(r.computed, 34),
          r.verdict === 'ok' && r.rule === 'input-precision' ? 'ok*' : r.verdict,
        ]);
        ctx.io.out(renderTable(['SOURCE', 'SUBJECT', 'CHECK', 'PUBLISHED', 'COMPUTED', 'VERDICT'], table));
        const s = report.summary;
        ctx.io.out(`\n${s.checks} checks: ${s.ok} ok (${s.okWithinInputPrecision} within input print precision), ${s.mismatches} MISMATCH\n`);
        ctx.io.out(`rule: ${RULE}\n`);
      }
      if (opts.strict && report.summary.mismatches > 0) setExit(EXIT.regression);
    });
};
