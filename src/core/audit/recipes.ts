// Checks on each recipe: every published table cell recomputed from the printed inputs with the seeds' own
// formulas (core/metrics), the published model-FLOPs constant against the model's formula, and the parallelism
// arithmetic (world size, GBS divisibility, gradient accumulation, the GBS-per-node rule, layers per stage).
import type { Catalog } from '../catalog/build.ts';
import { findModel, formulaFlopsPerSample, modelParallelSize, scaledModel } from '../catalog/lookup.ts';
import { admittedInterval, printed } from '../catalog/printed.ts';
import type { Recipe } from '../catalog/schema.ts';
import { SECONDS_PER_DAY, nnscalerStepFlops } from '../metrics/index.ts';
import type { Interval } from './expr.ts';
import { factRow, figureRow } from './row.ts';
import type { AuditRow, RowBase } from './row.ts';

const TOKENS_1T = 1e12;

/** A printed input with the range of true values it admits. */
function input(text: string, scale = 1): Interval {
  const p = printed(text);
  const [lo, hi] = admittedInterval(p);
  return { value: p.value * scale, lo: lo * scale, hi: hi * scale };
}

const exact = (v: number): Interval => ({ value: v, lo: v, hi: v });

/** f is increasing in `up` inputs and decreasing in `down` inputs (all positive), so its range sits at the corners. */
function monotone(f: (up: number[], down: number[]) => number, up: Interval[], down: Interval[]): Interval {
  return {
    value: f(up.map((x) => x.value), down.map((x) => x.value)),
    lo: f(up.map((x) => x.lo), down.map((x) => x.hi)),
    hi: f(up.map((x) => x.hi), down.map((x) => x.lo)),
  };
}

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

function publishedFlops(r: Recipe): Interval | undefined {
  if (!r.model_flops) return undefined;
  const scale = r.model_flops.unit === 'TFLOP' ? 1e12 : 1;
  return exact(printed(r.model_flops.printed).value * scale); // a published constant is a definition: exact
}

function tableCells(c: Catalog, r: Recipe, base: Omit<RowBase, 'check' | 'detail'>): AuditRow[] {
  const rows: AuditRow[] = [];
  const b = r.baseline;
  if (!b) return rows;
  const step = b.step_time_s ? input(b.step_time_s) : undefined;
  if (step && b.tokens_per_s) {
    const tps = monotone(([s, g], [t]) => (s! * g!) / t!, [exact(r.seq_len), exact(r.gbs)], [step]);
    rows.push(figureRow({ ...base, check: 'tokens/s = seq_len * gbs / step time', detail: `${r.seq_len} * ${r.gbs} / ${b.step_time_s}` }, b.tokens_per_s, tps));
  }
  if (b.days_1t) {
    const tps = b.tokens_per_s ? input(b.tokens_per_s) : step && monotone(([s, g], [t]) => (s! * g!) / t!, [exact(r.seq_len), exact(r.gbs)], [step]);
    if (tps) {
      const days = monotone((_, [t]) => TOKENS_1T / t! / SECONDS_PER_DAY, [], [tps]);
      const from = b.tokens_per_s ?? `(${r.seq_len} * ${r.gbs} / ${b.step_time_s})`;
      rows.push(figureRow({ ...base, check: 'days to train 1T tokens = 1e12 / tokens/s / 86400', detail: `1e12 / ${from} / 86400` }, b.days_1t, days));
    }
  }
  const flops = publishedFlops(r);
  const gpu = c.gpus.find((g) => g.name === r.gpu);
  const catalogPeak = gpu?.peak_tflops[r.dtype].value;
  const peakText = r.peak_tflops_printed ?? (catalogPeak == null ? undefined : String(catalogPeak));
  if (step && b.mfu && flops && peakText) {
    const peak = input(peakText, 1e12);
    const perSample = r.model_flops?.per === 'sample';
    const lora = r.task === 'lora' ? 2 / 3 : 1;
    const samples = perSample ? r.gbs : 1;
    const mfu = monotone(([f], [t, p]) => ((samples * f!) / t! / r.num_gpus / p!) * lora * 100, [flops], [step, peak]);
    const detail = `${perSample ? `${r.gbs} * ` : ''}${r.model_flops!.printed}${r.model_flops!.unit === 'TFLOP' ? 'e12' : ''} / ${b.step_time_s} / ${r.num_gpus} / ${peakText}e12${lora === 1 ? '' : ' * 2/3 (LoRA)'}`;
    rows.push(figureRow({ ...base, check: `MFU = ${perSample ? 'gbs * ' : ''}model flops / step time / GPUs / peak${lora === 1 ? '' : ' * 2/3'}`, detail }, b.mfu, mfu));
  }
  return rows;
}

/** The published constant against the seed's formula for the model; one row per distinct (file, model, seq, value). */
function constantRow(c: Catalog, r: Recipe, base: Omit<RowBase, 'check' | 'detail'>): AuditRow | undefined {
  const mf = r.model_flops;
  if (!mf) return undefined;
  const model = scaledModel(findModel(c, r.model), r.scale);
  if (mf.per === 'sample') {
    const f = formulaFlopsPerSample(model, r.seq_len);
    const detail = `${model.flops_formula} formula, ${model.name} (l=${model.layers} h=${model.hidden} ffn=${model.ffn} heads=${model.heads}/${model.kv_heads} V=${model.vocab}), seq ${r.seq_len}: ${r.seq_len} * (${f.attention} + ${f.mlp} + ${f.embedding})`;
    return figureRow({ ...base, subject: `${model.name} @ seq ${r.seq_len}`, check: 'published model FLOPs per sample vs the formula', detail }, mf.printed, exact(f.total));
  }
  const gradAccum = r.grad_accum ?? 1;
  const params = r.formula_params ?? model.params;
  const f = nnscalerStepFlops({ params, layers: model.layers, hidden: model.hidden, seqLen: r.seq_len, gradAccum });
  const detail = `3 * ${gradAccum} * 2 * (${params} * ${r.seq_len} + 2 * ${model.layers} * ${model.hidden} * ${r.seq_len}^2)`;
  const scale = mf.unit === 'TFLOP' ? 1e12 : 1;
  return figureRow({ ...base, subject: `${model.name} @ seq ${r.seq_len}`, check: 'published model FLOPs per step vs the formula', detail }, mf.printed, exact(f.step), scale);
}

function parallelismRows(c: Catalog, r: Recipe, base: Omit<RowBase, 'check' | 'detail'>): AuditRow[] {
  const p = r.parallelism;
  const mp = modelParallelSize(p);
  const mpText = p.auto_plan_gpus ? `auto_plan ${p.auto_plan_gpus}` : `tp ${p.tp ?? 'NA'} * pp ${p.pp ?? 'NA'} * cp ${p.cp ?? 'NA'}`;
  const rows: AuditRow[] = [];
  const dp = p.dp ?? r.num_gpus / mp;
  if (p.dp !== null) {
    rows.push(factRow({ ...base, check: 'world size = tp * pp * cp * dp (NA = 1)', detail: `${mpText} * dp ${p.dp}` }, `${r.num_gpus} GPUs`, `${mp * p.dp}`, mp * p.dp === r.num_gpus));
  } else {
    rows.push(factRow({ ...base, check: 'GPUs divisible by tp * pp * cp (dp not printed)', detail: `${r.num_gpus} / (${mpText})` }, `${r.num_gpus} GPUs`, `dp = ${+dp.toFixed(3)}`, Number.isInteger(dp)));
  }
  const micro = r.mbs * dp;
  rows.push(factRow({ ...base, check: 'gbs divisible by mbs * dp', detail: `${r.gbs} / (${r.mbs} * ${+dp.toFixed(3)})` }, `gbs ${r.gbs}`, `${+(r.gbs / micro).toFixed(3)} micro-batches per rank`, Number.isInteger(r.gbs / micro)));
  if (r.grad_accum != null) {
    const ga = r.gbs / micro;
    rows.push(factRow({ ...base, check: 'grad accumulation = gbs / (mbs * dp)', detail: `${r.gbs} / (${r.mbs} * ${+dp.toFixed(3)})` }, `GA ${r.grad_accum}`, `${+ga.toFixed(3)}`, ga === r.grad_accum));
  }
  if (r.gbs_per_node) {
    const nodes = r.num_gpus / r.gpus_per_node;
    rows.push(factRow({ ...base, check: `gbs = nodes * ${r.gbs_per_node}`, detail: `${r.num_gpus} / ${r.gpus_per_node} GPUs per node * ${r.gbs_per_node}` }, `gbs ${r.gbs}`, `${nodes * r.gbs_per_node}`, nodes * r.gbs_per_node === r.gbs));
  }
  if ((p.pp ?? 1) * (p.vp ?? 1) > 1) {
    const layers = scaledModel(findModel(c, r.model), r.scale).layers;
    const chunks = (p.pp ?? 1) * (p.vp ?? 1);
    rows.push(factRow({ ...base, check: 'layers divisible by pp * vp', detail: `${layers} / (${p.pp ?? 'NA'} * ${p.vp ?? 'NA'})` }, `${layers} layers`, `${+(layers / chunks).toFixed(3)} layers per chunk`, layers % chunks === 0));
  }
  return rows;
}

/** The peak a seed prints for a GPU and dtype against the catalog's datasheet value for the same GPU. */
function peakRow(c: Catalog, r: Recipe, base: Omit<RowBase, 'check' | 'detail'>): AuditRow | undefined {
  const gpu = c.gpus.find((g) => g.name === r.gpu);
  const entry = gpu?.peak_tflops[r.dtype];
  if (!r.peak_tflops_printed || !entry || entry.value === null) return undefined;
  return figureRow({ ...base, subject: `${r.gpu} ${r.dtype}`, check: "seed's printed peak TFLOPS vs the catalog GPU", detail: `${gpu!.file}: ${entry.source}` }, r.peak_tflops_printed, exact(entry.value));
}

export function auditRecipes(c: Catalog): AuditRow[] {
  const rows: AuditRow[] = [];
  const constants = new Set<string>();
  const peaks = new Set<string>();
  for (const r of c.recipes) {
    const base = { source: r.seed, file: r.file, subject: r.id };
    rows.push(...tableCells(c, r, base));
    const peakKey = `${r.file}|${r.gpu}|${r.dtype}`;
    if (!peaks.has(peakKey)) {
      peaks.add(peakKey);
      const row = peakRow(c, r, base);
      if (row) rows.push(row);
    }
    const key = `${r.file}|${r.model}|${JSON.stringify(r.scale ?? {})}|${r.seq_len}|${r.model_flops?.printed}|${r.grad_accum}`;
    if (r.model_flops && !constants.has(key)) {
      constants.add(key);
      const row = constantRow(c, r, base);
      if (row) rows.push(row);
    }
    rows.push(...parallelismRows(c, r, base));
  }
  return rows;
}
