// Parses one log file in a single streaming pass: the first lines are held back for format detection, then every
// line goes to the chosen parser. When nothing is recognised in the head, every parser reads the file and the one
// that finds the most steps wins. The last lines are kept for the failure classifier.
import { TrainbenchError, inputError, usageError } from '../../core/errors.ts';
import { detectFormat, findParser, formatNames, parsers } from '../../core/ingest/index.ts';
import type { LineSink, LogParser, ParseOutput } from '../../core/ingest/index.ts';
import { didYouMean } from '../../core/suggest.ts';
import { looksBinary } from './head.ts';
import { forEachLine, isGzip, readTail } from './lines.ts';
import { parseParallel } from './parallel.ts';
import type { ParallelOptions } from './parallel.ts';

export interface ParseFileOptions {
  /** Parser name; skips detection. */
  format?: string;
  /** Lines kept from the end for diagnosis (default 200). */
  tailLines?: number;
  /** Lines used for detection (default 2000). */
  headLines?: number;
  /** Read size (tests use small chunks to cross chunk boundaries). */
  chunkBytes?: number;
  /** Step records kept before older ones are merged in pairs (default 1,000,000, about 330 MB). */
  maxSteps?: number;
  /** Large plain files are read by worker threads (parallel.ts; the same output); false: never. */
  parallel?: false | ParallelOptions;
}

export interface ParsedLog {
  file: string;
  format: string;
  /** 'forced' (--format), 'detected' (from the first lines) or 'best-of-all' (no format recognised in the head). */
  how: 'forced' | 'detected' | 'best-of-all';
  confidence: number;
  output: ParseOutput;
  /** Last lines of the file (each cut to its last 4 KiB) for the failure classifier. */
  tail: string[];
  bytes: number;
  cutLines: number;
  /** When the file was last written (ms since epoch). */
  mtimeMs: number;
}

const TAIL_LINE_CHARS = 4096;

export function resolveFormat(name: string): LogParser {
  const parser = findParser(name);
  if (!parser) {
    throw usageError(`unknown log format '${name}'`, { code: 'unknown-format', hint: didYouMean(name, formatNames) });
  }
  return parser;
}

export async function parseFile(path: string, options: ParseFileOptions = {}): Promise<ParsedLog> {
  const forced = options.format === undefined ? undefined : resolveFormat(options.format);
  const headMax = options.headLines ?? 2000;
  const tailMax = options.tailLines ?? 200;
  const ring: string[] = new Array<string>(Math.max(1, tailMax));
  let seen = 0;
  let head: string[] | undefined = forced ? undefined : [];
  const sinkOptions = options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps };
  let sinks: { parser: LogParser; sink: LineSink }[] = forced ? [{ parser: forced, sink: forced.create(sinkOptions) }] : [];
  if (options.parallel !== false && !isGzip(path)) {
    // The parallel reader is an optimisation: anything it cannot do, or any failure of its own, leaves the file to
    // the plain reader below (which reports unreadable files as before).
    const done = await parseParallel({ path, forced, headMax, tailMax, sinkOptions, ...options.parallel }).catch(() => undefined);
    if (done) return done;
  }
  let how: ParsedLog['how'] = forced ? 'forced' : 'detected';
  let confidence = forced ? 1 : 0;

  const choose = (lines: string[]) => {
    if (looksBinary(lines)) {
      throw inputError(`${path} looks like a binary file, not a log`, {
        code: 'binary-file', file: path, hint: 'pass the text log (.out/.log); use --format to read it anyway',
      });
    }
    const d = detectFormat(lines);
    if (d.parser) {
      sinks = [{ parser: d.parser, sink: d.parser.create(sinkOptions) }];
      confidence = d.confidence;
    } else {
      sinks = parsers.map((parser) => ({ parser, sink: parser.create(sinkOptions) }));
      how = 'best-of-all';
    }
    for (const line of lines) for (const s of sinks) s.sink.push(line);
  };

  // Where most lines hold a needle (a log of step lines), decoding whole chunks is cheaper than sieving them: the
  // sieve then runs on every 8th chunk only, to notice when the lines turn sparse again.
  let skippedTotal = 0;
  let last = { seen: 0, skipped: 0, sieved: false };
  let denseChunks = 0;
  const sieveOrNot = (needles: readonly string[] | undefined) => {
    if (last.sieved) {
      const handed = seen - last.seen;
      const skipped = skippedTotal - last.skipped;
      denseChunks = handed + skipped > 0 && skipped * 2 < handed + skipped ? 7 : 0;
    } else if (denseChunks > 0) denseChunks -= 1;
    const sieve = denseChunks === 0 ? needles : undefined;
    last = { seen, skipped: skippedTotal, sieved: sieve !== undefined };
    return sieve;
  };
  let stats;
  try {
    stats = await forEachLine(
      path,
      (line) => {
        ring[seen % ring.length] = line.length > TAIL_LINE_CHARS ? line.slice(-TAIL_LINE_CHARS) : line;
        seen += 1;
        if (head) {
          head.push(line);
          if (head.length >= headMax) {
            choose(head);
            head = undefined;
          }
          return;
        }
        for (const s of sinks) s.sink.push(line);
      },
      {
        // Once one parser is chosen, lines without its needles are only counted (see LogParser.needles).
        ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
        // (Not for .gz: the tail of skipped lines is read back from the file's end, which gzip cannot seek to.)
        needles: () => (head || sinks.length !== 1 || isGzip(path) ? undefined : sieveOrNot(sinks[0]!.parser.needles)),
        onSkip: (n) => {
          skippedTotal += n;
          for (const s of sinks) s.sink.skip(n);
        },
      },
    );
  } catch (error) {
    if (error instanceof TrainbenchError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError(`cannot read log ${path}: ${code ?? (error as Error).message}`, {
      code: code === 'ENOENT' ? 'log-not-found' : 'log-unreadable',
      file: path,
      hint: code === 'ENOENT' ? 'check the path; a directory is searched for its .out/.log files' : 'check the file permissions',
    });
  }
  if (head) choose(head);
  const results = sinks.map((s) => ({ parser: s.parser, output: s.sink.end() }));
  if (stats.gzipError) for (const r of results) r.output.warnings.push(`gzip stream damaged (${stats.gzipError}): read up to there`);
  results.sort((a, b) => b.output.steps.length - a.output.steps.length || b.output.lines.parsed - a.output.lines.parsed);
  const best = results[0]!;
  const kept = Math.min(seen, tailMax);
  // Skipped lines never reached the ring: then the tail is read from the end of the file.
  const tail = stats.skipped > 0
    ? await readTail(path, tailMax, 1 << 20, TAIL_LINE_CHARS)
    : Array.from({ length: kept }, (_, i) => ring[(seen - kept + i) % ring.length]!);
  const { stat } = await import('node:fs/promises');
  const mtimeMs = (await stat(path)).mtimeMs;
  // Best-of-all with nothing understood: no format, rather than the first parser's name.
  const none = (how as ParsedLog['how']) === 'best-of-all' && best.output.steps.length === 0 && best.output.lines.parsed === 0;
  return {
    file: path,
    format: none ? 'unknown' : best.parser.name,
    how,
    confidence,
    output: best.output,
    tail,
    bytes: stats.bytes,
    cutLines: stats.cutLines,
    mtimeMs,
  };
}
