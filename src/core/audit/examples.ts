// Checks on the seeds' worked examples and example log lines: each example's arithmetic as written, the inputs it
// plugs in against the recipe it names, the log line it quotes and the examples it chains from; each log line's
// counters against the recipe (consumed samples = steps * gbs, steps run = the recipe's step count).
import type { Catalog } from '../catalog/build.ts';
import { findModel, formulaFlopsPerSample, scaledModel } from '../catalog/lookup.ts';
import { admittedInterval, printed } from '../catalog/printed.ts';
import type { Example, LogLine, Recipe } from '../catalog/schema.ts';
import { evaluate } from './expr.ts';
import { readLogLine } from './logline.ts';
import { factRow, figureRow } from './row.ts';
import type { AuditRow, RowBase } from './row.ts';

const within = (value: number, publishedText: string): boolean => {
  const [lo, hi] = admittedInterval(printed(publishedText));
  const slack = Math.abs(value) * 1e-12;
  return value >= lo - slack && value < hi + slack;
};

const same = (a: number, b: number) => Math.abs(a - b) <= Math.abs(b) * 1e-12;

function publishedFlopsText(r: Recipe): string | undefined {
  const mf = r.model_flops;
  return mf && `${mf.printed}${mf.unit === 'TFLOP' ? 'e12' : ''}`;
}

function usesRows(c: Catalog, e: Example, base: RowBase): AuditRow[] {
  const rows: AuditRow[] = [];
  const uses = e.uses ?? {};
  const recipe = e.recipe ? c.recipes.find((r) => r.id === e.recipe) : undefined;
  const log = e.log ? c.logs.find((l) => l.id === e.log) : undefined;
  const row = (what: string, published: string, used: number, ok: boolean, detail: string) =>
    rows.push(factRow({ ...base, check: `example's ${what}`, detail }, published, String(used), ok));
  if (recipe) {
    const on = `recipe ${recipe.id}`;
    if (uses.seq_len !== undefined) row('seq_len vs the recipe it names', `seq_len ${recipe.seq_len}`, uses.seq_len, uses.seq_len === recipe.seq_len, on);
    if (uses.gbs !== undefined) row('gbs vs the recipe it names', `gbs ${recipe.gbs}`, uses.gbs, uses.gbs === recipe.gbs, on);
    if (uses.num_gpus !== undefined) row('GPU count vs the recipe it names', `${recipe.num_gpus} GPUs`, uses.num_gpus, uses.num_gpus === recipe.num_gpus, on);
    const flops = publishedFlopsText(recipe);
    if (uses.model_flops !== undefined && flops) row('model FLOPs vs the published constant', flops, uses.model_flops, same(uses.model_flops, printed(recipe.model_flops!.printed).value * (recipe.model_flops!.unit === 'TFLOP' ? 1e12 : 1)), on);
    if (uses.peak_flops !== undefined && recipe.peak_tflops_printed) row('peak FLOP/s vs the peak the seed prints', `${recipe.peak_tflops_printed} TFLOPS`, uses.peak_flops, same(uses.peak_flops, printed(recipe.peak_tflops_printed).value * 1e12), on);
  }
  if (uses.step_time_s !== undefined) {
    const fromLog = log && readLogLine(log.line).stepTimeS;
    const reference = fromLog ?? recipe?.baseline?.step_time_s;
    const where = fromLog ? `log line ${log!.id}` : `recipe ${recipe?.id} baseline`;
    if (reference) row(`step time vs the ${fromLog ? 'log line it quotes' : "recipe's published step time"}`, reference, uses.step_time_s, within(uses.step_time_s, reference), where);
  }
  if (uses.tokens_per_s !== undefined) {
    const source = c.examples.find((x) => x.id !== e.id && x.quantity === 'tokens_per_s' && x.recipe === e.recipe && x.file === e.file);
    if (source) row('tokens/s vs the result of the example it follows', source.printed, uses.tokens_per_s, within(uses.tokens_per_s, source.printed), `example ${source.id}`);
  }
  return rows;
}

/** For a flops_term example: the model in the catalog, run through the seed's formula, gives the printed term. */
function termRow(c: Catalog, e: Example, base: Omit<RowBase, 'check' | 'detail'>): AuditRow | undefined {
  const recipe = e.recipe ? c.recipes.find((r) => r.id === e.recipe) : undefined;
  if (!e.term || !recipe) return undefined;
  const model = scaledModel(findModel(c, recipe.model), recipe.scale);
  const seq = e.uses?.seq_len ?? recipe.seq_len;
  const value = formulaFlopsPerSample(model, seq)[e.term];
  return figureRow({ ...base, check: `${e.term} FLOPs term: catalog model ${model.name} through the ${model.flops_formula} formula`, detail: `seq ${seq}` }, e.printed, { value, lo: value, hi: value });
}

function exampleRows(c: Catalog, e: Example): AuditRow[] {
  const base = { source: e.seed, file: e.file, subject: e.id };
  const arithmetic = figureRow({ ...base, check: `worked example: ${e.text}`, detail: e.expr }, e.printed, evaluate(e.expr));
  const term = termRow(c, e, base);
  return [arithmetic, ...(term ? [term] : []), ...usesRows(c, e, { ...base, check: '', detail: '' })];
}

function logRows(c: Catalog, l: LogLine): AuditRow[] {
  const r = c.recipes.find((x) => x.id === l.recipe)!;
  const f = readLogLine(l.line);
  const base = { source: l.seed, file: l.file, subject: l.id, detail: `${l.context}; recipe ${r.id}` };
  const rows: AuditRow[] = [];
  if (f.consumedSamples !== undefined && f.globalStep !== undefined) {
    const options = [f.globalStep, f.globalStep + 1].map((s) => s * r.gbs);
    rows.push(factRow({ ...base, check: 'log consumed_samples = global_step (or +1) * gbs' }, `consumed_samples ${f.consumedSamples}`, `${options.join(' or ')} (gbs ${r.gbs})`, options.includes(f.consumedSamples)));
  } else if (f.consumedSamples !== undefined) {
    const steps = f.consumedSamples / r.gbs;
    rows.push(factRow({ ...base, check: 'log consumed_samples is a whole number of gbs steps' }, `consumed_samples ${f.consumedSamples}`, `${+steps.toFixed(3)} steps of gbs ${r.gbs}`, Number.isInteger(steps)));
  }
  if (f.progressTotal !== undefined && r.steps !== null) {
    rows.push(factRow({ ...base, check: "log progress total = the recipe's step count" }, `${r.steps} steps`, `${f.progressTotal}`, f.progressTotal === r.steps));
  }
  return rows;
}

export function auditExamples(c: Catalog): AuditRow[] {
  return [...c.logs.flatMap((l) => logRows(c, l)), ...c.examples.flatMap((e) => exampleRows(c, e))];
}
