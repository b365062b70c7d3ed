// The byte-level reader of a range of log lines (whole lines, as read from a file): it counts every line, sends the
// lines holding none of the parser's needles nowhere (as the line sieve does), reads NeMo 2 ProgressPrinter step
// lines straight from the bytes into numeric rows, and hands every other needle line back as raw bytes for the text
// parser. A row is only produced when the text path would read exactly the same numbers and warn about nothing;
// anything unusual (a sign, `nan`, a control byte, a CR inside the line, `^`, a repeated odd key...) goes the text way.
// makeRangeScanner is SELF-CONTAINED (no imports, no module-level references): workers run its source text.
import type { StepReader } from './nemo2-bytes.ts';
import type { WasmSieve } from './wasm-sieve.ts';

export interface ScanConfig {
  needles: readonly string[];
  /** A line longer than this (bytes) stops the scan: `bail` (the caller reads the file the plain way). */
  maxLine: number;
}

export interface ScanResult {
  /** Lines in the range (a last line without a newline counts). */
  lines: number;
  /** ROW_STRIDE numbers per row (the layout: nemo2-bytes.ts); `rows` may be longer than needed. */
  rows: Float64Array;
  nRows: number;
  /** Line index (within the range) of each needle line left to the text parser, its bytes in slowBytes. */
  slowAt: Int32Array;
  slowEnd: Int32Array;
  slowBytes: Uint8Array;
  nSlow: number;
  bail: boolean;
}

export const ROW_STRIDE = 14;

/**
 * Returns scan(b, more): b holds whole lines (the last may lack its newline) and nothing else; with `more`, b's lines
 * continue the previous call's range (one result, line indices counted on); `spare`: arrays of a result the caller
 * is done with, to fill again. readStep (a step-line reader such as makeNemo2StepReader's) is tried on lines starting
 * with `T`; its lines must hold one of the needles. sieve (makeWasmSieve's, over the needles' probes) finds the lines
 * to look at and counts the others; without it, Buffer.indexOf does.
 */
export function makeRangeScanner(cfg: ScanConfig, readStep: StepReader | undefined, sieve?: WasmSieve): (b: Buffer, more?: boolean, spare?: Pick<ScanResult, 'rows' | 'slowAt' | 'slowEnd' | 'slowBytes'>) => ScanResult {
  const STRIDE = 14;
  const BLOCK = 1 << 16;
  const bytes = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 255);
  const needles = cfg.needles.map(bytes);
  // The sieve's probes (read-chunks.ts probeOf): Buffer.indexOf finds a needle's longest word fastest.
  const probes = cfg.needles.map((needle) => {
    const word = needle.split(' ').reduce((a, w) => (w.length > a.length ? w : a), '');
    const u = word.indexOf('_');
    return u >= 0 && word.length - u >= 5 ? word.slice(u) : word || needle;
  });
  let out: ScanResult = { lines: 0, rows: new Float64Array(STRIDE * 256), nRows: 0, slowAt: new Int32Array(256), slowEnd: new Int32Array(256), slowBytes: new Uint8Array(1 << 16), nSlow: 0, bail: false };
  const next = probes.map(() => -2);
  /** The first probe at or after pos (-1: none): each probe's next place is searched again only once passed. */
  const nextHit = (b: Buffer, pos: number) => {
    let hit = -1;
    for (let k = 0; k < probes.length; k++) {
      if (next[k] !== -1 && next[k]! < pos) next[k] = b.indexOf(probes[k]!, pos, 'latin1');
      if (next[k]! >= 0 && (hit < 0 || next[k]! < hit)) hit = next[k]!;
    }
    return hit;
  };
  // Carried from range to range: the next one is most likely alike.
  let dense = true;
  const matchAt = (b: Buffer, i: number, w: Uint8Array) => {
    for (let k = 0; k < w.length; k++) if (b[i + k] !== w[k]) return false;
    return true;
  };
  /** A step line read into the next row; the line's end, or -1 (declined: the text parser reads it). */
  /** Room for `rows` more rows. */
  const grow = (rows: number) => {
    const grown = new Float64Array(Math.max(out.rows.length * 2, (out.nRows + rows) * STRIDE));
    grown.set(out.rows);
    out.rows = grown;
  };
  const stepRow = (b: Buffer, ls: number, n: number, index: number) => {
    if (out.nRows * STRIDE + STRIDE > out.rows.length) grow(1);
    const le = readStep!(b, ls, n, out.rows, out.nRows * STRIDE, index);
    if (le >= 0) out.nRows++;
    return le;
  };
  const addSlow = (b: Buffer, idx: number, ls: number, le: number) => {
    const at = out.nSlow === 0 ? 0 : out.slowEnd[out.nSlow - 1]!;
    if (out.nSlow === out.slowAt.length) {
      const a = new Int32Array(out.nSlow * 2);
      a.set(out.slowAt);
      out.slowAt = a;
      const e = new Int32Array(out.nSlow * 2);
      e.set(out.slowEnd);
      out.slowEnd = e;
    }
    if (at + le - ls > out.slowBytes.length) {
      const g = new Uint8Array(Math.max(out.slowBytes.length * 2, at + le - ls));
      g.set(out.slowBytes);
      out.slowBytes = g;
    }
    out.slowBytes.set(b.subarray(ls, le), at);
    out.slowAt[out.nSlow] = idx;
    out.slowEnd[out.nSlow++] = at + le - ls;
  };
  const hasNeedle = (b: Buffer, ls: number, le: number) => {
    for (const w of needles) for (let i = ls; i + w.length <= le; i++) if (b[i] === w[0] && matchAt(b, i, w)) return true;
    return false;
  };
  /** Newlines in b[a, e) (Buffer.indexOf per line measured faster than any JS loop over the bytes). */
  const countNl = (b: Buffer, a: number, e: number) => {
    if (sieve) return sieve.count(b, a, e);
    let count = 0;
    for (let i = b.indexOf(10, a); i >= 0 && i < e; i = b.indexOf(10, i + 1)) count++;
    return count;
  };

  return (bytes: Buffer, more = false, spare?: Pick<ScanResult, 'rows' | 'slowAt' | 'slowEnd' | 'slowBytes'>): ScanResult => {
    // A fresh view per call: the step reader caches what it found in a buffer by the buffer's identity.
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = b.length;
    if (!more) {
      // Arrays handed back from an earlier result are filled again (no fresh allocation per range).
      const want = (out.nRows + 256) * STRIDE;
      out = {
        lines: 0, nRows: 0, nSlow: 0, bail: false,
        rows: spare && spare.rows.length >= want ? spare.rows : new Float64Array(want),
        slowAt: spare?.slowAt ?? new Int32Array(256), slowEnd: spare?.slowEnd ?? new Int32Array(256), slowBytes: spare?.slowBytes ?? new Uint8Array(1 << 16),
      };
    }
    next.fill(-2); // -2: not searched yet; -1: no further occurrence
    // A last line without its newline goes the text way: the step reader then never reads past the bytes (a read
    // out of bounds makes V8 recompile its loops slower for good).
    const open = n === 0 || b[n - 1] === 10 ? n : b.lastIndexOf(10, n - 1) + 1;
    let pos = 0;
    let line = out.lines;
    while (pos < n) {
      const blockEnd = pos + BLOCK;
      const line0 = line;
      let hits = 0;
      while (pos < blockEnd && pos < n) {
        let ls = pos;
        if (!dense) {
          // The sieve: jump to the next line holding a probe, counting the lines in between.
          const hit = sieve ? sieve.find(b, pos, n) : nextHit(b, pos);
          if (hit < 0) {
            line += (sieve ? sieve.lines : countNl(b, pos, n)) + (b[n - 1] === 10 ? 0 : 1);
            pos = n;
            break;
          }
          ls = b.lastIndexOf(10, hit) + 1;
          // The newlines before the hit are those before its line.
          if (sieve) line += sieve.lines;
          else if (ls > pos) line += countNl(b, pos, ls);
        }
        if (readStep?.many && b[ls] === 84 && ls < open) {
          // A run of step lines in one call (the lines of this block; the first one even past it, as below).
          if (out.rows.length - out.nRows * STRIDE < 512 * STRIDE) grow(512);
          const got = readStep.many(b, ls, Math.max(blockEnd, ls + 1), open, out.rows, out.nRows * STRIDE, line, out.rows.length / STRIDE - out.nRows);
          if (got > 0) {
            out.nRows += got;
            line += got;
            hits += got;
            pos = readStep.end!;
            continue;
          }
        } else if (readStep && b[ls] === 84 && ls < open) {
          const e = stepRow(b, ls, n, line);
          if (e >= 0) {
            line++;
            hits++;
            pos = e + 1;
            continue;
          }
        }
        let le = b.indexOf(10, ls);
        if (le < 0) le = n;
        if (le - ls > cfg.maxLine) {
          out.bail = true;
          return out;
        }
        // A line holds a needle only where a probe is (in the sieve, the hit line has one).
        const probe = dense ? nextHit(b, ls) : ls;
        if (probe >= 0 && probe < le && hasNeedle(b, ls, le)) {
          addSlow(b, line, ls, le);
          hits++;
        }
        line++;
        pos = le + 1;
      }
      // Mostly needle lines: reading every line is cheaper than searching the probes.
      dense = hits * 2 >= line - line0;
    }
    out.lines = line;
    return out;
  };
}
