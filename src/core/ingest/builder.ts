// Accumulates a ParseOutput and enforces the parser contract in one place: step times finite and > 0, numbers
// finite and >= 0, repeated redraws of one step merged, a step counter going back recorded as a restart.
import { RowStore } from './row-store.ts';
import { thinOlder } from './thin.ts';
import type { HeaderFacts, LogEvent, ParseOutput, Restart, StepRecord } from './types.ts';

const MAX_WARNINGS = 50;
const MAX_RESTARTS = 1_000;
const MAX_EVENTS = 10_000;
// Fields that must be finite and >= 0 (> 0 for rates and times).
const POSITIVE: ReadonlySet<string> = new Set(['stepTimeS', 'tokensPerS', 'tokensPerSPerGpu', 'samplesPerS', 'interval']);
const NON_NEGATIVE: ReadonlySet<string> = new Set([
  'gradNorm', 'lr', 'peakMemoryBytes', 'consumedSamples', 'tflopsPerGpu', 'engineMfu', 'skippedIterations',
  'nanIterations', 'time', 'epoch',
]);

// Records the builder may hand to a RowStore when the byte-row path starts (a log's head is read as text).
const ABSORB_MAX = 4096;

export class SeriesBuilder {
  private readonly list: StepRecord[] = [];
  /** Byte-row records not made objects yet: the logical series is list ++ rows (see row-store.ts). */
  private rows: RowStore | undefined;
  private absorbs = 0;
  readonly header: HeaderFacts = {};
  readonly finalMetrics: Record<string, number | string> = {};
  readonly restarts: Restart[] = [];
  readonly events: LogEvent[] = [];
  skippedSteps = 0;
  private readonly warnings = new Map<string, number>();

  readonly format: string;
  private readonly maxSteps: number;
  private thinned = 0;

  private readonly useRows: boolean;

  /**
   * maxSteps: records kept before older ones are merged in pairs (see thin.ts); default 1,000,000. rows: byte rows
   * may be kept as numbers (worth it only when thinning is expected: they are made objects at the end, in one go).
   */
  constructor(format: string, maxSteps = 1_000_000, rows = false) {
    this.format = format;
    this.maxSteps = Math.max(16, maxSteps);
    this.useRows = rows;
  }

  /** Every record as an object (rows held as numbers are made objects first). */
  get steps(): StepRecord[] {
    this.flush();
    return this.list;
  }

  private flush(): void {
    if (this.rows && this.rows.length > 0) this.rows.materialize(this.list);
    this.rows = undefined;
  }

  /**
   * The row store for a byte row, when the series can live there: it already does, or every record so far (a
   * head read as text, at most ABSORB_MAX) has the NeMo 2 shape. undefined: add the row as an object.
   */
  rowStore(): RowStore | undefined {
    if (this.rows) return this.rows;
    if (!this.useRows || this.list.length > ABSORB_MAX || this.absorbs >= 16) return undefined;
    this.absorbs++;
    const store = new RowStore();
    if (!store.absorb(this.list)) return undefined;
    // Room for every record the store can hold (maxSteps + 1, within reason): it is used when thinning is expected.
    store.reserve(Math.min(this.maxSteps + 1, 1 << 21));
    this.list.length = 0;
    this.rows = store;
    return store;
  }

  /** Byte rows into the store (RowStore.addRows). */
  addRows(store: RowStore, r: Float64Array, from: number, to: number, lineBase: number): void {
    this.thinned += store.addRows(r, from, to, lineBase, this.restarts, MAX_RESTARTS, this.maxSteps);
  }

  warn(message: string): void {
    const seen = this.warnings.get(message);
    if (seen !== undefined) this.warnings.set(message, seen + 1);
    else if (this.warnings.size < MAX_WARNINGS) this.warnings.set(message, 1);
  }

  /** Adds a step; a redraw of the last step merges into it; a smaller step number is a restart. */
  add(rec: StepRecord): StepRecord | undefined {
    const clean = this.sanitize(rec);
    return clean ? this.addValidated(clean) : undefined;
  }

  /** add() for a record whose fields are known to pass sanitize (the byte scanner's rows): the same, unchecked. */
  addValidated(clean: StepRecord): StepRecord {
    this.flush();
    const last = this.list[this.list.length - 1];
    if (last && last.step === clean.step) return merge(last, clean);
    if (last && clean.step < last.step && this.restarts.length < MAX_RESTARTS) {
      this.restarts.push({ line: clean.line, fromStep: last.step, toStep: clean.step });
    }
    this.list.push(clean);
    if (this.list.length > this.maxSteps) {
      this.thinned += thinOlder(this.list, Math.floor(this.maxSteps / 4));
    }
    return clean;
  }

  /**
   * Adds fields to a recent record with this step (lines printed out of order); when none is found, adds a new
   * record (orAdd) or drops the fields.
   */
  annotate(rec: StepRecord, orAdd = true): StepRecord | undefined {
    const clean = this.sanitize(rec);
    if (!clean) return undefined;
    const steps = this.steps;
    for (let i = steps.length - 1; i >= Math.max(0, steps.length - 8); i--) {
      const s = steps[i]!;
      if (s.step === clean.step) return merge(s, clean);
    }
    return orAdd ? this.add(clean) : undefined;
  }

  last(): StepRecord | undefined {
    const steps = this.steps;
    return steps[steps.length - 1];
  }

  setHeader<K extends keyof HeaderFacts>(key: K, value: number | undefined): void {
    if (value !== undefined && Number.isFinite(value) && value > 0) this.header[key] = value;
  }

  event(e: LogEvent): void {
    if (this.events.length < MAX_EVENTS) this.events.push(e);
    else this.warn(`more than ${MAX_EVENTS} events: the rest were not kept`);
  }

  output(lines: { total: number; parsed: number }): ParseOutput {
    if (this.thinned > 0) {
      this.warn(`more than ${this.maxSteps} records: older ones were merged in pairs (${this.thinned} merges); means stay exact, medians and percentiles of older windows are approximate`);
    }
    return {
      format: this.format,
      steps: this.steps,
      header: this.header,
      finalMetrics: this.finalMetrics,
      lines: { total: lines.total, parsed: lines.parsed, unparsed: lines.total - lines.parsed },
      restarts: this.restarts,
      warnings: [...this.warnings].map(([m, n]) => (n > 1 ? `${m} (x${n})` : m)),
      events: this.events,
      skippedSteps: this.skippedSteps,
    };
  }

  private sanitize(rec: StepRecord): StepRecord | undefined {
    if (!Number.isFinite(rec.step) || rec.step < 0) {
      this.warn('a step line without a usable step number was ignored');
      return undefined;
    }
    // Validated in place (parsers hand over a fresh object): one allocation per step on multi-GB logs.
    rec.step = Math.round(rec.step);
    const src = rec as unknown as Record<string, unknown>;
    for (const key in src) {
      const value = src[key];
      if (typeof value !== 'number' || key === 'step' || key === 'line') continue;
      const positive = POSITIVE.has(key);
      const ok = Number.isFinite(value) && (positive ? value > 0 : !NON_NEGATIVE.has(key) || value >= 0);
      if (!ok) {
        src[key] = undefined;
        if (key === 'loss') rec.nanLoss = true;
        else this.warn(`rejected ${key} = ${value} (must be finite and ${positive ? '> 0' : '>= 0'})`);
      }
    }
    return rec;
  }
}

function merge(into: StepRecord, from: StepRecord): StepRecord {
  const src = from as unknown as Record<string, unknown>;
  for (const key in src) {
    if (src[key] !== undefined) (into as unknown as Record<string, unknown>)[key] = src[key];
  }
  return into;
}
