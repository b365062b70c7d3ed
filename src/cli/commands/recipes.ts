// `trainbench recipes`: the catalog's recipes, filtered; `--json` gives the full records.
import { Option } from 'commander';
import { engines, tasks } from '../../core/catalog/schema.ts';
import { positiveInteger } from '../options.ts';
import type { RegisterCommand } from './registry.ts';

interface RecipesOpts {
  model?: string;
  task?: string;
  dtype?: string;
  gpus?: number;
  gpu?: string;
  engine?: string;
  json?: boolean;
}

export const registerRecipes: RegisterCommand = (program, ctx) => {
  program
    .command('recipes')
    .description('list the catalog recipes (every configuration of the seed documents, plus the embedded defaults)')
    .option('--model <name>', 'only this model (e.g. llama3-8b)')
    .addOption(new Option('--task <task>', 'only this task').choices([...tasks]))
    .addOption(new Option('--dtype <dtype>', 'only this precision').choices(['bf16', 'fp8', 'tf32']))
    .option('--gpus <n>', 'only recipes on this many GPUs', positiveInteger('--gpus'))
    .option('--gpu <type>', 'only this GPU type (e.g. h100)')
    .addOption(new Option('--engine <engine>', 'only this engine').choices([...engines]))
    .option('--json', 'one JSON document: an array of recipe records')
    .action(async (opts: RecipesOpts) => {
      const { loadCatalog } = await import('../../adapters/catalog/index.ts');
      const { findGpu, findModel } = await import('../../core/catalog/index.ts');
      const { renderTable } = await import('../../core/catalog/table.ts');
      const catalog = loadCatalog();
      const model = opts.model === undefined ? undefined : findModel(catalog, opts.model).name;
      const gpu = opts.gpu === undefined ? undefined : findGpu(catalog, opts.gpu).name;
      const list = catalog.recipes.filter(
        (r) =>
          (model === undefined || r.model === model) &&
          (gpu === undefined || r.gpu === gpu) &&
          (opts.task === undefined || r.task === opts.task) &&
          (opts.dtype === undefined || r.dtype === opts.dtype) &&
          (opts.gpus === undefined || r.num_gpus === opts.gpus) &&
          (opts.engine === undefined || r.engine === opts.engine),
      );
      if (opts.json) {
        ctx.io.out(JSON.stringify(list, null, 2) + '\n');
        return;
      }
      const na = (v: number | null | undefined) => (v == null ? 'NA' : String(v));
      const rows = list.map((r) => {
        const p = r.parallelism;
        return [
          r.id, r.engine, r.task, r.model, r.gpu, String(r.num_gpus), r.dtype, String(r.seq_len), String(r.gbs), String(r.mbs),
          `${na(p.tp)}/${na(p.pp)}/${na(p.cp)}/${na(p.ep)}/${na(p.dp)}/${na(p.vp)}`,
          r.baseline?.step_time_s ?? '-', r.baseline?.mfu ?? '-',
        ];
      });
      const headers = ['ID', 'ENGINE', 'TASK', 'MODEL', 'GPU', 'GPUS', 'DTYPE', 'SEQ', 'GBS', 'MBS', 'TP/PP/CP/EP/DP/VP', 'STEP S', 'MFU'];
      ctx.io.out(renderTable(headers, rows, [, , , , , 'right', , 'right', 'right', 'right', , 'right', 'right']));
      ctx.io.out(`${list.length} recipe${list.length === 1 ? '' : 's'}; published figures as printed in the seed (trainbench show ID for details)\n`);
    });
};
