// Large plain log files are read by worker threads: the main thread reads the first lines and picks the format as
// the plain reader does, splits the rest into pieces at line starts, and the workers scan the pieces (needle sieve,
// step lines read from the bytes); the main thread feeds their results into the one sink in file order, so restarts,
// intervals, thinning, events and line numbers come out exactly as from the plain reader. Parsers without a byte
// reader (all but nemo2 and workload) get the sieve only: their needle lines come back as text. Anything this path
// does not handle (gzip, small files, parsers without needles, a line over 1 MiB, a binary file, no format recognised
// in the head, a short tail) returns undefined and the plain reader runs.
import { availableParallelism } from 'node:os';
import { open } from 'node:fs/promises';
import { detectFormat } from '../../core/ingest/index.ts';
import type { LogParser, SinkOptions } from '../../core/ingest/index.ts';
import { feedScan } from './feed-scan.ts';
import { looksBinary, pieceBounds, readHead } from './head.ts';
import { readTail } from './lines.ts';
import type { ScanResult } from '../../core/ingest/fast/scan-range.ts';
import type { ParsedLog } from './parse-file.ts';
import { ScanPool } from './scan-pool.ts';

export interface ParallelOptions {
  /** Smallest file read in parallel (default 32 MB: below, starting workers costs more than it saves). */
  minBytes?: number;
  /** Bytes per piece (default: the file over 16 pieces per worker, within 2-16 MiB; a worker reads 1 MiB at a time). */
  pieceBytes?: number;
  /** Worker threads (default: the cores, at most 4). */
  workers?: number;
  /** Bytes a worker reads at a time (default 1 MiB). */
  chunkBytes?: number;
  /** NeMo 2 step lines read by the WebAssembly reader (default) or, false, by the JavaScript one (same output). */
  wasmReader?: boolean;
}

export interface ParallelInput extends ParallelOptions {
  path: string;
  forced: LogParser | undefined;
  headMax: number;
  tailMax: number;
  sinkOptions: SinkOptions;
}

const MAX_LINE = 1 << 20; // forEachLine's default cap: longer lines are cut there, so they go the plain way
const TAIL_LINE_CHARS = 4096;

export async function parseParallel(input: ParallelInput): Promise<ParsedLog | undefined> {
  const { path, headMax, tailMax } = input;
  if (tailMax < 1 || headMax < 1) return undefined;
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return undefined; // the plain reader reports it
  let pool: ScanPool | undefined;
  try {
    const st = await fh.stat();
    const size = st.size;
    if (!st.isFile() || size < (input.minBytes ?? 32e6)) return undefined;
    const workers = Math.max(1, input.workers ?? Math.min(4, availableParallelism()));
    pool = new ScanPool(path, workers, input.chunkBytes);
    const head = await readHead(fh, headMax, MAX_LINE);
    if (!head) return undefined;
    let parser = input.forced;
    let confidence = 1;
    if (!parser) {
      if (looksBinary(head.lines)) return undefined;
      const d = detectFormat(head.lines);
      parser = d.parser;
      confidence = d.confidence;
    }
    if (!parser?.needles || parser.needles.length === 0) return undefined;
    const piece = input.pieceBytes ?? Math.min(16 << 20, Math.max(2 << 20, Math.ceil((size - head.end) / (workers * 16))));
    // The first three pieces are 1/8, 1/4 and 1/2 of a piece, unless the caller sets the pieces.
    const bounds = pieceBounds(fh, head.end, size, piece, MAX_LINE, input.pieceBytes === undefined ? 3 : 0);
    if (!bounds) return undefined;

    // Far more steps than the series keeps (thinning ahead): the rows are kept as numbers until the end.
    const needles = parser.needles;
    const stepish = head.lines.reduce((n, l) => n + (needles.some((x) => l.includes(x)) ? 1 : 0), 0);
    const expected = head.end > 0 ? (stepish / head.end) * size : 0;
    const sink = parser.create({ ...input.sinkOptions, rowStore: expected > (input.sinkOptions.maxSteps ?? 1e6) / 2 });
    for (const line of head.lines) sink.push(line);
    pool.configure({ needles: parser.needles, maxLine: MAX_LINE }, parser.rows, input.wasmReader ?? true);
    const pieces = bounds.length - 1;
    const inflight: ReturnType<ScanPool['scan']>[] = [];
    let sent = 0;
    const send = (spare?: ScanResult) => {
      inflight.push(pool!.scan(sent, bounds[sent]!, bounds[sent + 1]!, spare));
      sent++;
    };
    while (sent < Math.min(pieces, workers * 2)) send();
    // Read while the workers scan. The plain reader keeps the tail from a ring of the last lines, or reads it back
    // from the file's end when it skipped lines: the two agree whenever the last MiB holds tailMax whole lines or the
    // whole file, the only cases taken here.
    const tail = await readTail(path, tailMax, 1 << 20, TAIL_LINE_CHARS);
    if (tail.length < tailMax && size > 1 << 20) return undefined;
    let bytes = head.end;
    for (let k = 0; k < pieces; k++) {
      // A worker that fails (cannot start, cannot read) leaves the file to the plain reader.
      const done = await inflight.shift()!.catch(() => undefined);
      if (!done || done.r.bail) return undefined;
      feedScan(sink, done.r);
      // Decoded lines are copies, rows are in the store or objects: the arrays go back to be filled again, with the
      // next piece for the same worker (one message; that worker has another piece queued meanwhile).
      if (sent < pieces) send(done.r);
      bytes += done.bytes;
    }
    return {
      file: path,
      format: parser.name,
      how: input.forced ? 'forced' : 'detected',
      confidence,
      output: sink.end(),
      tail,
      bytes,
      cutLines: 0,
      mtimeMs: (await fh.stat()).mtimeMs,
    };
  } finally {
    await pool?.close();
    await fh.close();
  }
}
