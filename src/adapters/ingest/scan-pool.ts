// Worker threads that each read byte ranges of one plain log file and scan them (core/ingest/fast). The scanner
// functions are self-contained, so their source text is the worker: the same file then works from the TypeScript
// sources (tests) and from dist/ (users). Results come back as transferred typed arrays, not cloned objects.
import { Worker } from 'node:worker_threads';
import { makeNewlineCounter } from '../../core/ingest/fast/count-newlines.ts';
import { makeNemo2StepReader } from '../../core/ingest/fast/nemo2-bytes.ts';
import { makeRangeScanner } from '../../core/ingest/fast/scan-range.ts';
import type { ScanConfig, ScanResult } from '../../core/ingest/fast/scan-range.ts';
import type { RowScan } from '../../core/ingest/index.ts';

const SOURCE = `
var __name = (f) => f; // esbuild's keepNames helper, should a transform add it
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const makeNemo2StepReader = (${makeNemo2StepReader.toString()});
const makeRangeScanner = (${makeRangeScanner.toString()});
const makeNewlineCounter = (${makeNewlineCounter.toString()});
const { path, cfg, rows } = workerData;
// Pieces are read straight into the WebAssembly memory the newline counter reads.
const memory = new WebAssembly.Memory({ initial: 16 });
let count;
try { count = makeNewlineCounter(memory); } catch { count = undefined; }
const scan = makeRangeScanner(cfg, rows ? makeNemo2StepReader(rows.events) : undefined, count);
const fd = openSync(path, 'r');
let buf = Buffer.from(memory.buffer);
parentPort.on('message', (m) => {
  if (m === 'close') { closeSync(fd); parentPort.close(); return; }
  try {
    const len = m.end - m.start;
    if (buf.length < len) {
      memory.grow(Math.ceil((len - buf.length) / 65536));
      buf = Buffer.from(memory.buffer);
    }
    let got = 0;
    for (let r = 1; got < len && r > 0; got += r) r = readSync(fd, buf, got, len - got, m.start + got);
    const r = scan(buf.subarray(0, got));
    parentPort.postMessage({ id: m.id, bytes: got, r }, [r.rows.buffer, r.slowAt.buffer, r.slowEnd.buffer, r.slowBytes.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.stack) || e) });
  }
});
`;

export interface PieceResult {
  bytes: number;
  r: ScanResult;
}

export class ScanPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (p: PieceResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(path: string, cfg: ScanConfig, rows: RowScan | undefined, size: number) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(SOURCE, { eval: true, workerData: { path, cfg, rows } });
      w.on('message', (m: { id: number; error?: string } & PieceResult) => {
        const p = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(`log scan worker failed: ${m.error}`));
        else p?.resolve(m);
      });
      w.on('error', (e) => this.failAll(e));
      return w;
    });
  }

  /** Scans file bytes [start, end) (whole lines) on worker `k % size`. */
  scan(k: number, start: number, end: number): Promise<PieceResult> {
    const id = this.nextId++;
    const result = new Promise<PieceResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[k % this.workers.length]!.postMessage({ id, start, end });
    });
    // Pieces still in flight when the reader stops early are rejected by close(): not an unhandled rejection.
    result.catch(() => undefined);
    return result;
  }

  private failAll(e: Error): void {
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.failAll(new Error('log scan pool closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
