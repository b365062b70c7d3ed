// Worker threads that each read byte ranges of one plain log file and scan them (core/ingest/fast). The scanner
// functions are self-contained, so their source text is the worker: the same file then works from the TypeScript
// sources (tests) and from dist/ (users). Results come back as transferred typed arrays, not cloned objects.
import { Worker } from 'node:worker_threads';
import { makeNemo2StepReader } from '../../core/ingest/fast/nemo2-bytes.ts';
import { NEMO2_STEP_WASM } from '../../core/ingest/fast/nemo2-step-wasm.ts';
import { makeNemo2WasmReader } from '../../core/ingest/fast/nemo2-wasm.ts';
import { makeRangeScanner } from '../../core/ingest/fast/scan-range.ts';
import { SIEVE_DATA_OFFSET, makeWasmSieve } from '../../core/ingest/fast/wasm-sieve.ts';
import type { ScanConfig, ScanResult } from '../../core/ingest/fast/scan-range.ts';
import type { RowScan } from '../../core/ingest/index.ts';
import { probeOf } from './read-chunks.ts';

const SOURCE = `
var __name = (f) => f; // esbuild's keepNames helper, should a transform add it
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const makeNemo2StepReader = (${makeNemo2StepReader.toString()});
const makeRangeScanner = (${makeRangeScanner.toString()});
const makeWasmSieve = (${makeWasmSieve.toString()});
const makeNemo2WasmReader = (${makeNemo2WasmReader.toString()});
const NEMO2_STEP_WASM = ${JSON.stringify(NEMO2_STEP_WASM)};
const { path, chunk } = workerData;
const fd = openSync(path, 'r');
// Pieces are read straight into the WebAssembly memory the sieve reads, after its own bytes, with room after them.
// A piece is read and scanned \`chunk\` bytes at a time (the bytes are scanned while still in cache); a line cut at a
// read's end is carried to the front of the next one. Room for one whole line (maxLine) besides.
const OFFSET = ${SIEVE_DATA_OFFSET};
let scan, buf, room;
const spares = [];
// The scanner is set up by the first message, once the main thread knows the format: the worker starts meanwhile.
function setup({ cfg, rows, patterns, wasmReader }) {
  const memory = new WebAssembly.Memory({ initial: Math.ceil((chunk + cfg.maxLine + OFFSET + 128) / 65536) });
  let sieve;
  try { sieve = patterns ? makeWasmSieve(memory, patterns) : undefined; } catch { sieve = undefined; }
  // Step lines are read by the WebAssembly reader (the JavaScript one where WebAssembly fails).
  let read = rows ? makeNemo2StepReader(rows.events) : undefined;
  if (read && wasmReader) try { read = makeNemo2WasmReader(memory, NEMO2_STEP_WASM, read); } catch { /* keep the JavaScript reader */ }
  scan = makeRangeScanner(cfg, read, sieve);
  buf = Buffer.from(memory.buffer, OFFSET, chunk + cfg.maxLine + 64);
  room = chunk + cfg.maxLine;
}
const CHUNK = chunk;
parentPort.on('message', (m) => {
  if (m === 'close') { closeSync(fd); parentPort.close(); return; }
  if (m.setup) return setup(m.setup);
  if (m.spare) spares.push(m.spare);
  try {
    let off = m.start;
    let carry = 0;
    let more = false;
    let r;
    for (;;) {
      const got = off < m.end ? readSync(fd, buf, carry, Math.min(CHUNK, room - carry, m.end - off), off) : 0;
      off += got;
      const avail = carry + got;
      const last = got === 0 || off >= m.end;
      const cut = last ? avail : buf.lastIndexOf(10, avail - 1) + 1;
      if (cut === 0) {
        if (avail >= room) { r = scan(buf.subarray(0, 0), more); r.bail = true; break; }
        carry = avail;
        continue;
      }
      r = scan(buf.subarray(0, cut), more, more ? undefined : spares.pop());
      more = true;
      if (r.bail || last) break;
      buf.copyWithin(0, cut, avail);
      carry = avail - cut;
    }
    parentPort.postMessage({ id: m.id, bytes: off - m.start, r }, [r.rows.buffer, r.slowAt.buffer, r.slowEnd.buffer, r.slowBytes.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.stack) || e) });
  }
});
`;

/** The WebAssembly sieve's patterns: the needles' probes, at most 32 bytes (undefined: too many or too short). */
export function sievePatterns(needles: readonly string[]): string[] | undefined {
  const patterns = [...new Set(needles.map((n) => probeOf(n).slice(0, 32)))];
  return patterns.length <= 4 && patterns.every((p) => p.length >= 2 && /^[\x20-\x7e]+$/.test(p)) ? patterns : undefined;
}

export interface PieceResult {
  bytes: number;
  r: ScanResult;
}

export class ScanPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (p: PieceResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  /**
   * Starts the workers (they take tens of milliseconds: start them first); configure() before scan().
   * chunk: bytes a worker reads at a time (tests make it tiny so reads cut lines everywhere).
   */
  constructor(path: string, size: number, chunk = 1 << 20) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(SOURCE, { eval: true, workerData: { path, chunk } });
      w.on('message', (m: { id: number; error?: string } & PieceResult) => {
        const p = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(`log scan worker failed: ${m.error}`));
        else p?.resolve(m);
      });
      // A worker that dies (cannot open the file, runs out of memory) fails what it holds and all later scans.
      w.on('error', (e) => this.failAll(e));
      w.on('exit', () => this.failAll(new Error('log scan worker exited')));
      return w;
    });
  }

  /** What to look for: the parser's needles and byte rows; wasmReader false: the JavaScript step reader. */
  configure(cfg: ScanConfig, rows: RowScan | undefined, wasmReader = true): void {
    for (const w of this.workers) w.postMessage({ setup: { cfg, rows, patterns: sievePatterns(cfg.needles), wasmReader } });
  }

  /**
   * Scans file bytes [start, end) (whole lines) on worker `k % size`. spare: a result of that worker the caller is
   * done with: its arrays go back with the request, to be filled again (transferred, not copied).
   */
  scan(k: number, start: number, end: number, spare?: ScanResult): Promise<PieceResult> {
    const id = this.nextId++;
    const result = new Promise<PieceResult>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting.set(id, { resolve, reject });
      const worker = this.workers[k % this.workers.length]!;
      if (!spare) return worker.postMessage({ id, start, end });
      const arrays = { rows: spare.rows, slowAt: spare.slowAt, slowEnd: spare.slowEnd, slowBytes: spare.slowBytes };
      worker.postMessage({ id, start, end, spare: arrays }, [spare.rows.buffer, spare.slowAt.buffer, spare.slowEnd.buffer, spare.slowBytes.buffer] as ArrayBuffer[]);
    });
    // Pieces still in flight when the reader stops early are rejected by close(): not an unhandled rejection.
    result.catch(() => undefined);
    return result;
  }

  private failAll(e: Error): void {
    this.failure ??= e;
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.failAll(new Error('log scan pool closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
