// The Megatron-LM indexed dataset (`MMapIndexedDataset`, megatron/core/datasets/indexed_dataset.py), byte for byte.
// .idx = magic(9) | version u64 | dtype code u8 | sequence count u64 | document count u64
//        | sizes int32[seq] | pointers int64[seq] | document_indices int64[doc]   (all little-endian)
// .bin = the tokens of every sequence, back to back, in the dtype named by the code.
// `document count` is the length of document_indices, i.e. documents + 1 (it starts with 0, ends with seq count).

export const INDEX_MAGIC = Uint8Array.from([0x4d, 0x4d, 0x49, 0x44, 0x49, 0x44, 0x58, 0x00, 0x00]); // "MMIDIDX\0\0"
export const INDEX_VERSION = 1n;
export const INDEX_HEADER_BYTES = 9 + 8 + 1 + 8 + 8;

export interface DtypeInfo {
  code: number;
  name: 'uint8' | 'int8' | 'int16' | 'int32' | 'int64' | 'float64' | 'float32' | 'uint16';
  bytes: number;
  /** Token ids must be integers; float dtypes are legal Megatron files but never hold token ids we accept. */
  integer: boolean;
}

// Megatron's DType enum: the numeric value is the code written in the header.
export const DTYPES: readonly DtypeInfo[] = [
  { code: 1, name: 'uint8', bytes: 1, integer: true },
  { code: 2, name: 'int8', bytes: 1, integer: true },
  { code: 3, name: 'int16', bytes: 2, integer: true },
  { code: 4, name: 'int32', bytes: 4, integer: true },
  { code: 5, name: 'int64', bytes: 8, integer: true },
  { code: 6, name: 'float64', bytes: 8, integer: false },
  { code: 7, name: 'float32', bytes: 4, integer: false },
  { code: 8, name: 'uint16', bytes: 2, integer: true },
];

export function dtypeByCode(code: number): DtypeInfo | undefined {
  return DTYPES.find((d) => d.code === code);
}

export function dtypeByName(name: DtypeInfo['name']): DtypeInfo {
  return DTYPES.find((d) => d.name === name)!;
}

/** Megatron's `DType.optimal_dtype`: uint16 when the vocabulary is below 65500 tokens, int32 otherwise. */
export function optimalDtype(vocabSize: number | undefined): DtypeInfo {
  return dtypeByName(vocabSize !== undefined && vocabSize < 65500 ? 'uint16' : 'int32');
}

export interface IndexHeader {
  dtype: DtypeInfo;
  sequenceCount: number;
  /** Length of document_indices (documents + 1). */
  documentIndexCount: number;
}

export interface IndexLayout {
  sizesOffset: number;
  pointersOffset: number;
  documentIndicesOffset: number;
  /** The exact .idx length the header implies. */
  totalBytes: number;
}

export function indexLayout(header: Pick<IndexHeader, 'sequenceCount' | 'documentIndexCount'>): IndexLayout {
  const sizesOffset = INDEX_HEADER_BYTES;
  const pointersOffset = sizesOffset + 4 * header.sequenceCount;
  const documentIndicesOffset = pointersOffset + 8 * header.sequenceCount;
  return { sizesOffset, pointersOffset, documentIndicesOffset, totalBytes: documentIndicesOffset + 8 * header.documentIndexCount };
}

export function encodeIndexHeader(header: IndexHeader): Uint8Array {
  const bytes = new Uint8Array(INDEX_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(INDEX_MAGIC, 0);
  view.setBigUint64(9, INDEX_VERSION, true);
  view.setUint8(17, header.dtype.code);
  view.setBigUint64(18, BigInt(header.sequenceCount), true);
  view.setBigUint64(26, BigInt(header.documentIndexCount), true);
  return bytes;
}

export type HeaderResult = { ok: true; header: IndexHeader; problem?: never } | { ok: false; problem: string; header?: never };

/** Decodes the fixed 34-byte header; `problem` says what is wrong in words a user can act on. */
export function decodeIndexHeader(bytes: Uint8Array): HeaderResult {
  if (bytes.length < INDEX_HEADER_BYTES) {
    return { ok: false, problem: `header is ${bytes.length} bytes, expected at least ${INDEX_HEADER_BYTES}` };
  }
  for (let i = 0; i < INDEX_MAGIC.length; i++) {
    if (bytes[i] !== INDEX_MAGIC[i]) {
      return { ok: false, problem: `bad magic at byte ${i}: not a Megatron MMIDIDX index (expected "MMIDIDX\\0\\0")` };
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getBigUint64(9, true);
  if (version !== INDEX_VERSION) return { ok: false, problem: `unsupported index version ${version} (expected 1)` };
  const code = view.getUint8(17);
  const dtype = dtypeByCode(code);
  if (!dtype) return { ok: false, problem: `unknown dtype code ${code} (expected 1-8)` };
  const sequenceCount = view.getBigUint64(18, true);
  const documentIndexCount = view.getBigUint64(26, true);
  const limit = BigInt(Number.MAX_SAFE_INTEGER) / 16n;
  if (sequenceCount > limit) return { ok: false, problem: `sequence count ${sequenceCount} is implausibly large` };
  if (documentIndexCount > limit) return { ok: false, problem: `document count ${documentIndexCount} is implausibly large` };
  if (documentIndexCount < 1n) return { ok: false, problem: 'document count is 0 (document_indices must at least hold the leading 0)' };
  return { ok: true, header: { dtype, sequenceCount: Number(sequenceCount), documentIndexCount: Number(documentIndexCount) } };
}

/** Shard file stem as Megatron's preprocess_data.py names it: `<prefix>_<NN>_<json key>_document`. */
export function shardStem(prefix: string, shard: number, shards: number, jsonKey: string): string {
  const width = Math.max(2, String(Math.max(0, shards - 1)).length);
  return `${prefix}_${String(shard).padStart(width, '0')}_${jsonKey}_document`;
}
