import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { dtypeByName } from '../../core/dataset/format.ts';
import { readWithNumpy, tempDir } from './__tests__/helpers.ts';
import { openIndexedDataset } from './reader.ts';
import { IndexedDatasetWriter } from './writer.ts';

let cleanup = () => {};
afterEach(() => cleanup());

function write(stem: string, dtype: 'uint16' | 'int32', documents: number[][]) {
  const writer = new IndexedDatasetWriter(stem, dtypeByName(dtype));
  for (const doc of documents) writer.addDocument(doc);
  const shard = writer.finish();
  writer.commit();
  return shard;
}

const le = (bytes: number, value: number) => Array.from({ length: bytes }, (_, i) => Number((BigInt(value) >> BigInt(8 * i)) & 0xffn));

test('writes the exact bytes of a hand-built Megatron pair, and reads a hand-written pair back', () => {
  const t = tempDir();
  cleanup = t.cleanup;
  // Three documents: [5, 6, 7], an empty one (no sequence, as Megatron), [65535].
  const idx = [
    ...[0x4d, 0x4d, 0x49, 0x44, 0x49, 0x44, 0x58, 0x00, 0x00], // MMIDIDX\0\0
    ...le(8, 1), // version
    8, // dtype code: uint16
    ...le(8, 2), // sequence count
    ...le(8, 4), // document_indices length (3 documents + 1)
    ...le(4, 3), ...le(4, 1), // sizes int32
    ...le(8, 0), ...le(8, 6), // pointers int64 (bytes)
    ...le(8, 0), ...le(8, 1), ...le(8, 1), ...le(8, 2), // document_indices int64
  ];
  const bin = [...le(2, 5), ...le(2, 6), ...le(2, 7), ...le(2, 65535)];
  const stem = join(t.dir, 'w_00_text_document');
  write(stem, 'uint16', [[5, 6, 7], [], [65535]]);
  expect(Array.from(readFileSync(`${stem}.idx`))).toEqual(idx);
  expect(Array.from(readFileSync(`${stem}.bin`))).toEqual(bin);
  expect(readdirSync(t.dir).sort()).toEqual(['w_00_text_document.bin', 'w_00_text_document.idx']);

  const hand = join(t.dir, 'hand');
  writeFileSync(`${hand}.idx`, Uint8Array.from(idx));
  writeFileSync(`${hand}.bin`, Uint8Array.from(bin));
  const ds = openIndexedDataset(hand, { vocabSize: 65536 });
  expect([ds.documentCount, ds.sequenceCount, ds.tokenCount, ds.dtype.name]).toEqual([3, 2, 4, 'uint16']);
  expect([0, 1, 2].map((d) => ds.readDocument(d))).toEqual([[5, 6, 7], [], [65535]]);
  ds.close();
});

test('numpy memmap reads what the writer wrote, uint16 and int32, across spill boundaries', () => {
  const t = tempDir();
  cleanup = t.cleanup;
  // 70,000 documents cross the 65,536-entry spill of sizes and document indices; one document has 100,000 tokens.
  const docs = Array.from({ length: 70_000 }, (_, i) => (i % 9 === 0 ? [] : [i % 50257, (i * 7) % 50257, 50256]));
  docs[12345] = Array.from({ length: 100_000 }, (_, i) => i % 50257);
  const small = join(t.dir, 'u16');
  const big = join(t.dir, 'i32');
  write(small, 'uint16', docs);
  write(big, 'int32', [[128000, 1, 128001], [], [127999]]);
  const [u16, i32] = readWithNumpy(small, big);
  expect(u16!.dtype).toBe('uint16');
  expect(u16!.documents).toEqual(docs);
  expect(i32).toMatchObject({ dtype: 'int32', sequences: 2, document_indices: [0, 1, 1, 2], documents: [[128000, 1, 128001], [], [127999]] });
  const ds = openIndexedDataset(small, { vocabSize: 50257 });
  expect(ds.readDocument(12345)).toEqual(docs[12345]);
  expect(ds.readDocument(69_999)).toEqual(docs[69_999]);
  ds.close();
});

test('a token that does not fit the dtype is refused, and abort leaves no files', () => {
  const t = tempDir();
  cleanup = t.cleanup;
  const writer = new IndexedDatasetWriter(join(t.dir, 'x'), dtypeByName('uint16'));
  expect(() => writer.addDocument([70000])).toThrow(/does not fit uint16/);
  writer.abort();
  expect(readdirSync(t.dir)).toEqual([]);
});

test('an interrupted rewrite leaves the old pair, a pair check refuses, or the new pair; never a torn one', async () => {
  const { runCli } = await import('../../cli/__tests__/run-cli.ts');
  const t = tempDir();
  cleanup = t.cleanup;
  const stem = join(t.dir, 'd_00_text_document');
  write(stem, 'uint16', [[1, 2, 3]]);
  // Killed while writing: only *.partial files are new, and nothing reads them.
  const writer = new IndexedDatasetWriter(stem, dtypeByName('uint16'));
  writer.addDocument([4, 5, 6, 7]);
  const midway = await runCli(['data', 'check', t.dir, '--json']);
  expect(JSON.parse(midway.stdout)).toMatchObject({ ok: true, documents: 1, tokens: 3 });
  // Killed inside commit(), after the old .idx is gone and the new .bin is in place: check refuses the pair.
  writer.finish();
  rmSync(`${stem}.idx`);
  renameSync(`${stem}.bin.partial`, `${stem}.bin`);
  const torn = await runCli(['data', 'check', t.dir]);
  expect(torn.code).toBe(4);
  expect(torn.stderr).toContain('d_00_text_document.idx: missing');
  // The next run rewrites the partials and publishes a whole pair.
  write(stem, 'uint16', [[8, 9]]);
  expect(readWithNumpy(stem)[0]!.documents).toEqual([[8, 9]]);
  expect(readdirSync(t.dir).sort()).toEqual(['d_00_text_document.bin', 'd_00_text_document.idx']);
});
