export { BUILTIN_TOKENIZERS, resolveTokenizer, type TokenizerSpec } from './resolve.ts';
export { loadTokenizer, type TextTokenizer } from './load.ts';
