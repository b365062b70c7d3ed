// `trainbench results [list|show|import]`: the stored runs, filtered, sorted and paginated; one run in detail; run
// folders from another machine brought into the store.
import { resolve } from 'node:path';
import { RUN_STATES } from '../../adapters/store/types.ts';
import type { RunState } from '../../adapters/store/types.ts';
import { usageError } from '../../core/errors.ts';
import { didYouMean } from '../../core/suggest.ts';
import type { CommandContext } from '../io.ts';
import { nonNegativeInteger, positiveInteger, utcOffset } from '../options.ts';
import type { RegisterCommand } from './registry.ts';
import { openExisting, resolveStoredRun, storePath } from './stored-run.ts';

interface ListOpts {
  model?: string;
  gpu?: string;
  recipe?: string;
  state?: string;
  name?: string;
  limit: number;
  offset: number;
  sort?: string;
  json?: boolean;
  csv?: string;
}

function parseState(raw: string): RunState {
  const state = raw.toUpperCase().replace(/-/g, '_');
  if ((RUN_STATES as readonly string[]).includes(state)) return state as RunState;
  throw usageError(`unknown run state '${raw}'`, { code: 'unknown-state', hint: didYouMean(state, RUN_STATES) });
}

export const registerResults: RegisterCommand = (program, ctx) => {
  const results = program
    .command('results')
    .description('stored runs: list, filter, sort, export (list is the default), or show one')
    .option('--store <file>', 'results store file (default $TRAINBENCH_HOME/store.sqlite)')
    .addHelpText('after', '\nFilters, sorting, paging and CSV export: trainbench results list --help');
  const storeFlag = () => results.opts<{ store?: string }>().store;

  results
    .command('list', { isDefault: true })
    .description('list stored runs, newest first')
    .option('--model <id>', 'only runs of this model')
    .option('--gpu <id>', 'only runs on this GPU type')
    .option('--recipe <id>', 'only runs of this recipe')
    .option('--state <state>', `only runs in this state (${RUN_STATES.join(', ')})`)
    .option('--name <text>', 'only runs whose name contains this text')
    .option('--sort <field>', 'created, started, finished, name, model, gpu, recipe, state, gpus, step-time, tokens-per-s, mfu; -field for descending', '-created')
    .option('--limit <n>', 'at most this many runs', positiveInteger('--limit'), 50)
    .option('--offset <k>', 'skip the first k runs (pagination)', nonNegativeInteger('--offset'), 0)
    .option('--json', 'one JSON document')
    .option('--csv <file>', 'write every matching run as CSV to this file (- for stdout), ignoring --limit/--offset')
    .action(async (opts: ListOpts) => {
      const file = await storePath(ctx, storeFlag());
      const filter = {
        ...(opts.model ? { model: opts.model } : {}),
        ...(opts.gpu ? { gpu: opts.gpu } : {}),
        ...(opts.recipe ? { recipe: opts.recipe } : {}),
        ...(opts.state ? { state: parseState(opts.state) } : {}),
        ...(opts.name ? { name: opts.name } : {}),
      };
      const store = await openExisting(ctx, file);
      try {
        const total = store?.countRuns(filter) ?? 0;
        const runs = store?.listRuns({ ...filter, limit: opts.limit, offset: opts.offset, ...(opts.sort ? { sort: opts.sort } : {}) }) ?? [];
        if (opts.csv !== undefined) {
          const { runsToCsv } = await import('../../adapters/store/index.ts');
          const csv = store ? store.exportCsv({ ...filter, ...(opts.sort ? { sort: opts.sort } : {}) }) : runsToCsv([]);
          if (opts.csv === '-') return ctx.io.out(csv);
          const { writeFileSync } = await import('node:fs');
          writeFileSync(resolve(ctx.cwd, opts.csv), csv);
          if (!opts.json) return ctx.io.out(`wrote ${total} run${total === 1 ? '' : 's'} to ${opts.csv}\n`);
        }
        if (opts.json) {
          ctx.io.out(JSON.stringify({ store: file, total, offset: opts.offset, limit: opts.limit, runs }, null, 2) + '\n');
          return;
        }
        if (total === 0) {
          const filtered = Object.keys(filter).length > 0;
          const stored = filtered && store ? store.countRuns() : 0;
          ctx.io.out(
            filtered && stored
              ? `No runs match these filters (${stored} run${stored === 1 ? '' : 's'} stored in ${file}).\n`
              : `No runs stored yet in ${file}.\nRuns are recorded here when trainbench runs or imports a training job.\n`,
          );
          return;
        }
        const { renderRunTable } = await import('./results-render.ts');
        ctx.io.out(renderRunTable(runs));
        const last = opts.offset + runs.length;
        if (runs.length === 0) ctx.io.out(`(no runs past --offset ${opts.offset}; ${total} match)\n`);
        else if (last < total || opts.offset > 0) ctx.io.out(`runs ${opts.offset + 1}-${last} of ${total}; next page: --offset ${last}\n`);
      } finally {
        store?.close();
      }
    });

  results
    .command('import <dirs...>')
    .description('store run folders that trainbench run wrote on another machine (or folders holding them); a run already stored is left as it is')
    .option('--utc-offset <hours>', 'local time of that machine minus UTC, in hours (its dmon/vmstat captures print local time)', utcOffset, 0)
    .option('--json', 'one JSON document')
    .action(async (dirs: string[], opts: { utcOffset: number; json?: boolean }) => {
      const file = await storePath(ctx, storeFlag());
      const { openStore } = await import('../../adapters/store/index.ts');
      const { importRunDirs } = await import('../../adapters/run/import-run-dir.ts');
      const store = openStore(file, { env: ctx.env });
      try {
        const done = await importRunDirs(store, dirs.map((d) => resolve(ctx.cwd, d)), opts.utcOffset);
        if (opts.json) ctx.io.out(JSON.stringify({ store: file, runs: done }, null, 2) + '\n');
        else {
          for (const r of done) ctx.io.out(`${r.status === 'imported' ? 'imported      ' : 'already stored'}  ${r.runId}  ${r.name}  ${r.steps} steps, ${r.telemetry} telemetry samples  (${r.dir})\n`);
          ctx.io.out(`${done.filter((r) => r.status === 'imported').length} of ${done.length} run folders imported into ${file}\n`);
        }
      } finally {
        store.close();
      }
    });

  results
    .command('show <run>')
    .description('one stored run: spec, result, step and telemetry counts (id, unique id prefix or name)')
    .option('--json', 'one JSON document')
    .action(async (typed: string, opts: { json?: boolean }) => {
      const file = await storePath(ctx, storeFlag());
      const store = await openExisting(ctx, file);
      try {
        const { store: found, id } = resolveStoredRun(store, typed, file);
        const run = found.getRun(id)!;
        const steps = found.getSteps(id);
        const detail = {
          run,
          stepCount: steps.length,
          attempts: new Set(steps.map((s) => s.attempt)).size,
          telemetryCount: found.countTelemetry(id),
          verdicts: found.getVerdicts(id),
        };
        if (opts.json) ctx.io.out(JSON.stringify({ ...detail, events: found.getEvents(id) }, null, 2) + '\n');
        else ctx.io.out((await import('./results-render.ts')).renderRunDetail(detail));
      } finally {
        store?.close();
      }
    });
};
