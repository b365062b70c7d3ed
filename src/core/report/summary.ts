// Formats headline figures into the seeds' summary table (step time, tokens/s, MFU, days per 1T tokens).
import type { SummaryTable } from './types.ts';

export interface SummaryColumn {
  /** Column heading, e.g. "Throughput on 8x H100 GPUs". */
  label: string;
  stepTimeS: number | null;
  tokensPerS: number | null;
  /** Fraction 0..1. */
  mfu: number | null;
  /** Days to train 1T tokens (or the stated token budget). */
  days: number | null;
}

const fmt = (value: number | null, digits: number, suffix = '') =>
  value === null || !Number.isFinite(value) ? 'n/a' : `${Number(value.toFixed(digits))}${suffix}`;

export function summaryTable(header: string, columns: SummaryColumn[], daysLabel = 'Time to train 1T tokens in days'): SummaryTable {
  return {
    header,
    columns: columns.map((c) => c.label),
    rows: [
      { label: 'Training step time (seconds per step)', values: columns.map((c) => fmt(c.stepTimeS, 3)) },
      { label: 'Throughput in tokens per second', values: columns.map((c) => fmt(c.tokensPerS === null ? null : Math.round(c.tokensPerS), 0)) },
      { label: 'Model flops utilization', values: columns.map((c) => fmt(c.mfu === null ? null : c.mfu * 100, 2, '%')) },
      { label: daysLabel, values: columns.map((c) => fmt(c.days, 1)) },
    ],
  };
}

/** The seeds' column heading: "Throughput on 8x H100 GPUs" (CPU runs say ranks). */
export function throughputLabel(count: number | null | undefined, device: string | null | undefined): string {
  if (!count) return 'This run';
  const cpu = device?.toLowerCase() === 'cpu';
  const unit = cpu ? 'CPU rank' : 'GPU';
  return `Throughput on ${device && !cpu ? `${count}x ${device}` : count} ${unit}${count === 1 ? '' : 's'}`;
}
