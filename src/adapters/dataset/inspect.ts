// Reads one .idx/.bin pair in bounded chunks and checks it with the pure validators: header, index length, sizes and
// pointers against the .bin length, document_indices, and (with a vocabulary size) every token id.
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeIndexHeader, INDEX_HEADER_BYTES, indexLayout, type IndexHeader } from '../../core/dataset/format.ts';
import { createHistogram, type LengthHistogram } from '../../core/dataset/stats.ts';
import {
  checkDocumentChunk,
  checkSequenceChunk,
  finishSequenceCheck,
  firstTokenOutOfVocab,
  startDocumentCheck,
  startSequenceCheck,
} from '../../core/dataset/validate.ts';

export interface DatasetProblem {
  /** File name (no directory) the problem is in, e.g. `my-gpt3_01_text_document.idx`. */
  file: string;
  message: string;
}

export interface PairReport {
  stem: string;
  ok: boolean;
  problems: DatasetProblem[];
  header?: IndexHeader;
  documents: number;
  sequences: number;
  tokens: number;
  maxSequence: number;
  idxBytes: number;
  binBytes: number;
  histogram?: LengthHistogram;
}

export interface InspectOptions {
  /** Token ids must be below this; scanning the .bin is skipped without it. */
  vocabSize?: number;
  /** Also build the document length histogram (one more pass over the index). */
  histogram?: boolean;
}

const CHUNK = 1 << 16;

export function inspectPair(stem: string, options: InspectOptions = {}): PairReport {
  const idxName = `${basename(stem)}.idx`;
  const binName = `${basename(stem)}.bin`;
  const report: PairReport = { stem, ok: false, problems: [], documents: 0, sequences: 0, tokens: 0, maxSequence: 0, idxBytes: 0, binBytes: 0 };
  const fail = (file: string, message: string) => {
    report.problems.push({ file, message });
    return report;
  };
  if (!existsSync(`${stem}.idx`)) fail(idxName, `missing: ${binName} has no .idx beside it (an interrupted or partial write?)`);
  if (!existsSync(`${stem}.bin`)) fail(binName, `missing: ${idxName} has no .bin beside it (an interrupted or partial write?)`);
  if (report.problems.length > 0) return report;
  const idx = openSync(`${stem}.idx`, 'r');
  const bin = openSync(`${stem}.bin`, 'r');
  try {
    report.idxBytes = fstatSync(idx).size;
    report.binBytes = fstatSync(bin).size;
    const headerBytes = readAt(idx, 0, INDEX_HEADER_BYTES);
    const decoded = decodeIndexHeader(headerBytes);
    if (!decoded.ok) return fail(idxName, decoded.problem);
    const header = decoded.header;
    report.header = header;
    report.sequences = header.sequenceCount;
    report.documents = header.documentIndexCount - 1;
    const layout = indexLayout(header);
    if (report.idxBytes !== layout.totalBytes) {
      return fail(
        idxName,
        `is ${report.idxBytes} bytes but its header (${header.sequenceCount} sequences, ${header.documentIndexCount} document indices) implies ${layout.totalBytes} bytes`,
      );
    }
    const seq = startSequenceCheck(report.binBytes, header.dtype.bytes);
    for (let first = 0; first < header.sequenceCount; first += CHUNK) {
      const n = Math.min(CHUNK, header.sequenceCount - first);
      const sizes = new Int32Array(readAt(idx, layout.sizesOffset + 4 * first, 4 * n).buffer);
      const pointers = new BigInt64Array(readAt(idx, layout.pointersOffset + 8 * first, 8 * n).buffer);
      const problem = checkSequenceChunk(seq, first, sizes, pointers);
      if (problem) return fail(problem.in === 'idx' ? idxName : binName, problem.message);
    }
    const ending = finishSequenceCheck(seq);
    if (ending) return fail(binName, ending);
    report.tokens = seq.tokens;
    report.maxSequence = seq.maxSize;
    const docs = startDocumentCheck(header.sequenceCount, header.documentIndexCount);
    for (let first = 0; first < header.documentIndexCount; first += CHUNK) {
      const n = Math.min(CHUNK, header.documentIndexCount - first);
      const problem = checkDocumentChunk(docs, first, new BigInt64Array(readAt(idx, layout.documentIndicesOffset + 8 * first, 8 * n).buffer));
      if (problem) return fail(idxName, problem);
    }
    if (options.vocabSize !== undefined) {
      const problem = scanTokens(bin, report.binBytes, header, options.vocabSize);
      if (problem) return fail(binName, problem);
    }
    if (options.histogram) report.histogram = documentHistogram(idx, header);
    report.ok = true;
    return report;
  } finally {
    closeSync(idx);
    closeSync(bin);
  }
}

export function readAt(fd: number, position: number, length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, bytes, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? bytes : bytes.subarray(0, done);
}

type TokenView = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayLike<number>;
export const tokenViews: Record<string, TokenView> = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

function scanTokens(fd: number, binBytes: number, header: IndexHeader, vocabSize: number): string | undefined {
  const { dtype } = header;
  if (!dtype.integer) return `dtype ${dtype.name} cannot hold token ids`;
  if (dtype.name === 'int64') return 'int64 token ids are not supported by the vocabulary scan';
  const View = tokenViews[dtype.name]!;
  const chunkBytes = dtype.bytes * (4 << 20);
  const buffer = new Uint8Array(chunkBytes);
  for (let position = 0; position < binBytes; position += chunkBytes) {
    const n = readSync(fd, buffer, 0, Math.min(chunkBytes, binBytes - position), position);
    const tokens = new View(buffer.buffer, 0, Math.floor(n / dtype.bytes));
    const bad = firstTokenOutOfVocab(tokens, vocabSize);
    if (bad >= 0) {
      const at = position / dtype.bytes + bad;
      return `token id ${tokens[bad]} at token ${at} (byte ${position + bad * dtype.bytes}) is not below the vocabulary size ${vocabSize}`;
    }
  }
  return undefined;
}

/** Document lengths in tokens, walking document_indices and sizes side by side (both are read in order). */
function documentHistogram(fd: number, header: IndexHeader): LengthHistogram {
  const layout = indexLayout(header);
  const histogram = createHistogram();
  let sizes: Int32Array = new Int32Array(0);
  let sizesFirst = 0;
  const sizeAt = (i: number): number => {
    if (i < sizesFirst || i >= sizesFirst + sizes.length) {
      sizesFirst = i;
      const n = Math.min(CHUNK, header.sequenceCount - i);
      sizes = new Int32Array(readAt(fd, layout.sizesOffset + 4 * i, 4 * n).buffer);
    }
    return sizes[i - sizesFirst]!;
  };
  let previous = 0;
  for (let first = 1; first < header.documentIndexCount; first += CHUNK) {
    const n = Math.min(CHUNK, header.documentIndexCount - first);
    const indices = new BigInt64Array(readAt(fd, layout.documentIndicesOffset + 8 * first, 8 * n).buffer);
    for (const value of indices) {
      const end = Number(value);
      let length = 0;
      for (let s = previous; s < end; s++) length += sizeAt(s);
      histogram.add(length);
      previous = end;
    }
  }
  return histogram.result();
}
