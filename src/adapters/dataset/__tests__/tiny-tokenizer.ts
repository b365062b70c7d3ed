// A tiny but complete byte-level BPE tokenizer.json (GPT-2 style byte map, four merges, one added EOS token), so the
// "any tokenizer.json on disk" path is tested on a file the test writes itself.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) map[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + extra++);
  return map;
}

/** Writes tokenizer.json + tokenizer_config.json (eos `</s>` = 260) into `dir`; returns the tokenizer.json path. */
export function writeTinyTokenizer(dir: string): string {
  const vocab: Record<string, number> = {};
  bytesToUnicode().forEach((char, byte) => (vocab[char] = byte));
  Object.assign(vocab, { he: 256, ll: 257, hell: 258, hello: 259 });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: 260, content: '</s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges: ['h e', 'l l', 'he ll', 'hell o'] },
  };
  const path = join(dir, 'tokenizer.json');
  writeFileSync(path, JSON.stringify(tokenizer));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ eos_token: '</s>' }));
  return path;
}
