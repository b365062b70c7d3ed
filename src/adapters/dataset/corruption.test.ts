// Each kind of damage is caught by `data check` (exit 4, naming the file and the problem) and by openIndexedDataset.
import { openSync, closeSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { runCli } from '../../cli/__tests__/run-cli.ts';
import { dtypeByName, indexLayout } from '../../core/dataset/format.ts';
import { TrainbenchError } from '../../core/errors.ts';
import { tempDir } from './__tests__/helpers.ts';
import { openIndexedDataset } from './reader.ts';
import { IndexedDatasetWriter } from './writer.ts';

let dir = '';
let cleanup = () => {};
const stem = (shard: number) => join(dir, `my-gpt3_0${shard}_text_document`);

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  // Two shards of 20 documents, 100 uint16 tokens each (4,000 bytes of .bin per shard).
  for (const shard of [0, 1]) {
    const writer = new IndexedDatasetWriter(stem(shard), dtypeByName('uint16'));
    for (let d = 0; d < 20; d++) writer.addDocument(Array.from({ length: 100 }, (_, i) => (d * 100 + i) % 50257));
    writer.finish();
    writer.commit();
  }
});
afterEach(() => cleanup());

function patch(path: string, position: number, bytes: number[]) {
  const fd = openSync(path, 'r+');
  writeSync(fd, Uint8Array.from(bytes), 0, bytes.length, position);
  closeSync(fd);
}

async function expectCaught(file: string, message: RegExp) {
  const result = await runCli(['data', 'check', join(dir, 'my-gpt3')]);
  expect(result.code).toBe(4);
  expect(result.stdout).toMatch(/verdict: FAILED/);
  expect(result.stderr).toContain(`${file}: `);
  expect(result.stderr).toMatch(message);
  let error: unknown;
  try {
    openIndexedDataset(stem(1), { vocabSize: 50257 }).close();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(TrainbenchError);
  expect((error as TrainbenchError).exitCode).toBe(4);
  expect((error as TrainbenchError).file).toBe(join(dir, file));
  expect((error as TrainbenchError).message).toMatch(message);
}

test('an intact dataset passes with its counts', async () => {
  const result = await runCli(['data', 'check', join(dir, 'my-gpt3'), '--vocab', '50257', '--json']);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, documents: 40, tokens: 4000, problems: [] });
});

test('a truncated .bin', async () => {
  truncateSync(`${stem(1)}.bin`, 3000);
  await expectCaught('my-gpt3_01_text_document.bin', /truncated: sequence 15 \(100 tokens at byte 3000\) ends at byte 3200, past the end of the \.bin \(3000 bytes\)/);
});

test('flipped header bytes: magic, version, dtype', async () => {
  patch(`${stem(1)}.idx`, 2, [0x58]);
  await expectCaught('my-gpt3_01_text_document.idx', /bad magic at byte 2/);
  patch(`${stem(1)}.idx`, 2, [0x49]);
  patch(`${stem(1)}.idx`, 9, [7]);
  await expectCaught('my-gpt3_01_text_document.idx', /unsupported index version 7/);
  patch(`${stem(1)}.idx`, 9, [1]);
  patch(`${stem(1)}.idx`, 17, [0x2a]);
  await expectCaught('my-gpt3_01_text_document.idx', /unknown dtype code 42/);
});

test('a flipped sequence count no longer matches the .idx length', async () => {
  patch(`${stem(1)}.idx`, 18, [21]);
  await expectCaught('my-gpt3_01_text_document.idx', /implies \d+ bytes/);
});

test('a pointer past the end of the .bin', async () => {
  const { pointersOffset } = indexLayout({ sequenceCount: 20, documentIndexCount: 21 });
  patch(`${stem(1)}.idx`, pointersOffset + 8 * 17, [0x28, 0x23]); // 9000
  await expectCaught('my-gpt3_01_text_document.idx', /pointer\[17\] = 9000 past the end of the \.bin \(4000 bytes\)/);
});

test('a missing .idx', async () => {
  rmSync(`${stem(1)}.idx`);
  await expectCaught('my-gpt3_01_text_document.idx', /missing/);
});

test('a token id outside the vocabulary', async () => {
  patch(`${stem(1)}.bin`, 10, [0xff, 0xff]);
  const result = await runCli(['data', 'check', join(dir, 'my-gpt3'), '--tokenizer', 'gpt2']);
  expect(result.code).toBe(4);
  expect(result.stderr).toContain('my-gpt3_01_text_document.bin: token id 65535 at token 5 (byte 10) is not below the vocabulary size 50257');
});

test('a decreasing document index', async () => {
  const { documentIndicesOffset } = indexLayout({ sequenceCount: 20, documentIndexCount: 21 });
  patch(`${stem(1)}.idx`, documentIndicesOffset + 8 * 5, [2]);
  await expectCaught('my-gpt3_01_text_document.idx', /document_indices\[5\] = 2 is below document_indices\[4\] = 4 \(must not decrease\)/);
});

test('a shard missing from the numbering', async () => {
  rmSync(`${stem(0)}.idx`);
  rmSync(`${stem(0)}.bin`);
  const result = await runCli(['data', 'check', join(dir, 'my-gpt3')]);
  expect(result.code).toBe(4);
  expect(result.stderr).toContain('my-gpt3_00_text_document.idx: missing');
});
