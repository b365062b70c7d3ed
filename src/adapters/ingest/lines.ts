// Streams a file as lines in constant memory: fixed-size chunks split on LF as bytes (CRLF tolerated), UTF-8
// decoded only for the lines handed out (invalid bytes become U+FFFD), and a cap on one line's length. A line longer than the cap is
// cut at its last CR when it has one (tqdm redraws keep whole screen states), otherwise cut hard. `bytes` counts
// decompressed bytes for `.gz` files.
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { hasNeedle, probeOf, readChunks } from './read-chunks.ts';

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
  const emit = (line: string) => {
    stats.lines += 1;
    onLine(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
  };
  /** Emits the over-long head of `text` in pieces and returns what is left (at most maxLine characters). */
  const cutLong = (text: string): string => {
    while (text.length > maxLine) {
      const cr = text.lastIndexOf('\r', maxLine);
      const cut = cr > 0 ? cr + 1 : maxLine;
      stats.cutLines += 1;
      emit(text.slice(0, cut));
      text = text.slice(cut);
    }
    return text;
  };
  const emitLine = (line: string) => emit(line.length > maxLine ? cutLong(line) : line);
  const skip = (n: number) => {
    if (n === 0) return;
    stats.lines += n;
    stats.skipped += n;
    options.onSkip?.(n);
  };
  /** Decodes complete lines buf[from, to) (to just past a newline) and hands each out. */
  const emitRun = (buf: Buffer, from: number, to: number) => {
    // ASCII (most logs) is copied as Latin-1, much faster than UTF-8 decoding and the same string. Each line is its
    // own flat string: V8 reads characters of a slice of one big string more slowly.
    const ascii = isAscii(buf.subarray(from, to));
    let start = from;
    for (let nl = buf.indexOf(10, start); nl >= 0 && nl < to; nl = buf.indexOf(10, start)) {
      emitLine(ascii ? buf.toString('latin1', start, nl) : buf.toString('utf8', start, nl));
      start = nl + 1;
    }
  };
  // Bytes of the unfinished last line; kept as bytes so a multi-byte character cut between chunks decodes whole.
  let pending: Buffer | undefined;
  const onChunk = (chunk: Buffer) => {
    const needles = options.needles?.();
    const sieve = needles && needles.length > 0 ? needles : undefined;
    let from = 0;
    if (pending) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        pending = keepLong(Buffer.concat([pending, chunk]));
        return;
      }
      // The line begun in an earlier chunk ends here.
      const line = Buffer.concat([pending, chunk.subarray(0, nl)]).toString('utf8');
      pending = undefined;
      if (!sieve || sieve.some((n) => line.includes(n))) emitLine(line);
      else skip(1);
      from = nl + 1;
    }
    const end = chunk.lastIndexOf(10) + 1;
    if (end > from) {
      if (sieve) sieveRun(chunk, from, end, sieve);
      else emitRun(chunk, from, end);
    }
    if (end < chunk.length) pending = keepLong(Buffer.from(chunk.subarray(Math.max(end, from))));
  };
  /** A partial line longer than maxLine is cut now (constant memory); the rest stays pending. */
  const keepLong = (bytes: Buffer): Buffer | undefined => {
    if (bytes.length <= maxLine) return bytes;
    // Decode up to the last byte that starts a character: nothing decoded differently from a whole-stream decode.
    let safe = bytes.length;
    for (let k = 0; k < 4 && safe > 0; k++) {
      const c = bytes[safe - 1]!;
      safe -= 1;
      if ((c & 0xc0) !== 0x80) break;
      if (k === 3) safe = bytes.length;
    }
    const rest = cutLong(bytes.toString('utf8', 0, safe));
    const tail = bytes.subarray(safe);
    return rest.length === 0 && tail.length === 0 ? undefined : Buffer.concat([Buffer.from(rest, 'utf8'), tail]);
  };
  /**
   * Hands out the lines of buf[from, end) that contain a needle and counts the others without decoding them (grep's
   * trick: search the needles, not every line). Neighbouring hit lines are decoded as one run.
   */
  const sieveRun = (buf: Buffer, from: number, end: number, needles: readonly string[]) => {
    const probes = needles.map(probeOf);
    const exact = probes.every((p, k) => p === needles[k]);
    const next = probes.map((p) => buf.indexOf(p, from, 'latin1'));
    const advance = (pos: number) => {
      for (let k = 0; k < probes.length; k++) if (next[k]! >= 0 && next[k]! < pos) next[k] = buf.indexOf(probes[k]!, pos, 'latin1');
    };
    let start = from;
    let runStart = from;
    for (;;) {
      let hit = -1;
      for (const p of next) if (p >= start && p < end && (hit < 0 || p < hit)) hit = p;
      let lineStart = end;
      let lineEnd = end;
      if (hit >= 0) {
        lineStart = buf.lastIndexOf(10, hit) + 1;
        lineEnd = buf.indexOf(10, hit);
        // A probe is part of a needle: a line holding only the probe is not a hit (it is counted as skipped below).
        if (!exact && !hasNeedle(buf.subarray(lineStart, lineEnd), needles)) {
          advance(lineEnd + 1);
          continue;
        }
      }
      if (lineStart > start) {
        if (start > runStart) emitRun(buf, runStart, start);
        let skipped = 0;
        for (let nl = buf.indexOf(10, start); nl >= 0 && nl < lineStart; nl = buf.indexOf(10, nl + 1)) skipped += 1;
        skip(skipped);
        runStart = lineStart;
      }
      if (hit < 0) break;
      start = lineEnd + 1;
      advance(start);
    }
    if (start > runStart) emitRun(buf, runStart, start);
  };
  try {
    for await (const chunk of isGzip(path) ? (openLog(path, options.chunkBytes) as AsyncIterable<Buffer>) : readChunks(path, options.chunkBytes)) {
      stats.bytes += chunk.length;
      onChunk(chunk);
    }
  } catch (error) {
    // A truncated archive (job killed while compressing) is a truncated log: keep what was read.
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!isGzip(path) || !code.startsWith('Z_')) throw error;
    stats.gzipError = (error as Error).message;
  }
  // A truncated last line (no final newline) is still a line.
  if (pending && pending.length > 0) {
    const rest = cutLong(pending.toString('utf8'));
    if (rest.length > 0) emit(rest);
  }
  return stats;
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
