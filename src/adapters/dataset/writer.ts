// Streaming writer of one Megatron .bin/.idx pair. Tokens go straight to `<stem>.bin.partial`; sequence sizes and
// document boundaries spill to side files, so memory stays constant. `finish()` assembles `<stem>.idx.partial`;
// `commit()` publishes the pair with renames ordered so that an interruption never leaves a pair that looks complete.
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { endianness } from 'node:os';
import { encodeIndexHeader, type DtypeInfo } from '../../core/dataset/format.ts';
import { BufferedFile } from './buffered-file.ts';

const SPILL = 1 << 16;

export interface WrittenShard {
  stem: string;
  sequences: number;
  documents: number;
  tokens: number;
  binBytes: number;
}

type TokenArrayCtor = Uint8ArrayConstructor | Int8ArrayConstructor | Int16ArrayConstructor | Int32ArrayConstructor | Uint16ArrayConstructor;

const arrays: Partial<Record<DtypeInfo['name'], { ctor: TokenArrayCtor; max: number }>> = {
  uint8: { ctor: Uint8Array, max: 0xff },
  int8: { ctor: Int8Array, max: 0x7f },
  int16: { ctor: Int16Array, max: 0x7fff },
  uint16: { ctor: Uint16Array, max: 0xffff },
  int32: { ctor: Int32Array, max: 0x7fffffff },
};

export class IndexedDatasetWriter {
  readonly stem: string;
  readonly dtype: DtypeInfo;
  private bin: BufferedFile;
  private sizesFile: BufferedFile;
  private docsFile: BufferedFile;
  private sizes = new Int32Array(SPILL);
  private sizesFill = 0;
  private docs = new BigInt64Array(SPILL);
  private docsFill = 0;
  private array: { ctor: TokenArrayCtor; max: number };
  sequences = 0;
  documents = 0;
  tokens = 0;

  constructor(stem: string, dtype: DtypeInfo) {
    if (endianness() !== 'LE') throw new Error('indexed datasets are little-endian; this machine is big-endian');
    const array = arrays[dtype.name];
    if (!array) throw new Error(`cannot write token ids as ${dtype.name}`);
    this.array = array;
    this.stem = stem;
    this.dtype = dtype;
    this.bin = new BufferedFile(`${stem}.bin.partial`);
    this.sizesFile = new BufferedFile(`${stem}.sizes.partial`, 1 << 18);
    this.docsFile = new BufferedFile(`${stem}.docs.partial`, 1 << 18);
    this.pushDocumentIndex(0);
  }

  /** One sequence; call `endDocument()` after the sequences of each document. */
  addSequence(tokens: ArrayLike<number>): void {
    const typed = new this.array.ctor(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t < 0 || t > this.array.max) throw new RangeError(`token id ${t} does not fit ${this.dtype.name}`);
      typed[i] = t;
    }
    this.bin.write(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
    this.sizes[this.sizesFill++] = tokens.length;
    if (this.sizesFill === SPILL) this.spillSizes();
    this.sequences++;
    this.tokens += tokens.length;
  }

  /** Closes a document: Megatron's `add_document` appends the running sequence count to document_indices. */
  endDocument(): void {
    this.documents++;
    this.pushDocumentIndex(this.sequences);
  }

  /** A document of one sequence (Megatron without sentence splitting); an empty one adds no sequence, as Megatron does. */
  addDocument(tokens: ArrayLike<number>): void {
    if (tokens.length > 0) this.addSequence(tokens);
    this.endDocument();
  }

  /** Writes `<stem>.idx.partial` and syncs both files; nothing is visible under the final names yet. */
  finish(): WrittenShard {
    this.spillSizes();
    this.spillDocs();
    this.bin.close(true);
    this.sizesFile.close(false);
    this.docsFile.close(false);
    const idx = new BufferedFile(`${this.stem}.idx.partial`);
    idx.write(encodeIndexHeader({ dtype: this.dtype, sequenceCount: this.sequences, documentIndexCount: this.documents + 1 }));
    streamChunks(this.sizesFile.path, 4, (bytes) => idx.write(bytes));
    let pointer = 0n;
    const item = BigInt(this.dtype.bytes);
    streamChunks(this.sizesFile.path, 4, (bytes) => {
      const sizes = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const pointers = new BigInt64Array(sizes.length);
      for (let i = 0; i < sizes.length; i++) {
        pointers[i] = pointer;
        pointer += BigInt(sizes[i]!) * item;
      }
      idx.write(new Uint8Array(pointers.buffer));
    });
    streamChunks(this.docsFile.path, 8, (bytes) => idx.write(bytes));
    idx.close(true);
    rmSync(this.sizesFile.path, { force: true });
    rmSync(this.docsFile.path, { force: true });
    return { stem: this.stem, sequences: this.sequences, documents: this.documents, tokens: this.tokens, binBytes: this.bin.bytesWritten };
  }

  /** Publishes the pair: drop the old .idx first, then .bin, then .idx, so a pair with an .idx is always whole. */
  commit(): void {
    rmSync(`${this.stem}.idx`, { force: true });
    renameSync(`${this.stem}.bin.partial`, `${this.stem}.bin`);
    renameSync(`${this.stem}.idx.partial`, `${this.stem}.idx`);
  }

  /** Removes every partial file (after an error or a stop on a bad line). */
  abort(): void {
    for (const file of [this.bin, this.sizesFile, this.docsFile]) {
      try {
        file.close(false);
      } catch {
        // already closed or never opened: nothing to release
      }
    }
    for (const suffix of ['.bin.partial', '.idx.partial', '.sizes.partial', '.docs.partial']) {
      if (existsSync(this.stem + suffix)) rmSync(this.stem + suffix, { force: true });
    }
  }

  private pushDocumentIndex(value: number): void {
    this.docs[this.docsFill++] = BigInt(value);
    if (this.docsFill === SPILL) this.spillDocs();
  }

  private spillSizes(): void {
    this.sizesFile.write(new Uint8Array(this.sizes.buffer, 0, this.sizesFill * 4));
    this.sizesFill = 0;
  }

  private spillDocs(): void {
    this.docsFile.write(new Uint8Array(this.docs.buffer, 0, this.docsFill * 8));
    this.docsFill = 0;
  }
}

/** Reads a file in aligned chunks (a multiple of `align` bytes), each in a fresh buffer. */
function streamChunks(path: string, align: number, onChunk: (bytes: Uint8Array) => void): void {
  const fd = openSync(path, 'r');
  try {
    const chunkBytes = align * 65536;
    for (;;) {
      const buffer = new Uint8Array(chunkBytes);
      const n = readSync(fd, buffer, 0, chunkBytes, null);
      if (n === 0) break;
      onChunk(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}
