// The byte scanner in-process (no workers): rows + text lines + skipped counts fed into a sink must equal every line
// pushed as text, over many generated logs and every way of cutting them into ranges. Also checks that the rows do
// carry most step lines (the fast path is taken, not just declined) and that both newline counters agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIEVE_DATA_OFFSET, makeWasmSieve, wasmMemory } from '../../core/ingest/fast/wasm-sieve.ts';
import { makeNemo2StepReader } from '../../core/ingest/fast/nemo2-bytes.ts';
import { NEMO2_STEP_WASM } from '../../core/ingest/fast/nemo2-step-wasm.ts';
import { makeNemo2WasmReader } from '../../core/ingest/fast/nemo2-wasm.ts';
import { makeRangeScanner } from '../../core/ingest/fast/scan-range.ts';
import { nemo2Parser } from '../../core/ingest/parsers/nemo2.ts';
import { workloadParser } from '../../core/ingest/parsers/workload.ts';
import type { LogParser } from '../../core/ingest/index.ts';
import { awkwardLog } from './__tests__/awkward-log.ts';
import { printedNumber } from './__tests__/printed-number.ts';
import { decodeLine, feedScan } from './feed-scan.ts';
import { sievePatterns } from './scan-pool.ts';

/** The log's lines as forEachLine hands them out. */
function textLines(bytes: Buffer): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10, start)) {
    lines.push(decodeLine(bytes.subarray(start, nl)));
    start = nl + 1;
  }
  if (start < bytes.length) lines.push(decodeLine(bytes.subarray(start)));
  return lines;
}

/** Range ends after a newline about every `piece` bytes. */
function cuts(bytes: Buffer, piece: number): number[] {
  const out = [0];
  for (let at = piece; at < bytes.length; ) {
    const nl = bytes.indexOf(10, at - 1);
    if (nl < 0 || nl + 1 >= bytes.length) break;
    out.push(nl + 1);
    at = nl + 1 + piece;
  }
  out.push(bytes.length);
  return out;
}

function compare(parser: LogParser, bytes: Buffer, piece: number, wasm: boolean) {
  const memory = wasmMemory(Math.ceil((bytes.length + SIEVE_DATA_OFFSET + 64) / 65536));
  const view = Buffer.from(memory.buffer, SIEVE_DATA_OFFSET, bytes.length);
  bytes.copy(view);
  const sieve = wasm ? makeWasmSieve(memory, sievePatterns(parser.needles!)!) : undefined;
  // With the sieve, the WebAssembly step reader too (both read the same memory).
  const js = makeNemo2StepReader(parser.name === 'workload');
  const scan = makeRangeScanner({ needles: parser.needles!, maxLine: 1 << 20 }, wasm ? makeNemo2WasmReader(memory, NEMO2_STEP_WASM, js) : js, sieve);
  const fast = parser.create({ maxSteps: 64, rowStore: piece !== 700 });
  let rows = 0;
  let slow = 0;
  const bounds = cuts(view, piece);
  for (let k = 0; k + 1 < bounds.length; k++) {
    const r = scan(view.subarray(bounds[k], bounds[k + 1]));
    expect(r.bail).toBe(false);
    rows += r.nRows;
    slow += r.nSlow;
    feedScan(fast, r);
  }
  // The reader's contract (LogParser.needles): a line without a needle as printed is skipped, not read.
  const plain = parser.create({ maxSteps: 64 });
  for (const line of textLines(bytes)) {
    if (parser.needles!.some((n) => line.includes(n))) plain.push(line);
    else plain.skip(1);
  }
  expect(JSON.stringify(fast.end())).toBe(JSON.stringify(plain.end()));
  return { rows, slow };
}

describe('byte scanner + feed = text parser', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('awkward log seed %i', (seed) => {
    const bytes = Buffer.from(awkwardLog(seed, 2500, { events: seed % 3 === 0 }));
    const parser = seed % 3 === 0 ? workloadParser : nemo2Parser;
    const { rows, slow } = compare(parser, bytes, [37, 700, 1 << 20][seed % 3]!, seed % 2 === 0);
    // Most step lines are clean: the rows carry them; the odd ones went the text way.
    expect(rows).toBeGreaterThan(600);
    expect(slow).toBeGreaterThan(100);
  });

  it('numbers read from the bytes are the doubles Number() reads (or the line goes the text way)', () => {
    const printed = printedNumber();
    fc.assert(fc.property(fc.array(printed, { minLength: 8, maxLength: 8 }), (v) => {
      const lines = Array.from({ length: 30 }, (_, i) => `Training epoch 0, iteration ${i}/99 | lr: ${v[i % 8]} | global_step: ${i} | reduced_train_loss: ${v[(i + 1) % 8]} | train_step_timing in s: ${v[(i + 2) % 8]} | consumed_samples: ${v[(i + 3) % 8]} | peak_memory_gib: ${v[(i + 4) % 8]} | grad_norm: ${v[(i + 5) % 8]}`);
      compare(nemo2Parser, Buffer.from(`${lines.join('\n')}\n`), 1 << 20, false);
    }), { numRuns: 300 });
  });

  it('noise-heavy stretches switch the scanner to the sieve and back', () => {
    const steps = awkwardLog(21, 3000, { events: false });
    const noise = `${'node01:1 [0] NCCL INFO Channel 00/32 :    0   1   2   3\n'.repeat(6000)}`;
    const bytes = Buffer.from(`${steps}\n${noise}${steps}\n${noise}`);
    for (const wasm of [false, true]) compare(nemo2Parser, bytes, 1 << 20, wasm);
  });

  it('the WebAssembly sieve finds what a byte-by-byte search finds and counts the newlines before it', () => {
    const memory = wasmMemory(Math.ceil((SIEVE_DATA_OFFSET + 4096 + 64) / 65536));
    const sieve = makeWasmSieve(memory, ['Trai', '_ste']);
    expect(() => makeWasmSieve(memory, ['x'.repeat(33)])).toThrow();
    const b = Buffer.from(memory.buffer, SIEVE_DATA_OFFSET, 4096);
    const words = ['x', '\n', 'Trai', '_st', '_ste', 'Tra', 'T', '_'];
    let seed = 7;
    for (let round = 0; round < 200; round++) {
      let text = '';
      while (text.length < 300) text += words[(seed = (seed * 1103515245 + 12345) % 2147483648) % words.length];
      b.fill(0, 0, 4096);
      b.write(text, 'latin1');
      for (const [a, e] of [[0, 300], [round % 17, 250 - (round % 31)], [5, 5], [290, 300]] as const) {
        let ref = -1;
        // First and last byte: `T..i`, `_..e` (the caller checks the rest).
        for (let i = a; i < e && ref < 0; i++) if (i + 4 <= e && ((text[i] === 'T' && text[i + 3] === 'i') || (text[i] === '_' && text[i + 3] === 'e'))) ref = i;
        const got = sieve.find(b, a, e);
        // A 16-byte block may also report a start whose last byte lies past e (the caller checks lines anyway).
        if (got !== ref) expect(got >= a && got + 4 > e && (ref < 0 || got < ref)).toBe(true);
        expect(sieve.lines).toBe([...text.slice(a, got < 0 ? e : got)].filter((c) => c === '\n').length);
        expect(sieve.count(b, a, e)).toBe([...text.slice(a, e)].filter((c) => c === '\n').length);
      }
    }
  });
});
