// Loads a resolved tokenizer in this thread (tests, benchmarks' baseline). Worker threads load the same spec with
// the same calls in ../dataset/worker-source.ts; the round-trip tests hold the two to the same ids.
import { readFileSync } from 'node:fs';
import type { TokenizerSpec } from './resolve.ts';

export interface TextTokenizer {
  readonly spec: TokenizerSpec;
  /** Token ids of `text` without special tokens around it (text that spells a special token is encoded as the
   * library does: tiktoken as plain text, Hugging Face tokenizers as the added token). */
  encode(text: string): number[];
  free(): void;
}

export async function loadTokenizer(spec: TokenizerSpec): Promise<TextTokenizer> {
  if (spec.kind === 'tiktoken') {
    const { get_encoding } = await import('tiktoken');
    const encoding = get_encoding(spec.encoding);
    return { spec, encode: (text) => Array.from(encoding.encode(text, [], [])), free: () => encoding.free() };
  }
  const { Tokenizer } = await import('@huggingface/tokenizers');
  const json = JSON.parse(readFileSync(spec.tokenizerJson, 'utf8')) as object;
  const config = spec.tokenizerConfig ? (JSON.parse(readFileSync(spec.tokenizerConfig, 'utf8')) as object) : {};
  const tokenizer = new Tokenizer(json, config);
  return { spec, encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids, free: () => undefined };
}
