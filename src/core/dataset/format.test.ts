import { describe, expect, test } from 'vitest';
import { decodeIndexHeader, dtypeByCode, encodeIndexHeader, indexLayout, INDEX_HEADER_BYTES, optimalDtype, shardStem } from './format.ts';
import { createPacker } from './pack.ts';
import { missingShards } from './shards.ts';
import { bucketOf, createHistogram, mergeHistograms } from './stats.ts';

describe('index header', () => {
  test('encodes exactly the bytes Megatron writes', () => {
    const bytes = encodeIndexHeader({ dtype: dtypeByCode(8)!, sequenceCount: 3, documentIndexCount: 4 });
    // b"MMIDIDX\x00\x00" + <Q 1 + <B 8 + <Q 3 + <Q 4
    expect(Array.from(bytes)).toEqual([
      0x4d, 0x4d, 0x49, 0x44, 0x49, 0x44, 0x58, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(bytes.length).toBe(INDEX_HEADER_BYTES);
  });

  test('round-trips and lays out sizes, pointers and document indices', () => {
    const header = { dtype: dtypeByCode(4)!, sequenceCount: 10, documentIndexCount: 6 };
    const decoded = decodeIndexHeader(encodeIndexHeader(header));
    expect(decoded).toEqual({ ok: true, header });
    expect(indexLayout(header)).toEqual({ sizesOffset: 34, pointersOffset: 74, documentIndicesOffset: 154, totalBytes: 202 });
  });

  test.each([
    [0, 0x4e, /bad magic at byte 0/],
    [9, 2, /unsupported index version 2/],
    [17, 9, /unknown dtype code 9/],
  ])('flipping byte %i is named', (at, value, message) => {
    const bytes = encodeIndexHeader({ dtype: dtypeByCode(8)!, sequenceCount: 1, documentIndexCount: 2 });
    bytes[at] = value;
    const decoded = decodeIndexHeader(bytes);
    expect(decoded.ok).toBe(false);
    expect(decoded.problem).toMatch(message);
  });

  test('a short header is named', () => {
    expect(decodeIndexHeader(new Uint8Array(10)).problem).toMatch(/header is 10 bytes/);
  });
});

test('dtype follows DType.optimal_dtype', () => {
  expect(optimalDtype(50257).name).toBe('uint16');
  expect(optimalDtype(65499).name).toBe('uint16');
  expect(optimalDtype(65500).name).toBe('int32');
  expect(optimalDtype(128256).name).toBe('int32');
  expect(optimalDtype(undefined).name).toBe('int32');
});

test('shard stems follow the recipes (my-gpt3_00_text_document)', () => {
  expect(shardStem('/d/my-gpt3', 1, 4, 'text')).toBe('/d/my-gpt3_01_text_document');
  expect(shardStem('p', 7, 120, 'content')).toBe('p_007_content_document');
  expect(missingShards(['a_00_text_document', 'a_01_text_document', 'a_03_text_document', 'other'])).toEqual(['a_02_text_document']);
});

test('packing cuts the stream into fixed sequences and keeps the tail pending', () => {
  const packer = createPacker(4);
  const out: number[][] = [];
  packer.push([1, 2, 3], (s) => out.push(Array.from(s)));
  packer.push([4, 5, 6, 7, 8, 9, 10], (s) => out.push(Array.from(s)));
  expect(out).toEqual([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
  ]);
  expect(packer.pending).toBe(2);
});

test('histogram buckets are powers of two', () => {
  expect([0, 1, 2, 3, 4, 65536].map(bucketOf)).toEqual([0, 1, 2, 2, 3, 17]);
  const h = createHistogram();
  for (const length of [0, 5, 6, 100]) h.add(length);
  const merged = mergeHistograms([h.result(), h.result()]);
  expect(merged.buckets.filter((b) => b.count > 0)).toEqual([
    { lo: 0, hi: 0, count: 2 },
    { lo: 4, hi: 7, count: 4 },
    { lo: 64, hi: 127, count: 2 },
  ]);
});
