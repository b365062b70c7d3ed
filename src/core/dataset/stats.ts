// Summary statistics of a prepared dataset: counts and a power-of-two histogram of document lengths.

export interface LengthHistogram {
  /** Bucket k counts documents with length in [lo, hi]: [0,0], [1,1], [2,3], [4,7], ... */
  buckets: { lo: number; hi: number; count: number }[];
}

export function bucketOf(length: number): number {
  return length <= 0 ? 0 : 32 - Math.clz32(length);
}

export function createHistogram(): { add(length: number): void; result(): LengthHistogram } {
  const counts: number[] = [];
  return {
    add(length) {
      const b = bucketOf(length);
      while (counts.length <= b) counts.push(0);
      counts[b]!++;
    },
    result() {
      return {
        buckets: counts.map((count, b) => ({ lo: b === 0 ? 0 : 2 ** (b - 1), hi: b === 0 ? 0 : 2 ** b - 1, count })),
      };
    },
  };
}

/** One line per non-empty bucket, with a bar scaled to the largest bucket. */
export function renderHistogram(histogram: LengthHistogram, width = 40): string {
  const rows = histogram.buckets.filter((b) => b.count > 0);
  const max = Math.max(1, ...rows.map((b) => b.count));
  const label = (b: { lo: number; hi: number }) => (b.lo === b.hi ? `${b.lo}` : `${b.lo}-${b.hi}`);
  const labelWidth = Math.max(0, ...rows.map((b) => label(b).length));
  return rows
    .map((b) => `  ${label(b).padStart(labelWidth)} tokens  ${String(b.count).padStart(10)}  ${'#'.repeat(Math.max(1, Math.round((b.count / max) * width)))}`)
    .join('\n');
}

/** Human numbers: 1234567 -> "1.23M". */
export function humanCount(n: number): string {
  if (n < 1000) return String(n);
  const units = ['k', 'M', 'G', 'T'];
  let value = n;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)}${units[unit]}`;
}

export function mergeHistograms(histograms: readonly LengthHistogram[]): LengthHistogram {
  const merged: LengthHistogram = { buckets: [] };
  for (const h of histograms) {
    h.buckets.forEach((b, i) => {
      const target = merged.buckets[i];
      if (target) target.count += b.count;
      else merged.buckets[i] = { ...b };
    });
  }
  return merged;
}
