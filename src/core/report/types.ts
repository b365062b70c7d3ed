// What the HTML report and the dashboard draw: small, engine-neutral input so the report does not depend on how a
// run was stored or measured. Adapters fill it from the store, a Result, or a raw log.
import type { AlignedTelemetry } from '../telemetry/align.ts';

export interface ReportStep {
  step: number;
  /** Seconds per optimizer step, when printed. */
  stepTimeS: number | null;
  loss: number | null;
  /** Unix seconds at the end of the step, when known. */
  time: number | null;
}

/** The seeds' table shape: metrics down, configurations across ("Throughput on 8x H100 GPUs"). */
export interface SummaryTable {
  /** Top-left cell, e.g. "Llama3 8b Finetuning SFT BF16". */
  header: string;
  columns: string[];
  rows: { label: string; values: string[] }[];
}

export interface HeadlineMetrics {
  stepTimeS?: number | null;
  tokensPerS?: number | null;
  /** Fraction 0..1. */
  mfu?: number | null;
}

export interface ScalingPoint {
  gpus: number;
  tokensPerS: number;
  mfu: number | null;
}

export interface ReportInput {
  title: string;
  subtitle?: string;
  summary: SummaryTable | null;
  /** Every assumption behind the numbers (peak FLOPS, FLOPs formula, window, clock offset), printed verbatim. */
  assumptions: string[];
  steps: ReportStep[];
  /** The averaging window in step numbers (inclusive). */
  window: { from: number; to: number } | null;
  metrics?: HeadlineMetrics;
  baseline?: HeadlineMetrics & { label: string };
  telemetry?: AlignedTelemetry | null;
  scaling?: ScalingPoint[];
  /** The recipe family's published figures per GPU count (seed tables), drawn beside the measured points. */
  scalingPublished?: ScalingPoint[];
  /** Problems met while building the input (unparsed lines, telemetry warnings): shown, never hidden. */
  warnings?: string[];
  generatedAt?: string;
}

/** One chart: an echarts option (plain JSON, no functions) or an explanation of why there is nothing to draw. */
export interface ChartSpec {
  id: string;
  title: string;
  option: Record<string, unknown> | null;
  empty: string | null;
  note?: string;
}
