import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { tempDir } from '../dataset/__tests__/helpers.ts';
import { writeTinyTokenizer } from '../dataset/__tests__/tiny-tokenizer.ts';
import { loadTokenizer, resolveTokenizer } from './index.ts';

const t = tempDir();
afterAll(() => t.cleanup());

test('gpt2 is tiktoken GPT-2 BPE with EOD 50256', async () => {
  const spec = resolveTokenizer('gpt2', t.dir);
  expect(spec).toMatchObject({ kind: 'tiktoken', vocabSize: 50257, eod: 50256 });
  const tokenizer = await loadTokenizer(spec);
  expect(tokenizer.encode('Hello world')).toEqual([15496, 995]);
  // Special-token text is ordinary text, as in Megatron's GPT2BPETokenizer.
  expect(tokenizer.encode('<|endoftext|>')).not.toContain(50256);
  tokenizer.free();
});

test('llama3 is the Meta Llama 3 tokenizer.json shipped offline, EOD <|end_of_text|> 128001', async () => {
  const spec = resolveTokenizer('llama3', t.dir);
  expect(spec).toMatchObject({ kind: 'hf', vocabSize: 128256, eod: 128001 });
  const tokenizer = await loadTokenizer(spec);
  expect(tokenizer.encode('Hello, world!')).toEqual([9906, 11, 1917, 0]);
  expect(tokenizer.encode('')).toEqual([]);
});

test('a tokenizer.json on disk: vocabulary size from the ids, EOD from tokenizer_config.json', () => {
  const path = writeTinyTokenizer(t.dir);
  expect(resolveTokenizer(path, '/')).toMatchObject({ kind: 'hf', vocabSize: 261, eod: 260, tokenizerJson: path });
});

test('unknown names, missing files and tokenizers without an EOD are refused with what to do', () => {
  expect(() => resolveTokenizer('gtp2', t.dir)).toThrow(/unknown tokenizer 'gtp2'/);
  expect(() => resolveTokenizer('./none/tokenizer.json', t.dir)).toThrow(/tokenizer file not found/);
  const bare = join(t.dir, 'bare.json');
  writeFileSync(bare, JSON.stringify({ model: { type: 'Unigram', vocab: [['a', 0], ['b', -1]] }, added_tokens: [] }));
  expect(() => resolveTokenizer(bare, t.dir)).toThrow(/no end-of-document token/);
});
