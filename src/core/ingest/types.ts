// The one shape every log parser produces, and the one interface every parser implements.
// Parsers are streaming: a sink receives physical lines one at a time and returns a ParseOutput at the end,
// so the caller decides how lines are read (file chunks, a pipe, a test array) and memory stays bounded.

/** One training step (or one logged interval) as the engine printed it. Absent fields were not printed. */
export interface StepRecord {
  /** Step number as the engine counts it (see the parser's doc for 0/1-based). */
  step: number;
  /** 1-based physical line number where the record was (last) seen. */
  line: number;
  /** Seconds per optimizer step: finite and > 0 when present. */
  stepTimeS?: number | undefined;
  /** Steps this record averages over (Megatron log interval); 1 when the engine prints every step. */
  interval?: number | undefined;
  loss?: number | undefined;
  gradNorm?: number | undefined;
  lr?: number | undefined;
  peakMemoryBytes?: number | undefined;
  consumedSamples?: number | undefined;
  /** Tokens per second for the whole job, as printed. */
  tokensPerS?: number | undefined;
  /** Tokens per second per GPU, as printed (torchtitan tps, Megatron-DeepSpeed tgs, NeMo tokens_per_sec_per_gpu). */
  tokensPerSPerGpu?: number | undefined;
  /** Samples per second for the whole job, as printed (DeepSpeed CurrSamplesPerSec, Megatron-DS samples/s). */
  samplesPerS?: number | undefined;
  /** Model TFLOP/s per GPU as the engine computed it (its own FLOPs formula). */
  tflopsPerGpu?: number | undefined;
  /** MFU as the engine printed it, as a fraction (nanoGPT's is vs A100 312 TFLOPS whatever the GPU). */
  engineMfu?: number | undefined;
  /** Iterations skipped (fp16 overflow) in this record's interval. */
  skippedIterations?: number | undefined;
  nanIterations?: number | undefined;
  /** True when the whole record was a skipped update (no loss printed because every iteration was skipped). */
  skipped?: boolean | undefined;
  /** True when the printed loss was nan/inf. */
  nanLoss?: boolean | undefined;
  /** Wall-clock time (Unix seconds, UTC assumed when the log has no zone) when known. */
  time?: number | undefined;
  epoch?: number | undefined;
}

/** Facts a log states about the run (start banner, per-step fields). */
export interface HeaderFacts {
  globalBatchSize?: number;
  microBatchSize?: number;
  perDeviceBatchSize?: number;
  gradientAccumulation?: number;
  seqLen?: number;
  worldSize?: number;
  totalSteps?: number;
  numExamples?: number;
  numEpochs?: number;
  trainableParams?: number;
  tokensPerIteration?: number;
  peakFlopsPerGpu?: number;
  /** Model FLOPs per token, fwd+bwd, as the engine computed it (reference workload start event). */
  flopsPerToken?: number;
  startStep?: number;
}

/** A step counter that went backwards: a resume from checkpoint or a new run appended to the same file. */
export interface Restart {
  line: number;
  fromStep: number;
  toStep: number;
}

/** A machine-readable event line (`TRAINBENCH_EVENT {...}` from the reference workload). */
export interface LogEvent {
  line: number;
  event: string;
  data: Record<string, unknown>;
}

export interface LineCounts {
  total: number;
  parsed: number;
  unparsed: number;
}

export interface ParseOutput {
  format: string;
  steps: StepRecord[];
  header: HeaderFacts;
  /** End-of-run summary the engine printed (HF train metrics, ...), numbers where they parse. */
  finalMetrics: Record<string, number | string>;
  lines: LineCounts;
  restarts: Restart[];
  warnings: string[];
  events: LogEvent[];
  /** Total optimizer steps the engine reports as skipped (DeepSpeed cumulative `skipped=`, Megatron sums). */
  skippedSteps: number;
}

export interface SinkOptions {
  /** Records kept before older ones are merged in pairs (bounded memory; window means stay exact). */
  maxSteps?: number;
  /** Step rows (LineSink.pushRow) may be kept as numbers until the end: set when far more steps than maxSteps are expected. */
  rowStore?: boolean;
}

export interface LineSink {
  /** Feed one physical line (without its newline). Never throws. */
  push(line: string): void;
  /** One line the reader read as a step row (LogParser.rows): the same as push() of that line, cheaper. */
  pushRow?(rows: Float64Array, offset: number): void;
  /**
   * Rows at offsets [from, to) of one range, with no other line between them; `index` is the range index of the next
   * line (the one after the lines already pushed or skipped). The same as skip() and pushRow() for each row.
   */
  pushRows?(rows: Float64Array, from: number, to: number, index: number): void;
  /** Count lines the reader skipped because they hold none of the parser's needles (unparsed, line numbers advance). */
  skip(count: number): void;
  /** Finish and return what was found. Never throws. */
  end(): ParseOutput;
}

export interface LogParser {
  readonly name: string;
  readonly description: string;
  /** Confidence 0..1 that these first lines come from this engine. */
  detect(head: readonly string[]): number;
  /**
   * Strings at least one of which every line this parser can use contains. A reader may skip other lines without
   * decoding them (sink.skip), as grep would; the contract checks the output is the same. Absent: every line matters.
   */
  readonly needles?: readonly string[];
  /** The byte-level step lines this parser's sink takes as rows (sink.pushRow); absent: text lines only. */
  readonly rows?: RowScan;
  create(options?: SinkOptions): LineSink;
}

/** Which step lines a byte scanner reads (fast/scan-range.ts): NeMo 2 ProgressPrinter lines; events: workload lines. */
export interface RowScan {
  kind: 'nemo2';
  events: boolean;
}
