// Streams a file as lines in constant memory: fixed-size chunks, incremental UTF-8 decoding (invalid bytes become
// U+FFFD), our own split on LF with CRLF tolerated, and a cap on one line's length. A line longer than the cap is
// cut at its last CR when it has one (tqdm redraws keep whole screen states), otherwise cut hard.
import { createReadStream } from 'node:fs';

export interface LineStreamOptions {
  /** Longest line kept whole (characters); default 1 MiB. */
  maxLine?: number;
  chunkBytes?: number;
}

export interface LineStreamStats {
  bytes: number;
  lines: number;
  /** Lines split or cut because they exceeded maxLine. */
  cutLines: number;
}

export async function forEachLine(
  path: string,
  onLine: (line: string) => void,
  options: LineStreamOptions = {},
): Promise<LineStreamStats> {
  const maxLine = options.maxLine ?? 1 << 20;
  const stats: LineStreamStats = { bytes: 0, lines: 0, cutLines: 0 };
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
  const drain = (text: string) => {
    let buf = pending + text;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf('\n', start);
      if (nl < 0) break;
      const line = buf.slice(start, nl);
      if (line.length > maxLine) emit(cutLong(line));
      else emit(line);
      start = nl + 1;
    }
    pending = cutLong(start === 0 ? buf : buf.slice(start));
  };
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    stats.bytes += chunk.length;
    drain(decoder.decode(chunk, { stream: true }));
  }
  drain(decoder.decode());
  // A truncated last line (no final newline) is still a line.
  if (pending.length > 0) emit(pending);
  return stats;
}
