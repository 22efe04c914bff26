import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/tokenizers public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'BOS_TOKEN',
      'BaseTokenizer',
      'ByteBpeTokenizer',
      'CharTokenizer',
      'DEFAULT_SPECIAL_TOKENS',
      'EOS_TOKEN',
      'GPT2_PATTERN',
      'PAD_TOKEN',
      'PreTokenizer',
      'TOKENIZER_FORMAT_VERSION',
      'UNK_TOKEN',
      'VocabTokenizer',
      'WordTokenizer',
      'assertMatchesVocab',
      'decodeWtf8',
      'encodeWtf8',
      'registerBuiltinTokenizers',
      'tokenizerFromJSON',
    ]);
  });
});
