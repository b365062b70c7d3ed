// Turns a per-segment handler into a LogParser: the handler sees cleaned screen states (CR redraws split, escapes
// and rank prefixes removed) and says whether it took something from it. Counting, rank filtering and the
// never-throw guarantee live here so each parser only knows its own format.
import { SeriesBuilder } from './builder.ts';
import { forEachSegment } from './text.ts';
import { ROW_STRIDE } from './fast/scan-range.ts';
import type { LineSink, LogParser, ParseOutput, RowScan } from './types.ts';

export interface SegmentContext {
  /** 1-based physical line number. */
  line: number;
  rank: number | undefined;
  b: SeriesBuilder;
}

export interface ParserSpec<State> {
  name: string;
  description: string;
  detect(head: readonly string[]): number;
  needles?: readonly string[];
  init(): State;
  /** Returns true when the segment held something this parser understood (a step, a fact, an event). */
  handle(text: string, ctx: SegmentContext, state: State): boolean;
  /** Byte-level step rows (fast/scan-range.ts) this parser takes through applyRow/applyRows; absent: text lines only. */
  rows?: RowScan;
  applyRow?(rows: Float64Array, offset: number, ctx: SegmentContext, state: State): void;
  /** Rows [from, to) with no other line between them, row k at line lineBase + its index + 1 (see LineSink.pushRows). */
  applyRows?(rows: Float64Array, from: number, to: number, lineBase: number, ctx: SegmentContext, state: State): void;
  /** Last chance to derive fields that need the whole log (e.g. step time from samples/s once GBS is known). */
  finish?(b: SeriesBuilder, state: State): void;
}

export function defineParser<State>(spec: ParserSpec<State>): LogParser {
  return {
    name: spec.name,
    description: spec.description,
    detect: (head) => {
      try {
        // Detection regexes only need a line's start; long lines would make them slow.
        const v = spec.detect(head.map((l) => (l.length > 4096 ? l.slice(0, 4096) : l)));
        return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
      } catch {
        return 0;
      }
    },
    create: (options) => createSink(spec, options?.maxSteps, options?.rowStore ?? false),
    ...(spec.needles ? { needles: spec.needles } : {}),
    ...(spec.rows && spec.applyRow && spec.applyRows ? { rows: spec.rows } : {}),
  };
}

function createSink<State>(spec: ParserSpec<State>, maxSteps: number | undefined, rows: boolean): LineSink {
  const b = new SeriesBuilder(spec.name, maxSteps, rows);
  const state = spec.init();
  let total = 0;
  let parsed = 0;
  // Engines that print on several ranks would interleave; the first rank that prints a step owns the series.
  let stepRank: number | undefined;
  // One context object, updated per segment: parsers must not keep it.
  const ctx: SegmentContext = { line: 0, rank: undefined, b };
  let took = false;
  // One callback for every line (a closure per line was garbage on multi-GB logs).
  const onSegment = (text: string, rank: number | undefined) => {
    if (stepRank !== undefined && rank !== undefined && rank !== stepRank) {
      b.warn(`lines from rank ${rank} ignored: steps are read from rank ${stepRank}`);
      return;
    }
    const before = b.steps.length;
    ctx.line = total;
    ctx.rank = rank;
    if (spec.handle(text, ctx, state)) took = true;
    if (stepRank === undefined && rank !== undefined && b.steps.length > before) stepRank = rank;
  };
  return {
    push(line: string): void {
      total += 1;
      took = false;
      try {
        forEachSegment(line, onSegment);
      } catch (error) {
        b.warn(`parser ${spec.name} failed on a line: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (took) parsed += 1;
    },
    pushRow(rows: Float64Array, offset: number): void {
      // A row is a whole plain line (no rank prefix, no CR, nothing to clean) that holds a step.
      total += 1;
      ctx.line = total;
      ctx.rank = undefined;
      spec.applyRow!(rows, offset, ctx, state);
      parsed += 1;
    },
    pushRows(rows: Float64Array, from: number, to: number, index: number): void {
      if (from >= to) return;
      // Line numbers: the range's line `index` is the next line, total + 1.
      const lineBase = total - index;
      ctx.rank = undefined;
      spec.applyRows!(rows, from, to, lineBase, ctx, state);
      total = lineBase + rows[to - ROW_STRIDE]! + 1;
      parsed += (to - from) / ROW_STRIDE;
    },
    skip(count: number): void {
      if (Number.isInteger(count) && count > 0) total += count;
    },
    end(): ParseOutput {
      try {
        spec.finish?.(b, state);
      } catch (error) {
        b.warn(`parser ${spec.name} failed at the end: ${error instanceof Error ? error.message : String(error)}`);
      }
      return b.output({ total, parsed });
    },
  };
}

/** Feeds an array of lines through a parser (tests, small inputs). */
export function parseLines(parser: LogParser, lines: Iterable<string>): ParseOutput {
  const sink = parser.create();
  for (const line of lines) sink.push(line);
  return sink.end();
}
