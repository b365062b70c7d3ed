// Streams a file as lines in constant memory: fixed-size chunks, incremental UTF-8 decoding (invalid bytes become
// U+FFFD), our own split on LF with CRLF tolerated, and a cap on one line's length. A line longer than the cap is
// cut at its last CR when it has one (tqdm redraws keep whole screen states), otherwise cut hard. `bytes` counts
// decompressed bytes for `.gz` files.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Archived logs are often gzipped: `.gz` files are decompressed on the fly. */
export const isGzip = (path: string) => path.endsWith('.gz');

export function openLog(path: string, chunkBytes = 1 << 20): Readable {
  const raw = createReadStream(path, { highWaterMark: chunkBytes });
  if (!isGzip(path)) return raw;
  const gunzip = createGunzip({ chunkSize: Math.max(1024, chunkBytes) });
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

export interface LineStreamOptions {
  /** Longest line kept whole (characters); default 1 MiB. */
  maxLine?: number;
  chunkBytes?: number;
  /**
   * Asked once per chunk: when it returns strings, lines containing none of them are not cut out of the chunk, only
   * counted and reported through onSkip (grep's trick: search the needles, not every line).
   */
  needles?: () => readonly string[] | undefined;
  onSkip?: (count: number) => void;
}

export interface LineStreamStats {
  bytes: number;
  lines: number;
  /** Lines counted but not handed out (no needle in them). */
  skipped: number;
  /** Lines split or cut because they exceeded maxLine. */
  cutLines: number;
  /** A `.gz` file ended early or is corrupt: the lines before the damage were read. */
  gzipError?: string;
}

export async function forEachLine(
  path: string,
  onLine: (line: string) => void,
  options: LineStreamOptions = {},
): Promise<LineStreamStats> {
  const maxLine = options.maxLine ?? 1 << 20;
  const stats: LineStreamStats = { bytes: 0, lines: 0, skipped: 0, cutLines: 0 };
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let pending = '';
  const emit = (line: string) => {
    stats.lines += 1;
    onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  };
  /** Emits the over-long head of `buf` in pieces and returns what is left (shorter than maxLine). */
  const cutLong = (buf: string): string => {
    while (buf.length > maxLine) {
      const cr = buf.lastIndexOf('\r', maxLine);
      const cut = cr > 0 ? cr + 1 : maxLine;
      stats.cutLines += 1;
      emit(buf.slice(0, cut));
      buf = buf.slice(cut);
    }
    return buf;
  };
  const skip = (n: number) => {
    if (n === 0) return;
    stats.lines += n;
    stats.skipped += n;
    options.onSkip?.(n);
  };
  const emitLine = (line: string) => {
    if (line.length > maxLine) emit(cutLong(line));
    else emit(line);
  };
  const drain = (text: string) => {
    let buf = pending + text;
    let start = 0;
    const needles = options.needles?.();
    if (needles && needles.length > 0) start = sieve(buf, needles, emitLine, skip);
    for (;;) {
      const nl = buf.indexOf('\n', start);
      if (nl < 0) break;
      emitLine(buf.slice(start, nl));
      start = nl + 1;
    }
    pending = cutLong(start === 0 ? buf : buf.slice(start));
  };
  const stream = openLog(path, options.chunkBytes);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      stats.bytes += chunk.length;
      drain(decoder.decode(chunk, { stream: true }));
    }
  } catch (error) {
    // A truncated archive (job killed while compressing) is a truncated log: keep what was read.
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!isGzip(path) || !code.startsWith('Z_')) throw error;
    stats.gzipError = (error as Error).message;
  }
  drain(decoder.decode());
  // A truncated last line (no final newline) is still a line.
  if (pending.length > 0) emit(pending);
  return stats;
}

/**
 * Hands out the complete lines of `buf` that contain a needle and counts the others, without slicing them; returns
 * where the unfinished last line starts. Each needle's next occurrence is searched once and reused.
 */
function sieve(buf: string, needles: readonly string[], emit: (line: string) => void, skip: (n: number) => void): number {
  const end = buf.lastIndexOf('\n');
  if (end < 0) return 0;
  const next = needles.map((n) => buf.indexOf(n));
  let start = 0;
  for (;;) {
    let hit = -1;
    for (const p of next) if (p >= start && p < end && (hit < 0 || p < hit)) hit = p;
    const lineStart = hit < 0 ? end + 1 : buf.lastIndexOf('\n', hit) + 1;
    let skipped = 0;
    for (let nl = buf.indexOf('\n', start); nl >= 0 && nl < lineStart; nl = buf.indexOf('\n', nl + 1)) skipped += 1;
    skip(skipped);
    if (hit < 0) return end + 1;
    const lineEnd = buf.indexOf('\n', hit);
    emit(buf.slice(lineStart, lineEnd));
    start = lineEnd + 1;
    for (let k = 0; k < needles.length; k++) if (next[k]! >= 0 && next[k]! < start) next[k] = buf.indexOf(needles[k]!, start);
  }
}

/** The last `maxLines` lines of a file (from its last `maxBytes`), each cut to its last `maxChars`. */
export async function readTail(path: string, maxLines: number, maxBytes = 1 << 20, maxChars = 4096): Promise<string[]> {
  const { open } = await import('node:fs/promises');
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const from = Math.max(0, size - maxBytes);
    const buf = Buffer.alloc(size - from);
    await fh.read(buf, 0, buf.length, from);
    const lines = buf.toString('utf8').split('\n');
    if (from > 0) lines.shift(); // a partial first line
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-maxLines).map((l) => {
      const t = l.endsWith('\r') ? l.slice(0, -1) : l;
      return t.length > maxChars ? t.slice(-maxChars) : t;
    });
  } finally {
    await fh.close();
  }
}
