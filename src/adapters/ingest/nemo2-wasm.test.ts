// The WebAssembly step-line reader against the JavaScript one, line by line: the same return value (declined or the
// line's end) and, where a row is made, the same 14 numbers (NaN included), on the generated awkward logs, on lines
// of printed doubles of every form, on lines mutated byte by byte; and the committed bytes are what the text
// assembles to.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleNemo2Wat } from '../../../bench/ingest/assemble-wat.ts';
import { makeNemo2StepReader } from '../../core/ingest/fast/nemo2-bytes.ts';
import { NEMO2_STEP_WASM } from '../../core/ingest/fast/nemo2-step-wasm.ts';
import { makeNemo2WasmReader } from '../../core/ingest/fast/nemo2-wasm.ts';
import { SIEVE_DATA_OFFSET, wasmMemory } from '../../core/ingest/fast/wasm-sieve.ts';
import { awkwardLog } from './__tests__/awkward-log.ts';
import { printedNumber } from './__tests__/printed-number.ts';

function readers(events: boolean, bytes: number) {
  const memory = wasmMemory(Math.ceil((bytes + SIEVE_DATA_OFFSET + 128) / 65536));
  const js = makeNemo2StepReader(events);
  return { memory, js, wasm: makeNemo2WasmReader(memory, NEMO2_STEP_WASM, makeNemo2StepReader(events)) };
}

/** Both readers on every line of `text` that starts with `T` and ends with a newline; the rows the wasm one made. */
function same(text: string | Buffer, events: boolean): number {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const { memory, js, wasm } = readers(events, bytes.length);
  // Garbage after the view: the wasm reader may load past the newline and must not care.
  const all = Buffer.from(memory.buffer);
  all.fill(0x54, SIEVE_DATA_OFFSET + bytes.length, SIEVE_DATA_OFFSET + bytes.length + 64);
  const view = Buffer.from(memory.buffer, SIEVE_DATA_OFFSET, bytes.length);
  bytes.copy(view);
  const a = new Float64Array(14);
  const b = new Float64Array(14);
  let made = 0;
  for (let ls = 0; ls < bytes.length; ) {
    const nl = bytes.indexOf(10, ls);
    if (nl < 0) break;
    if (bytes[ls] === 84) {
      a.fill(-7);
      b.fill(-7);
      const x = js(view, ls, view.length, a, 0, 3);
      const y = wasm(view, ls, view.length, b, 0, 3);
      if (x !== y || (x >= 0 && !a.every((v, i) => Object.is(v, b[i])))) {
        expect({ line: bytes.subarray(ls, nl).toString('latin1'), y, b: [...b] }).toEqual({ line: bytes.subarray(ls, nl).toString('latin1'), y: x, b: [...a] });
      }
      if (x >= 0) made++;
    }
    ls = nl + 1;
  }
  return made;
}

describe('WebAssembly NeMo 2 step reader = JavaScript step reader', () => {
  it('the committed bytes are what nemo2-step.wat assembles to (npx vite-node bench/ingest/build-wasm.ts)', async () => {
    const text = readFileSync(new URL('../../core/ingest/fast/nemo2-step.wat', import.meta.url), 'utf8');
    expect(Buffer.from(await assembleNemo2Wat(text)).toString('base64')).toBe(NEMO2_STEP_WASM);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('awkward log seed %i, line by line', (seed) => {
    const made = same(`${awkwardLog(seed, 3000, { events: seed % 3 === 0 })}\n`, seed % 3 === 0);
    expect(made).toBeGreaterThan(700);
  });

  it('printed doubles of every form, keys in any order, repeated and unknown', () => {
    const printed = printedNumber();
    const key = fc.constantFrom('global_step', 'train_step_timing in s', 'reduced_train_loss', 'train_loss', 'loss', 'lr', 'grad_norm',
      'consumed_samples', 'peak_memory_usage', 'max_memory_reserved', 'max_memory_allocated', 'TFLOPS_per_GPU',
      'tokens_per_sec_per_gpu', 'peak_memory_gib', 'global_batch_size', 'memory_allocated', 'lr_x', 'val_loss', 'T', 'TRAINBENCH_EVENT');
    const sep = fc.constantFrom(' | ', ' |', '|', ' || ', ' |  ');
    const line = fc.tuple(fc.nat(1000), fc.constantFrom('99', '?', '0', '123456789012345', '1234567890123456'), fc.array(fc.tuple(key, printed, sep), { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r\r\n', ' \n', ' |\n'))
      .map(([i, total, fields, end]) => `Training epoch 0, iteration ${i}/${total}${fields.map(([k, v, s]) => `${s}${k}: ${v}`).join('')}${end}`);
    fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.boolean(), (lines, events) => {
      same(lines.join(''), events);
    }), { numRuns: 400 });
  });

  it('lines of one shape with values of one width (the template path), valid or not, repeated or not', () => {
    // Same-width values: consecutive lines differ only inside values, where the reader re-reads just those.
    const six = fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom('0.4123', '0.4567', '12.345', '1.5e+3', '9.0e-5', '000000', '123456', '.12345', '1234.5', '1E-022') },
      { weight: 1, arbitrary: fc.constantFrom('nan.00', '-0.123', '1.2.34', '00000.', '1e+999', '0.0000', '12 | 4', '1|2345', '12^345', '12\t345', '12\r345', 'TRAINB', '99999e') },
    );
    const two = fc.constantFrom('lr', 'lx', 'gX', '0:', '|:');
    const line = fc.tuple(fc.constantFrom('0', '7'), fc.constantFrom('100', '999', '101', '12a', '?00'), six, six, six, six, six, two, fc.constantFrom('\n', '\r\n'))
      .map(([e, i, a, b, c, d, u, k, end]) => `Training epoch ${e}, iteration ${i}/${i === '?00' ? '?' : '5000'} | ${k}: ${a} | global_step: ${i} | reduced_train_loss: ${b} | train_step_timing in s: ${c} | memory_allocated: ${u} | consumed_samples: ${d}${end}`);
    fc.assert(fc.property(fc.array(line, { minLength: 2, maxLength: 30 }), fc.array(fc.nat(29), { maxLength: 30 }), fc.boolean(), (lines, again, events) => {
      // Some lines come back after others (a value equal to two lines before, different from the one before).
      const seq = lines.flatMap((l, i) => (again[i] !== undefined && again[i]! < i ? [l, lines[again[i]!]!] : [l]));
      same(seq.join(''), events);
    }), { numRuns: 500 });
  });

  it('a clean line with any one byte changed, inserted or dropped', () => {
    const clean = 'Training epoch 3, iteration 1200/99999 | lr: 0.0003 | global_batch_size: 8 | global_step: 1200 | peak_memory_usage: 35475423232 | reduced_train_loss: 6.9712 | train_step_timing in s: 0.4567 | consumed_samples: 9608 | TFLOPS_per_GPU: 1.5e+2';
    const bytes = [0, 9, 10, 13, 27, 32, 43, 45, 46, 48, 49, 53, 57, 58, 69, 84, 94, 101, 110, 124, 127, 200, 255];
    const variants: Buffer[] = [];
    for (let at = 0; at < clean.length; at++) {
      for (const c of bytes) {
        const b = Buffer.from(clean, 'latin1');
        const changed = Buffer.from(b);
        changed[at] = c;
        variants.push(changed, Buffer.concat([b.subarray(0, at), Buffer.from([c]), b.subarray(at)]));
      }
      variants.push(Buffer.concat([Buffer.from(clean.slice(0, at), 'latin1'), Buffer.from(clean.slice(at + 1), 'latin1')]));
    }
    for (const events of [false, true]) {
      // One variant per line, each followed by its newline (a variant's own newline splits it into two lines).
      const made = same(Buffer.concat(variants.flatMap((v) => [v, Buffer.from('\n')])), events);
      expect(made).toBeGreaterThan(variants.length / 4);
    }
  });

  it('runs of lines (many) give the rows that line by line gives, stopping at the first declined line', () => {
    for (const seed of [2, 3, 5, 8]) {
      const bytes = Buffer.from(`${awkwardLog(seed, 3000, { events: seed % 3 === 0 })}\n`, 'latin1');
      const { memory, js, wasm } = readers(seed % 3 === 0, bytes.length);
      const view = Buffer.from(memory.buffer, SIEVE_DATA_OFFSET, bytes.length);
      bytes.copy(view);
      const open = bytes.length;
      let checked = 0;
      for (let ls = 0, index = 0; ls < bytes.length; index++) {
        const nl = bytes.indexOf(10, ls);
        // From this line on, with a limit somewhere ahead and little room now and then.
        const limit = Math.min(open, ls + 1 + ((index * 7919) % 5000));
        const room = index % 5 === 0 ? 1 + (index % 3) : 1000;
        const rows = new Float64Array(14 * 1000).fill(-7);
        const got = wasm.many!(view, ls, limit, open, rows, 14, index, room);
        // The same, line by line with the JavaScript reader.
        const want = new Float64Array(14 * 1000).fill(-7);
        let at = ls;
        let k = 0;
        while (k < room && at < limit && at < open && view[at] === 84) {
          const e = js(view, at, view.length, want, 14 + 14 * k, index + k);
          if (e < 0) break;
          k++;
          at = e + 1;
        }
        expect(got).toBe(k);
        expect(wasm.end).toBe(at);
        if (!rows.every((v, i) => Object.is(v, want[i]))) expect([...rows]).toEqual([...want]);
        checked += got;
        ls = nl + 1;
      }
      expect(checked).toBeGreaterThan(1000);
    }
  });

  it('lines outside its memory go to the JavaScript reader', () => {
    const { js, wasm } = readers(false, 1024);
    const b = Buffer.from('Training epoch 0, iteration 5/9 | lr: 0.5 | train_step_timing in s: 0.25\n');
    const r1 = new Float64Array(14);
    const r2 = new Float64Array(14);
    expect(wasm(b, 0, b.length, r2, 0, 1)).toBe(js(b, 0, b.length, r1, 0, 1));
    expect([...r2]).toEqual([...r1]);
  });
});
