// Random access to a validated indexed dataset with positional reads: the index arrays are read in small pieces on
// demand, never loaded whole, so opening a multi-GB dataset costs one validation pass and constant memory.
import { closeSync, openSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { indexLayout, type DtypeInfo } from '../../core/dataset/format.ts';
import { inputError } from '../../core/errors.ts';
import { inspectPair, readAt, tokenViews, type InspectOptions } from './inspect.ts';

export interface IndexedDataset {
  readonly stem: string;
  readonly dtype: DtypeInfo;
  readonly sequenceCount: number;
  readonly documentCount: number;
  readonly tokenCount: number;
  /** Tokens of sequence i, as numbers (int64 files are rejected by validation for token use). */
  readSequence(i: number): number[];
  /** Tokens of every sequence of document d, concatenated. */
  readDocument(d: number): number[];
  close(): void;
}

/**
 * Opens `<prefix>.idx` + `<prefix>.bin` after checking them whole (header, index length, sizes and pointers against
 * the .bin, document indices, token ids below `vocabSize` when given). Throws a TrainbenchError (exit 4) naming the
 * file and the problem, so a corrupt dataset is caught before any training starts.
 */
export function openIndexedDataset(prefix: string, options: InspectOptions = {}): IndexedDataset {
  const stem = prefix.replace(/\.(bin|idx)$/, '');
  const report = inspectPair(stem, options);
  const first = report.problems[0];
  if (!report.ok || !report.header) {
    throw inputError(first?.message ?? 'unreadable', {
      code: 'corrupt-dataset',
      file: join(dirname(stem), first?.file ?? basename(stem)),
      hint: 'run `trainbench data check` on it, then re-create the pair with `trainbench data prepare`',
    });
  }
  const header = report.header;
  const layout = indexLayout(header);
  const View = tokenViews[header.dtype.name];
  if (!View) throw inputError(`${basename(stem)}.idx: dtype ${header.dtype.name} is not readable as token ids`, { code: 'corrupt-dataset' });
  const idx = openSync(`${stem}.idx`, 'r');
  const bin = openSync(`${stem}.bin`, 'r');
  const int64At = (offset: number) => Number(new BigInt64Array(readAt(idx, offset, 8).buffer)[0]!);
  const checkRange = (what: string, i: number, count: number) => {
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`${what} ${i} out of range [0, ${count})`);
  };
  const dataset: IndexedDataset = {
    stem,
    dtype: header.dtype,
    sequenceCount: header.sequenceCount,
    documentCount: header.documentIndexCount - 1,
    tokenCount: report.tokens,
    readSequence(i) {
      checkRange('sequence', i, header.sequenceCount);
      const size = new Int32Array(readAt(idx, layout.sizesOffset + 4 * i, 4).buffer)[0]!;
      const pointer = int64At(layout.pointersOffset + 8 * i);
      const bytes = readAt(bin, pointer, size * header.dtype.bytes);
      return Array.from(new View(bytes.buffer, 0, size));
    },
    readDocument(d) {
      checkRange('document', d, header.documentIndexCount - 1);
      const start = int64At(layout.documentIndicesOffset + 8 * d);
      const end = int64At(layout.documentIndicesOffset + 8 * (d + 1));
      const tokens: number[] = [];
      for (let s = start; s < end; s++) for (const t of dataset.readSequence(s)) tokens.push(t);
      return tokens;
    },
    close() {
      closeSync(idx);
      closeSync(bin);
    },
  };
  return dataset;
}
