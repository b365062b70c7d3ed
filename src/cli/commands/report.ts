// `trainbench report RUN`: a stored run (or a run directory) in the seeds' table shape with its assumptions, compared
// with its recipe's published baseline when there is one; `--html FILE` writes the self-contained HTML report.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Result } from '../../core/measure/index.ts';
import { EXIT, inputError } from '../../core/errors.ts';
import { positiveNumber } from '../options.ts';
import type { CommandContext } from '../io.ts';
import type { RegisterCommand } from './registry.ts';
import { openExisting, resolveStoredRun, storePath } from './stored-run.ts';

interface Opts {
  html?: string;
  store?: string;
  tolerance: number;
  json?: boolean;
}

interface Found {
  name: string;
  recipeId: string | null;
  state: string;
  result: Result | undefined;
  runId?: string;
}

async function find(ctx: CommandContext, typed: string, storeFlag: string | undefined): Promise<Found> {
  const dir = resolve(ctx.cwd, typed);
  if (existsSync(join(dir, 'result.json'))) {
    const doc = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { runId?: string; state?: { state: string }; result?: Result };
    const recipe = existsSync(join(dir, 'recipe.json')) ? (JSON.parse(readFileSync(join(dir, 'recipe.json'), 'utf8')) as { id?: string }).id ?? null : null;
    return { name: recipe ?? dir, recipeId: recipe, state: doc.state?.state ?? 'UNKNOWN', result: doc.result, ...(doc.runId ? { runId: doc.runId } : {}) };
  }
  const file = await storePath(ctx, storeFlag);
  const store = await openExisting(ctx, file);
  try {
    const { store: found, id } = resolveStoredRun(store, typed, file);
    const run = found.getRun(id)!;
    return { name: run.name, recipeId: run.recipeId, state: run.state, result: (run.result ?? undefined) as Result | undefined, runId: id };
  } finally {
    store?.close();
  }
}

export const registerReport: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('report')
    .description("a run's result in the seeds' table shape with its assumptions and a verdict against the recipe's baseline")
    .argument('<run>', 'stored run id (or unique prefix, or name) or a run directory')
    .option('--html <file>', 'also write the self-contained HTML report (charts, telemetry lanes)')
    .option('--store <file>', 'results store file (default $TRAINBENCH_HOME/store.sqlite)')
    .option('--tolerance <fraction>', 'band around the baseline that still passes', positiveNumber('--tolerance'), 0.05)
    .option('--json', 'one JSON document')
    .action(async (typed: string, opts: Opts) => {
      const { renderResultTable, compareFigures, figuresOf, renderComparison } = await import('../../core/measure/index.ts');
      const { baselineFigures } = await import('../../core/measure/baseline.ts');
      const run = await find(ctx, typed, opts.store);
      if (!run.result) {
        throw inputError(`run ${run.name} has no measured result (state ${run.state})`, {
          code: 'no-result',
          hint: 'a run that never logged a step has nothing to report; see trainbench logs RUN',
        });
      }
      let comparison;
      if (run.recipeId) {
        const { loadCatalog } = await import('../../adapters/catalog/index.ts');
        const recipe = loadCatalog().recipes.find((r) => r.id === run.recipeId);
        const baseline = recipe ? baselineFigures(recipe) : undefined;
        if (baseline) comparison = compareFigures(figuresOf(run.result), baseline, opts.tolerance);
      }
      let html: string | undefined;
      if (opts.html) {
        const { writeReport } = await import('../../adapters/ui/write-report.ts');
        const target = run.runId ?? resolve(ctx.cwd, typed);
        html = (await writeReport(target, resolve(ctx.cwd, opts.html), { env: ctx.env, ...(opts.store ? { storePath: resolve(ctx.cwd, opts.store) } : {}) })).out;
      }
      if (opts.json) {
        ctx.io.out(JSON.stringify({ run: { id: run.runId ?? null, name: run.name, recipe: run.recipeId, state: run.state }, result: run.result, comparison: comparison ?? null, html: html ?? null }, null, 2) + '\n');
      } else {
        ctx.io.out(`${run.name} (${run.state}${run.runId ? `, run ${run.runId}` : ''})\n\n${renderResultTable(run.result, run.name)}`);
        if (comparison) ctx.io.out(`\n${renderComparison(comparison, { baseline: `${run.recipeId} (published)`, candidate: run.name })}`);
        else ctx.io.out('\nno published baseline for this recipe: compare two runs with trainbench compare A B\n');
        if (html) ctx.io.out(`\nHTML report: ${html}\n`);
      }
      if (comparison?.verdict === 'regression') setExit(EXIT.regression);
    });
};
