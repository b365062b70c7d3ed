// Step records of the NeMo 2 shape held as numbers instead of objects, for the builder's byte-row fast path: a
// multi-GB log of step lines makes millions of records, most of which thinning later merges away, and as objects
// they cost more in garbage collection than the whole parse. Here add, redraw merge, restart detection and thinning
// do exactly what builder.ts/thin.ts do to the objects, and materialize() makes the objects the builder would have
// held, same keys in the same order (the 11 keys of the NeMo 2 record literal, `interval` last when set).
import type { Restart, StepRecord } from './types.ts';

// Record layout: the NeMo 2 literal's keys in order, then interval. NaN: undefined (interval: no key).
const KEYS = ['step', 'line', 'epoch', 'stepTimeS', 'loss', 'lr', 'gradNorm', 'consumedSamples', 'peakMemoryBytes', 'tflopsPerGpu', 'tokensPerSPerGpu'] as const;
const W = 12;
const INTERVAL = 11;
const TIME = 3;

export class RowStore {
  private data = new Float64Array(W * 4096);
  length = 0;

  /**
   * Room for this many records at once. The store never holds more than maxSteps + 1 records; room for them up
   * front spares the doublings (each a copy and a new external allocation, which drives V8 to collect garbage).
   */
  reserve(records: number): void {
    if (records * W <= this.data.length) return;
    const grown = new Float64Array(records * W);
    grown.set(this.data.subarray(0, this.length * W));
    this.data = grown;
  }

  /**
   * Byte rows r[from, to) (nemo2-rows.ts layout; row k at line lineBase + index + 1) through what storing each one
   * does: interval from the previous step, peak memory from GiB, then add(). Returns the merges thinning made.
   */
  addRows(r: Float64Array, from: number, to: number, lineBase: number, restarts: Restart[], maxRestarts: number, maxSteps: number): number {
    let thinned = 0;
    // The store's length, data and last step live in locals here (written back before thinning and at the end).
    let n = this.length;
    let d = this.data;
    let prev = n > 0 ? d[(n - 1) * W]! : Number.NaN;
    for (let o = from; o < to; o += 14) {
      const step = r[o + 1]!;
      const line = lineBase + r[o]! + 1;
      let peak = r[o + 8]!;
      if (peak !== peak && r[o + 12] === r[o + 12]) peak = r[o + 12]! * 2 ** 30;
      if (prev === step) {
        // merge(): every defined value of the new record overwrites the old one (steps equal: no interval).
        const at = (n - 1) * W;
        d[at + 1] = line;
        for (let k = 2; k <= 10; k++) {
          const x = k === 8 ? peak : r[o + k]!;
          if (x === x) d[at + k] = x;
        }
        continue;
      }
      if (step < prev && restarts.length < maxRestarts) restarts.push({ line, fromStep: prev, toStep: step });
      if ((n + 1) * W > d.length) {
        const grown = new Float64Array(d.length * 2);
        grown.set(d);
        this.data = d = grown;
      }
      const at = n * W;
      d[at] = step;
      d[at + 1] = line;
      d[at + 2] = r[o + 2]!;
      d[at + 3] = r[o + 3]!;
      d[at + 4] = r[o + 4]!;
      d[at + 5] = r[o + 5]!;
      d[at + 6] = r[o + 6]!;
      d[at + 7] = r[o + 7]!;
      d[at + 8] = peak;
      d[at + 9] = r[o + 9]!;
      d[at + 10] = r[o + 10]!;
      d[at + INTERVAL] = prev === prev && step - prev > 1 ? step - prev : Number.NaN;
      prev = step;
      n++;
      if (n > maxSteps) {
        this.length = n;
        thinned += this.thin(Math.floor(maxSteps / 4));
        n = this.length;
      }
    }
    this.length = n;
    return thinned;
  }

  /** thinOlder (thin.ts) over the records: pairs among [0, length - keepRecent) merged into the later one. */
  thin(keepRecent: number): number {
    const d = this.data;
    const n = this.length;
    const end = n - keepRecent;
    if (end < 2) return 0;
    const step = (i: number) => d[i * W]!;
    let w = 0;
    let i = 0;
    // The step of the record before i in the original order (steps are never changed by merging).
    let before = Number.NaN;
    while (i < end) {
      const hasB = i + 1 < end;
      const a = step(i);
      const b = hasB ? step(i + 1) : 0;
      const restartTarget = i > 0 && before >= a;
      const restartSource = i + 2 < n && step(i + 2) <= b;
      const ta = d[i * W + TIME]!;
      const tb = hasB ? d[(i + 1) * W + TIME]! : 0;
      if (hasB && b > a && !restartTarget && !restartSource && (ta !== ta) === (tb !== tb)) {
        const ka = d[i * W + INTERVAL]! === d[i * W + INTERVAL]! ? d[i * W + INTERVAL]! : 1;
        const kb = d[(i + 1) * W + INTERVAL]! === d[(i + 1) * W + INTERVAL]! ? d[(i + 1) * W + INTERVAL]! : 1;
        for (let k = 0, to = w * W, from = (i + 1) * W; k < W; k++) d[to + k] = d[from + k]!;
        d[w * W + INTERVAL] = ka + kb;
        if (ta === ta && tb === tb) d[w * W + TIME] = (ta * ka + tb * kb) / (ka + kb);
        before = b;
        i += 2;
      } else {
        if (w !== i) for (let k = 0, to = w * W, from = i * W; k < W; k++) d[to + k] = d[from + k]!;
        before = a;
        i += 1;
      }
      w++;
    }
    d.copyWithin(w * W, end * W, n * W);
    this.length = w + (n - end);
    return n - this.length;
  }

  /**
   * Takes these records over when every one has exactly the NeMo 2 shape (its 11 keys in order, numbers or
   * undefined, then at most `interval`, a number); false (nothing taken) otherwise.
   */
  absorb(records: readonly StepRecord[]): boolean {
    const v = new Float64Array(W);
    const rows: Float64Array[] = [];
    for (const rec of records) {
      const src = rec as unknown as Record<string, unknown>;
      let k = 0;
      for (const key in src) {
        const value = src[key];
        if (k < KEYS.length ? key !== KEYS[k] : key !== 'interval' || k > KEYS.length) return false;
        if (value !== undefined && (typeof value !== 'number' || value !== value)) return false;
        if ((k < 2 || k === KEYS.length) && value === undefined) return false;
        v[k++] = value === undefined ? Number.NaN : value;
      }
      if (k < KEYS.length) return false;
      if (k === KEYS.length) v[INTERVAL] = Number.NaN;
      rows.push(v.slice());
    }
    for (const row of rows) {
      if ((this.length + 1) * W > this.data.length) {
        const grown = new Float64Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
      this.data.set(row, this.length++ * W);
    }
    return true;
  }

  /** The records as the builder's objects, appended to `into`; the store is then empty. */
  materialize(into: StepRecord[]): void {
    const d = this.data;
    const n = this.length;
    // Two literals, one with `interval` last: adding the key to a made object moves it to a new shape and an
    // out-of-object property store (an allocation and a slower object per thinned record).
    for (let i = 0, o = 0; i < n; i++, o += W) {
      const e = d[o + 2]!, t = d[o + 3]!, l = d[o + 4]!, r = d[o + 5]!, g = d[o + 6]!, c = d[o + 7]!, p = d[o + 8]!, f = d[o + 9]!, k = d[o + 10]!;
      const iv = d[o + INTERVAL]!;
      into.push(iv === iv
        ? {
          step: d[o]!, line: d[o + 1]!, epoch: e === e ? e : undefined, stepTimeS: t === t ? t : undefined, loss: l === l ? l : undefined,
          lr: r === r ? r : undefined, gradNorm: g === g ? g : undefined, consumedSamples: c === c ? c : undefined,
          peakMemoryBytes: p === p ? p : undefined, tflopsPerGpu: f === f ? f : undefined, tokensPerSPerGpu: k === k ? k : undefined,
          interval: iv,
        }
        : {
          step: d[o]!, line: d[o + 1]!, epoch: e === e ? e : undefined, stepTimeS: t === t ? t : undefined, loss: l === l ? l : undefined,
          lr: r === r ? r : undefined, gradNorm: g === g ? g : undefined, consumedSamples: c === c ? c : undefined,
          peakMemoryBytes: p === p ? p : undefined, tflopsPerGpu: f === f ? f : undefined, tokensPerSPerGpu: k === k ? k : undefined,
        });
    }
    this.length = 0;
    this.data = new Float64Array(W * 16);
  }
}
