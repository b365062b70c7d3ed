import { expect, test } from 'vitest';
import { checkDocumentChunk, checkSequenceChunk, finishSequenceCheck, firstTokenOutOfVocab, startDocumentCheck, startSequenceCheck } from './validate.ts';

const run = (binBytes: number, sizes: number[], pointers: number[]) => {
  const state = startSequenceCheck(binBytes, 2);
  return checkSequenceChunk(state, 0, Int32Array.from(sizes), BigInt64Array.from(pointers.map(BigInt))) ?? finishSequenceCheck(state);
};
const message = (problem: ReturnType<typeof run>) => (typeof problem === 'string' ? problem : problem?.message);

test('consistent sequences pass', () => {
  expect(run(14, [3, 0, 4], [0, 6, 6])).toBeUndefined();
});

test('a pointer past the end names the index and the .bin size', () => {
  expect(run(8192, [1, 1], [0, 9000])).toEqual({ in: 'idx', message: 'pointer[1] = 9000 past the end of the .bin (8192 bytes)' });
});

test('a truncated .bin is blamed on the .bin', () => {
  expect(run(10, [3, 4], [0, 6])).toMatchObject({ in: 'bin', message: expect.stringMatching(/^truncated: sequence 1/) });
});

test('gaps, negative sizes and trailing bytes are named', () => {
  expect(message(run(14, [3, 4], [0, 8]))).toMatch(/pointer\[1\] = 8, expected 6/);
  expect(message(run(14, [-1], [0]))).toBe('size[0] = -1 is negative');
  expect(run(16, [3, 4], [0, 6])).toMatch(/2 unindexed trailing bytes/);
  expect(run(15, [3], [0])).toMatch(/not a multiple of the 2-byte token size/);
});

test('document indices start at 0, never decrease and end at the sequence count', () => {
  const check = (values: number[], sequences: number) =>
    checkDocumentChunk(startDocumentCheck(sequences, values.length), 0, BigInt64Array.from(values.map(BigInt)));
  expect(check([0, 1, 1, 3], 3)).toBeUndefined();
  expect(check([1, 3], 3)).toMatch(/document_indices\[0\] = 1, expected 0/);
  expect(check([0, 2, 1, 3], 3)).toMatch(/document_indices\[2\] = 1 is below/);
  expect(check([0, 2], 3)).toMatch(/must equal the sequence count 3/);
  expect(check([0, 4, 3], 3)).toMatch(/past the sequence count/);
});

test('token ids are checked against the vocabulary', () => {
  expect(firstTokenOutOfVocab(Uint16Array.from([1, 2, 50256]), 50257)).toBe(-1);
  expect(firstTokenOutOfVocab(Uint16Array.from([1, 50257]), 50257)).toBe(1);
});
