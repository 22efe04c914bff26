export { assertMatchesVocab } from './assert-matches-vocab.js';
export { BaseTokenizer } from './base-tokenizer.js';
export type { Merge } from './bpe-merges.js';
export type { ByteBpeOptions, ByteBpeTrainOptions } from './byte-bpe-tokenizer.js';
export { ByteBpeTokenizer, GPT2_PATTERN } from './byte-bpe-tokenizer.js';
export type { CharTokenizerOptions } from './char-tokenizer.js';
export { CharTokenizer } from './char-tokenizer.js';
export type {
  PreTokenizerSpec,
  RegexPreTokenizerSpec,
  WhitespacePreTokenizerSpec,
  WhitespacePunctuationPreTokenizerSpec,
} from './pre-tokenizer.js';
export { PreTokenizer } from './pre-tokenizer.js';
export { BOS_TOKEN, DEFAULT_SPECIAL_TOKENS, EOS_TOKEN, PAD_TOKEN, UNK_TOKEN } from './special-tokens.js';
export { registerBuiltinTokenizers, tokenizerFromJSON } from './tokenizer-from-json.js';
export { TOKENIZER_FORMAT_VERSION } from './tokenizer-json.js';
export type {
  DecodeOptions,
  EncodeBatchOptions,
  EncodedBatch,
  JsonValue,
  SeqgenTokenizer,
  TokenizerJson,
} from './types.js';
export type { UnknownPolicy } from './unknown-policy.js';
export { VocabTokenizer } from './vocab-tokenizer.js';
export { WordTokenizer } from './word-tokenizer.js';
export { decodeWtf8, encodeWtf8 } from './wtf8.js';
