// Feeds what the byte scanner found in one range of lines into a parser's sink, in line order: rows through
// pushRow, needle lines decoded exactly as the line reader decodes them, the lines between counted with skip().
import { isAscii } from 'node:buffer';
import { ROW_STRIDE } from '../../core/ingest/fast/scan-range.ts';
import type { ScanResult } from '../../core/ingest/fast/scan-range.ts';
import type { LineSink } from '../../core/ingest/index.ts';

/** A line's bytes as forEachLine hands it out: ASCII as Latin-1 (the same string, faster), one trailing CR dropped. */
export function decodeLine(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const line = isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

export type ScanParts = Pick<ScanResult, 'lines' | 'rows' | 'nRows' | 'slowAt' | 'slowEnd' | 'slowBytes' | 'nSlow'>;

export function feedScan(sink: LineSink, r: ScanParts): void {
  let cursor = 0;
  let i = 0;
  let j = 0;
  const rows = r.rows;
  if (r.nRows > 0 && !sink.pushRows) throw new Error('this parser takes no step rows');
  while (i < r.nRows || j < r.nSlow) {
    const nextSlow = j < r.nSlow ? r.slowAt[j]! : Number.POSITIVE_INFINITY;
    if (i < r.nRows && rows[i * ROW_STRIDE]! < nextSlow) {
      // The rows up to the next text line, in one call.
      let k = i + 1;
      while (k < r.nRows && rows[k * ROW_STRIDE]! < nextSlow) k++;
      sink.pushRows!(rows, i * ROW_STRIDE, k * ROW_STRIDE, cursor);
      cursor = rows[(k - 1) * ROW_STRIDE]! + 1;
      i = k;
      continue;
    }
    if (nextSlow > cursor) sink.skip(nextSlow - cursor);
    const from = j === 0 ? 0 : r.slowEnd[j - 1]!;
    sink.push(decodeLine(r.slowBytes.subarray(from, r.slowEnd[j]!)));
    j++;
    cursor = nextSlow + 1;
  }
  if (r.lines > cursor) sink.skip(r.lines - cursor);
}
