// The NeMo 2 step-line reader in WebAssembly (nemo2-step.wat, assembled into nemo2-step-wasm.ts): the same rows and
// the same declines as the JavaScript reader (nemo2-bytes.ts), whose keys and STOP bytes it is given, for lines that
// lie in the WebAssembly memory the worker reads the file into (the sieve's). A line anywhere else goes to the
// JavaScript reader. The JavaScript walk costs about 2 ns a byte, the largest share of a parse of a log of step lines.
// SELF-CONTAINED (no imports, no module-level references): workers run its source.
import type { Nemo2Tables, StepReader } from './nemo2-bytes.ts';
import type { WasmMemory } from './wasm-sieve.ts';

/**
 * A reader over `memory` (its bytes 1024-65535 hold the reader's tables and rows: below the sieve's data offset) from the
 * module's bytes (base64); `js` reads lines outside the memory. Lines given to it must end with a newline before n
 * (scan-range.ts hands it no other) and the memory must hold 64 bytes after the view. Throws where WebAssembly is
 * missing or the tables do not fit: the caller then keeps the JavaScript reader.
 */
export function makeNemo2WasmReader(memory: WasmMemory, wasmBase64: string, js: StepReader & { tables: Nemo2Tables }): StepReader {
  const POW10 = 1024;
  const OUT = 1280;
  const STOP = 1536;
  const KEYS = 1792;
  const HINT = 2688;
  const KLEN = 2944;
  const EVENT = 3072;
  const FIRST = 3584;
  const ROWS = 8192;
  const ROOM = Math.floor((65536 - ROWS) / 112);
  const STRIDE = 14;
  const { keys, stop } = js.tables;
  if (keys.length !== 15 || keys.some((k) => k.length + 2 > 24 || k.includes(':'))) throw new Error('15 keys of at most 22 bytes');
  const u8 = new Uint8Array(memory.buffer);
  const f64 = new Float64Array(memory.buffer);
  for (let i = 0; i <= 22; i++) f64[POW10 / 8 + i] = 10 ** i;
  u8.set(stop, STOP);
  keys.forEach((key, k) => {
    const text = `${key}: `;
    u8.fill(0, KEYS + 48 * k, KEYS + 48 * k + 48);
    for (let i = 0; i < text.length; i++) {
      u8[KEYS + 48 * k + i] = text.charCodeAt(i) & 255;
      u8[KEYS + 48 * k + 24 + i] = 255;
    }
    u8[KLEN + k] = text.length;
  });
  const first = new Uint16Array(memory.buffer, FIRST, 256);
  first.fill(0);
  keys.forEach((key, k) => (first[key.charCodeAt(0) & 255]! |= 1 << k));
  u8.fill(255, HINT, HINT + 64); // -1: no key seen at that piece yet
  // The walk over an unknown key's piece tests the STOP bytes 16 at a time: they must be the set it knows.
  const events = stop[84] === 1;
  if (!stop.every((x, c) => x === (c < 32 || c === 124 || c === 94 || (events && c === 84) ? 1 : 0))) throw new Error('unexpected STOP bytes');
  [32, 124, 94, events ? 84 : 124].forEach((c, k) => u8.fill(c, 3200 + 16 * k, 3216 + 16 * k));
  for (let i = 0; i < 16; i++) u8[EVENT + i] = 'TRAINBENCH_EVENT'.charCodeAt(i);
  const W = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, unknown> } } }).WebAssembly;
  const bin = Uint8Array.from(atob(wasmBase64), (ch) => ch.charCodeAt(0));
  const exports = new W.Instance(new W.Module(bin), { m: { m: memory } }).exports;
  const line = exports.r as (ls: number, n: number) => number;
  const run = exports.m as (pos: number, limit: number, open: number, index: number, room: number) => number;
  // Views of the memory, made again only if it grew (its buffer is then a new one; reading memory.buffer costs).
  let buffer = memory.buffer;
  let out = new Float64Array(buffer, OUT, 14);
  let rowsView = new Float64Array(buffer, ROWS, ROOM * STRIDE);
  let end = new Int32Array(buffer, 1216, 1);
  const ours = (b: Uint8Array) => {
    if (b.buffer === buffer) return true;
    if (memory.buffer === buffer) return false;
    buffer = memory.buffer;
    out = new Float64Array(buffer, OUT, 14);
    rowsView = new Float64Array(buffer, ROWS, ROOM * STRIDE);
    end = new Int32Array(buffer, 1216, 1);
    return b.buffer === buffer;
  };
  const reader: StepReader = (b, ls, n, r, o, index) => {
    if (!ours(b)) return js(b, ls, n, r, o, index);
    const at = b.byteOffset;
    const e = line(at + ls, at + n);
    if (e < 0) return -1;
    r[o] = index; r[o + 1] = out[1]!; r[o + 2] = out[2]!; r[o + 3] = out[3]!; r[o + 4] = out[4]!; r[o + 5] = out[5]!;
    r[o + 6] = out[6]!; r[o + 7] = out[7]!; r[o + 8] = out[8]!; r[o + 9] = out[9]!; r[o + 10] = out[10]!;
    r[o + 11] = out[11]!; r[o + 12] = out[12]!; r[o + 13] = out[13]!;
    return e - at;
  };
  // Runs of step lines in one call: the rows are copied out in one block per run.
  reader.many = (b, ls, limit, open, r, o, index, room) => {
    if (!ours(b)) return 0;
    const at = b.byteOffset;
    const got = run(at + ls, at + limit, at + open, index, Math.min(room, ROOM));
    if (got > 0) r.set(rowsView.subarray(0, got * STRIDE), o);
    reader.end = end[0]! - at;
    return got;
  };
  return reader;
}
