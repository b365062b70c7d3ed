// A stored run -> ReportInput: its steps, its stored measurement (headline figures, window, assumptions), its
// telemetry joined to steps, and the scaling of its recipe across GPU counts.
import { alignTelemetry, type StepTiming } from '../../core/telemetry/index.ts';
import { summaryTable, throughputLabel, type ReportInput, type ReportStep, type ScalingPoint } from '../../core/report/index.ts';
import type { RunRecord, Store } from '../store/index.ts';
import { fromStoreRows } from '../telemetry/store-rows.ts';

/** Store timestamps are ISO text or epoch seconds as the log printed them. */
export function stepTime(timestamp: string | null): number | null {
  if (timestamp === null || timestamp.trim() === '') return null;
  if (/^\d+(\.\d+)?$/.test(timestamp.trim())) return Number(timestamp);
  const ms = Date.parse(timestamp);
  return Number.isFinite(ms) ? ms / 1000 : null;
}

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The averaging window from a stored Result, whatever its spelling ({from,to} or {firstStep,lastStep}). */
export function resultWindow(result: unknown): { from: number; to: number } | null {
  const w = obj(obj(result).window);
  const from = num(w.from) ?? num(w.firstStep) ?? num(w.start);
  const to = num(w.to) ?? num(w.lastStep) ?? num(w.end);
  return from !== null && to !== null ? { from, to } : null;
}

/** Seed recipe ids carry the GPU count (`gpt3-175b-pretrain-bf16-128gpu`); the family is the id without it. */
export const recipeFamily = (id: string) => id.replace(/-\d+gpus?$/, '');

export function scalingFor(store: Store, run: RunRecord): ScalingPoint[] {
  if (!run.recipeId) return [];
  const family = recipeFamily(run.recipeId);
  const best = new Map<number, ScalingPoint>();
  const filter = { ...(run.model ? { model: run.model } : {}), ...(run.gpu ? { gpu: run.gpu } : {}) };
  // Newest first: the latest measurement per GPU count wins.
  for (const r of store.listRuns({ ...filter, sort: '-created', limit: 1000 })) {
    if (!r.recipeId || recipeFamily(r.recipeId) !== family) continue;
    if (r.numGpus === null || r.tokensPerS === null || best.has(r.numGpus)) continue;
    best.set(r.numGpus, { gpus: r.numGpus, tokensPerS: r.tokensPerS, mfu: r.mfu });
  }
  return [...best.values()].sort((a, b) => a.gpus - b.gpus);
}

export interface Published {
  baseline?: NonNullable<ReportInput['baseline']>;
  /** The recipe family's published tokens/s and MFU per GPU count. */
  scaling: ScalingPoint[];
}

/** The seed's published figures for the run's recipe (and its family across GPU counts), when the catalog has them. */
export async function publishedFigures(recipeId: string | null): Promise<Published> {
  if (!recipeId) return { scaling: [] };
  try {
    const { loadCatalog } = await import('../catalog/index.ts');
    const { printed } = await import('../../core/catalog/printed.ts');
    const value = (raw: string | undefined, scale = 1) => (raw === undefined ? null : printed(raw).value * scale);
    const recipes = loadCatalog().recipes;
    const b = recipes.find((r) => r.id === recipeId)?.baseline;
    const family = recipeFamily(recipeId);
    const scaling = recipes.flatMap((r) => {
      const tps = value(r.baseline?.tokens_per_s);
      return recipeFamily(r.id) === family && r.id !== family && r.num_gpus && tps !== null ? [{ gpus: r.num_gpus, tokensPerS: tps, mfu: value(r.baseline?.mfu, 0.01) }] : [];
    });
    const baseline = b ? { label: `published (${recipeId})`, stepTimeS: value(b.step_time_s), tokensPerS: value(b.tokens_per_s), mfu: value(b.mfu, 0.01) } : undefined;
    return { ...(baseline ? { baseline } : {}), scaling };
  } catch {
    return { scaling: [] }; // no catalog here: the report says no baseline was given
  }
}

export function runReportInput(store: Store, run: RunRecord, published: Published = { scaling: [] }): ReportInput {
  const rows = store.getSteps(run.id);
  // A restarted run stores repeated steps under a later attempt; the latest attempt's value is the one that counted.
  const byStep = new Map<number, ReportStep>();
  for (const r of rows) byStep.set(r.step, { step: r.step, stepTimeS: r.timeS, loss: r.loss, time: stepTime(r.timestamp) });
  const steps = [...byStep.values()].sort((a, b) => a.step - b.step);
  const result = obj(run.result);
  const timings: StepTiming[] = steps
    .filter((s): s is ReportStep & { time: number; stepTimeS: number } => s.time !== null && s.stepTimeS !== null)
    .map((s) => ({ step: s.step, end: s.time, stepTimeS: s.stepTimeS }));
  const tele = store.getTelemetry(run.id);
  const { gpu, cpu } = fromStoreRows(tele);
  // Stored samples are already UTC: the offset was applied when the capture was read into the store.
  const telemetry = tele.length ? alignTelemetry(timings, gpu, cpu, { utcOffsetHours: 0, zone: 'UTC, as stored' }) : null;
  const assumptions = Array.isArray(result.assumptions) ? result.assumptions.map(String) : [];
  const days = num(result.days) ?? num(result.daysToTrain) ?? null;
  const label = run.numGpus ? throughputLabel(run.numGpus, run.gpu) : run.name;
  const header = [run.model, run.task, run.dtype].filter(Boolean).join(' ') || run.name;
  const headline = run.stepTimeS !== null || run.tokensPerS !== null;
  return {
    title: run.name,
    subtitle: `${run.id} · ${run.state}${run.engine ? ` · ${run.engine}` : ''}${run.jobId ? ` · job ${run.jobId}` : ''}`,
    summary: headline ? summaryTable(header, [{ label, stepTimeS: run.stepTimeS, tokensPerS: run.tokensPerS, mfu: run.mfu, days }]) : null,
    assumptions: assumptions.length ? assumptions : ['No measurement stored for this run yet: figures appear once the run is measured.'],
    steps,
    window: resultWindow(run.result),
    metrics: { stepTimeS: run.stepTimeS, tokensPerS: run.tokensPerS, mfu: run.mfu },
    telemetry,
    scaling: scalingFor(store, run),
    ...(published.baseline ? { baseline: published.baseline } : {}),
    scalingPublished: published.scaling,
    warnings: run.reason ? [`${run.state}: ${run.reason}`] : [],
  };
}
