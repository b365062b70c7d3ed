// Structural checks of an indexed dataset, fed chunk by chunk so that a reader never holds a whole index in memory.
// Each check returns the first problem as a sentence (naming the array and the element) or undefined.

/** Which file of the pair a problem is in: `bin` when the .bin is shorter or longer than its index says. */
export interface PairProblem {
  in: 'idx' | 'bin';
  message: string;
}

export interface SequenceCheckState {
  readonly binBytes: number;
  readonly itemBytes: number;
  /** Byte offset the next sequence must start at (Megatron writes sequences back to back). */
  nextPointer: number;
  tokens: number;
  maxSize: number;
}

export function startSequenceCheck(binBytes: number, itemBytes: number): SequenceCheckState {
  return { binBytes, itemBytes, nextPointer: 0, tokens: 0, maxSize: 0 };
}

/** Checks sizes[first..] and pointers[first..] (same length) against each other and the .bin length. */
export function checkSequenceChunk(
  state: SequenceCheckState,
  first: number,
  sizes: Int32Array,
  pointers: BigInt64Array,
): PairProblem | undefined {
  const idx = (message: string): PairProblem => ({ in: 'idx', message });
  const { binBytes, itemBytes } = state;
  for (let k = 0; k < sizes.length; k++) {
    const i = first + k;
    const size = sizes[k]!;
    const pointer = Number(pointers[k]!);
    if (size < 0) return idx(`size[${i}] = ${size} is negative`);
    if (pointer < 0) return idx(`pointer[${i}] = ${pointer} is negative`);
    if (pointer !== state.nextPointer) {
      // A pointer that disagrees with its predecessors is the index's fault; one that agrees but runs past the end
      // of the .bin (below) means the .bin lost its tail.
      if (pointer > binBytes || (pointer === binBytes && size > 0)) {
        return idx(`pointer[${i}] = ${pointer} past the end of the .bin (${binBytes} bytes)`);
      }
      return idx(`pointer[${i}] = ${pointer}, expected ${state.nextPointer} (pointer[${i - 1}] + size[${i - 1}] * ${itemBytes} bytes)`);
    }
    const end = pointer + size * itemBytes;
    if (end > binBytes) {
      return {
        in: 'bin',
        message: `truncated: sequence ${i} (${size} tokens at byte ${pointer}) ends at byte ${end}, past the end of the .bin (${binBytes} bytes)`,
      };
    }
    state.nextPointer = end;
    state.tokens += size;
    if (size > state.maxSize) state.maxSize = size;
  }
  return undefined;
}

/** After the last chunk: the sequences must cover the .bin exactly. */
export function finishSequenceCheck(state: SequenceCheckState): string | undefined {
  if (state.binBytes % state.itemBytes !== 0) {
    return `.bin length ${state.binBytes} bytes is not a multiple of the ${state.itemBytes}-byte token size`;
  }
  if (state.nextPointer !== state.binBytes) {
    return `the sequences end at byte ${state.nextPointer} but the .bin has ${state.binBytes} bytes (${state.binBytes - state.nextPointer} unindexed trailing bytes)`;
  }
  return undefined;
}

export interface DocumentCheckState {
  readonly sequenceCount: number;
  readonly documentIndexCount: number;
  previous: number;
}

export function startDocumentCheck(sequenceCount: number, documentIndexCount: number): DocumentCheckState {
  return { sequenceCount, documentIndexCount, previous: 0 };
}

/** document_indices must start at 0, never decrease, and end at the sequence count. */
export function checkDocumentChunk(state: DocumentCheckState, first: number, indices: BigInt64Array): string | undefined {
  for (let k = 0; k < indices.length; k++) {
    const i = first + k;
    const value = Number(indices[k]!);
    if (i === 0 && value !== 0) return `document_indices[0] = ${value}, expected 0`;
    if (value < state.previous) {
      return `document_indices[${i}] = ${value} is below document_indices[${i - 1}] = ${state.previous} (must not decrease)`;
    }
    if (value > state.sequenceCount) {
      return `document_indices[${i}] = ${value} is past the sequence count ${state.sequenceCount}`;
    }
    if (i === state.documentIndexCount - 1 && value !== state.sequenceCount) {
      return `document_indices[${i}] = ${value} (the last one) must equal the sequence count ${state.sequenceCount}`;
    }
    state.previous = value;
  }
  return undefined;
}

/** Index of the first token id outside [0, vocabSize), or -1. */
export function firstTokenOutOfVocab(tokens: ArrayLike<number>, vocabSize: number): number {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t < 0 || t >= vocabSize) return i;
  }
  return -1;
}
