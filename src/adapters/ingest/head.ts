// The byte-level pieces of the parallel reader that run on the main thread: the first lines (for format detection),
// the binary-file test, and piece boundaries at line starts.
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { decodeLine } from './feed-scan.ts';

/** More than 30% replacement characters or control bytes in the first 64 K characters: not a text log. */
export function looksBinary(lines: readonly string[]): boolean {
  let n = 0;
  let bad = 0;
  for (const line of lines) {
    for (let i = 0; i < line.length && n < 65_536; i++, n++) {
      const c = line.charCodeAt(i);
      if (c === 0xfffd || (c < 32 && c !== 9 && c !== 13) || c === 127) bad++;
    }
    if (n >= 65_536) break;
  }
  return n > 256 && bad / n > 0.3;
}

/**
 * The first `count` lines, decoded as the line reader decodes them, and the byte offset after them; undefined when
 * they are not within the first `maxBytes` or one is longer than maxLine bytes (the plain reader handles those).
 */
export async function readHead(fh: FileHandle, count: number, maxLine: number, maxBytes = 16 << 20): Promise<{ lines: string[]; end: number } | undefined> {
  const lines: string[] = [];
  let buf = Buffer.alloc(0);
  let start = 0;
  let offset = 0;
  while (lines.length < count) {
    const nl = buf.indexOf(10, start);
    if (nl >= 0) {
      if (nl - start > maxLine) return undefined;
      lines.push(decodeLine(buf.subarray(start, nl)));
      start = nl + 1;
      continue;
    }
    if (buf.length - start > maxLine || offset >= maxBytes) return undefined;
    const more = Buffer.allocUnsafe(1 << 20);
    const { bytesRead } = await fh.read(more, 0, more.length, offset);
    // The whole file is head: a small file, the plain reader is as fast.
    if (bytesRead === 0) return undefined;
    offset += bytesRead;
    buf = Buffer.concat([buf.subarray(start), more.subarray(0, bytesRead)]);
    start = 0;
  }
  return { lines, end: offset - (buf.length - start) };
}

/**
 * Piece boundaries from `from` to `size`: each just after a newline, about `piece` bytes apart, the first `ramp`
 * pieces smaller (piece / 2^ramp, doubling: the first results reach the main thread while the workers are still
 * warming up, so it starts feeding them sooner). undefined when a line longer than maxLine is in the way. The few
 * bytes at each boundary are read synchronously (page cache: a thread-pool round trip each cost more).
 */
export function pieceBounds(fh: FileHandle, from: number, size: number, piece: number, maxLine: number, ramp = 0): number[] | undefined {
  const bounds = [from];
  const window = Buffer.allocUnsafe(1 << 16);
  const sizeOf = (k: number) => (k < ramp ? Math.max(1 << 20, Math.floor(piece / 2 ** (ramp - k))) : piece);
  for (let at = from + sizeOf(0); at < size; at = bounds[bounds.length - 1]! + sizeOf(bounds.length - 1)) {
    let pos = at - 1;
    let found = -1;
    while (found < 0 && pos < size) {
      if (pos - at > maxLine) return undefined;
      const bytesRead = readSync(fh.fd, window, 0, window.length, pos);
      if (bytesRead === 0) break;
      const nl = window.subarray(0, bytesRead).indexOf(10);
      if (nl >= 0) found = pos + nl;
      else pos += bytesRead;
    }
    if (found < 0 || found + 1 >= size) break;
    bounds.push(found + 1);
  }
  bounds.push(size);
  return bounds;
}
