// Fixed-length packing (nnScaler / HF `group_texts` style): documents, each ending in EOD, are concatenated into one
// stream and cut into sequences of exactly `length` tokens; the tail shorter than `length` is dropped and counted.

export interface Packer {
  /** Appends a document's tokens; calls `emit` once per completed sequence (the array is reused: copy or write it). */
  push(tokens: ArrayLike<number>, emit: (sequence: Uint32Array) => void): void;
  /** Tokens left over that did not fill a sequence (dropped). */
  readonly pending: number;
}

export function createPacker(length: number): Packer {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`pack length must be a positive integer, got ${length}`);
  const buffer = new Uint32Array(length);
  let fill = 0;
  return {
    push(tokens, emit) {
      for (let i = 0; i < tokens.length; i++) {
        buffer[fill++] = tokens[i]!;
        if (fill === length) {
          emit(buffer);
          fill = 0;
        }
      }
    },
    get pending() {
      return fill;
    },
  };
}
