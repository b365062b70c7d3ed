// The sieve's inner loops in WebAssembly SIMD, 16 bytes at a time: finding the next place where one of up to four
// patterns (the needles' probes) may start, by its first and last byte (two compares a pattern, few false hits on
// probes of 8 bytes or more), while counting the newlines passed; and counting newlines alone. On a noise-heavy log these replace three Buffer.indexOf passes (about 0.28 CPU-s per GB) and one
// Buffer.indexOf per skipped line (0.2 s per GB). The module is written out as bytes (no toolchain here).
// SELF-CONTAINED (no imports, no module-level references): workers run its source.

/** The little of the WebAssembly API used here (the project's TypeScript lib has no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmSieve {
  /** Newlines in b[a, e); b must be a view of the sieve's memory. */
  count(b: Uint8Array, a: number, e: number): number;
  /**
   * The first place in b[a, e) where a pattern may start (its first and last bytes are there: the caller checks the
   * rest), or -1; `lines` then holds the newlines in b[a, that place or e).
   */
  find(b: Uint8Array, a: number, e: number): number;
  lines: number;
}

/** Memory below this offset holds the sieve's pattern constants and count (0-259) and the step reader's tables and rows (1024-65535, nemo2-wasm.ts): views for data start here. */
export const SIEVE_DATA_OFFSET = 65536;

/**
 * A sieve over `memory` (its first SIEVE_DATA_OFFSET bytes are the sieve's) for up to four patterns of 2 to 32
 * bytes; views must leave 64 bytes of memory after their end (the loads read past a block). Throws where WebAssembly SIMD
 * is missing: the caller then searches with Buffer.indexOf.
 */
export function makeWasmSieve(memory: WasmMemory, patterns: readonly string[]): WasmSieve {
  if (patterns.length < 1 || patterns.length > 4 || patterns.some((p) => p.length < 2 || p.length > 32)) throw new Error('1 to 4 patterns of 2 to 32 bytes');
  const leb = (n: number): number[] => (n < 128 ? [n] : [(n & 127) | 128, ...leb(n >>> 7)]);
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const load = (offset: number) => [0xfd, 0x00, 0x00, ...leb(offset)];
  const simd = (op: number) => [0xfd, ...leb(op)];
  // locals: 0 p, 1 end (params); 2 cnt, 3 bits (i32); 4 v0 (first bytes), 5-8 last bytes of pattern k, 9 nl,
  // 10 acc, 11-18 the constants: splat(first byte of k) at 11 + 2k, splat(last byte) at 12 + 2k (v128)
  const lastAt = patterns.map((p) => p.length - 1);
  const match: number[] = [];
  patterns.forEach((_, k) => {
    match.push(...get(4), ...get(11 + 2 * k), ...simd(0x23), ...get(5 + k), ...get(12 + 2 * k), ...simd(0x23), ...simd(0x4e));
    if (k > 0) match.push(...simd(0x50)); // v128.or
  });
  const nlBits = [...get(4), ...get(9), ...simd(0x23), ...simd(0x64)]; // bitmask(eq(v0, nl))
  const storeCount = [0x41, ...leb(256), ...get(2), 0x36, 0x02, 0x00]; // i32.store [256] = cnt
  const findBody = [
    0x02, 0x02, 0x7f, 0x0f, 0x7b,
    ...Array.from({ length: 8 }, (_, i) => [0x41, 0x00, ...load(16 * i), ...set(11 + i)]).flat(),
    0x41, 0x0a, ...simd(0x0f), ...set(9), // nl = i8x16.splat(10)
    0x02, 0x40, 0x03, 0x40,
    ...get(0), ...get(1), 0x4f, 0x0d, 0x01, // p >= end: out
    ...get(0), ...load(0), ...set(4),
    ...lastAt.flatMap((at, k) => [...get(0), ...load(at), ...set(5 + k)]),
    ...match, 0x22, 10, // local.tee acc
    ...simd(0x53), 0x04, 0x40, // if any_true(acc)
    ...get(10), ...simd(0x64), 0x68, ...set(3), // bits = ctz(bitmask(acc))
    ...get(2), ...nlBits, 0x41, 0x01, ...get(3), 0x74, 0x41, 0x01, 0x6b, 0x71, 0x69, 0x6a, ...set(2),
    ...storeCount, ...get(0), ...get(3), 0x6a, 0x0f, // return p + bits
    0x0b,
    ...get(2), ...nlBits, 0x69, 0x6a, ...set(2), // cnt += popcnt(newlines)
    ...get(0), 0x41, 0x10, 0x6a, ...set(0), 0x0c, 0x00, // p += 16
    0x0b, 0x0b,
    ...storeCount, ...get(1), 0x0b,
  ];
  const countBody = [
    0x02, 0x01, 0x7f, 0x01, 0x7b, // i32 cnt, v128 nl
    0x41, 0x0a, ...simd(0x0f), ...set(3),
    0x02, 0x40, 0x03, 0x40, ...get(0), ...get(1), 0x4f, 0x0d, 0x01,
    ...get(2), ...get(0), ...load(0), ...get(3), ...simd(0x23), ...simd(0x64), 0x69, 0x6a, ...set(2),
    ...get(0), 0x41, 0x10, 0x6a, ...set(0), 0x0c, 0x00, 0x0b, 0x0b, ...get(2), 0x0b,
  ];
  const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length), ...bytes];
  const fn = (body: number[]) => [...leb(body.length), ...body];
  const wasm = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f]), // type (i32, i32) -> i32
    ...section(2, [0x01, 0x01, 0x6d, 0x01, 0x6d, 0x02, 0x00, 0x01]), // import memory m.m
    ...section(3, [0x02, 0x00, 0x00]),
    ...section(7, [0x02, 0x01, 0x66, 0x00, 0x00, 0x01, 0x63, 0x00, 0x01]), // export "f" find, "c" count
    ...section(10, [0x02, ...fn(findBody), ...fn(countBody)]),
  ]);
  const W = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, unknown> } } }).WebAssembly;
  const exports = new W.Instance(new W.Module(wasm), { m: { m: memory } }).exports;
  const wasmFind = exports.f as (p: number, end: number) => number;
  const wasmCount = exports.c as (p: number, end: number) => number;
  // The constants: the first and last byte of pattern k, each splat over 16 bytes, at 32k and 32k + 16.
  const consts = new Uint8Array(memory.buffer, 0, 256);
  patterns.forEach((p, k) => {
    consts.fill(p.charCodeAt(0) & 255, 32 * k, 32 * k + 16);
    consts.fill(p.charCodeAt(p.length - 1) & 255, 32 * k + 16, 32 * k + 32);
  });
  const pats = patterns.map((p) => Array.from(p, (ch) => ch.charCodeAt(0) & 255));
  // The count the find loop stores; a new view only after the memory grew (its buffer is then a new one).
  let countView = new Int32Array(memory.buffer, 256, 1);
  const own = (b: Uint8Array) => {
    if (b.buffer !== memory.buffer) throw new Error('the sieve reads its own memory only');
  };
  const sieve: WasmSieve = {
    lines: 0,
    count(b, a, e) {
      own(b);
      const mid = a + ((e - a) & ~15);
      let n = mid > a ? wasmCount(b.byteOffset + a, b.byteOffset + mid) : 0;
      for (let i = mid; i < e; i++) if (b[i] === 10) n++;
      return n;
    },
    find(b, a, e) {
      own(b);
      const mid = a + ((e - a) & ~15);
      let lines = 0;
      if (mid > a) {
        const at = wasmFind(b.byteOffset + a, b.byteOffset + mid) - b.byteOffset;
        if (countView.buffer !== memory.buffer) countView = new Int32Array(memory.buffer, 256, 1);
        lines = countView[0]!;
        if (at < mid) {
          sieve.lines = lines;
          return at;
        }
      }
      for (let i = mid; i < e; i++) {
        if (pats.some((p) => i + p.length <= e && b[i] === p[0] && b[i + p.length - 1] === p[p.length - 1])) {
          sieve.lines = lines;
          return i;
        }
        if (b[i] === 10) lines++;
      }
      sieve.lines = lines;
      return -1;
    },
  };
  return sieve;
}

/** A WebAssembly memory of `pages` 64 KiB pages (for the sieve, and tests). */
export function wasmMemory(pages: number): WasmMemory {
  const W = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => WasmMemory } }).WebAssembly;
  return new W.Memory({ initial: pages });
}
