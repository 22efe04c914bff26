import { TokenizerError } from '@seqgen/core/errors';
import { describe, expect, it } from 'vitest';
import { assertMatchesVocab } from './assert-matches-vocab.js';
import { ByteBpeTokenizer } from './byte-bpe-tokenizer.js';
import { CharTokenizer } from './char-tokenizer.js';
import { tokenizerFromJSON } from './tokenizer-from-json.js';
import { WordTokenizer } from './word-tokenizer.js';

describe('tokenizerFromJSON', () => {
  it('dispatches on type, from objects or JSON text', () => {
    const text = 'the whale, the sea';
    const all = [
      CharTokenizer.fromText(text),
      WordTokenizer.train(text),
      ByteBpeTokenizer.train(`${text} ${text}`, { vocabSize: 270 }),
    ];
    for (const tok of all) {
      const loaded = tokenizerFromJSON(JSON.stringify(tok));
      expect(loaded).toBeInstanceOf(tok.constructor);
      expect(loaded.encode(text)).toEqual(tok.encode(text));
      expect(tokenizerFromJSON(tok.toJSON()).vocabSize).toBe(tok.vocabSize);
    }
  });

  it('names an unknown type and refuses non-objects', () => {
    expect(() => tokenizerFromJSON({ type: 'sentencepiece', version: 1 })).toThrow(
      new TokenizerError(
        'corrupt',
        'tokenizer JSON: unknown type "sentencepiece" (expected one of char, word, byte-bpe)',
      ),
    );
    expect(() => tokenizerFromJSON({ type: 'toString', version: 1 })).toThrow(/unknown type "toString"/);
    expect(() => tokenizerFromJSON('nope')).toThrow(/tokenizer JSON: not valid JSON/);
    expect(() => tokenizerFromJSON(null)).toThrow('tokenizer JSON: expected a JSON object, got null');
  });
});

describe('assertMatchesVocab', () => {
  it("throws vocab-mismatch when the tokenizer does not match a checkpoint's vocabulary", () => {
    const tok = CharTokenizer.fromText('abc');
    expect(() => assertMatchesVocab(tok, 7)).not.toThrow();
    let error: TokenizerError | undefined;
    try {
      assertMatchesVocab(tok, 65, 'embedding');
    } catch (e) {
      error = e as TokenizerError;
    }
    expect(error?.reason).toBe('vocab-mismatch');
    expect(error?.code).toBe('ERR_TOKENIZER_VOCAB_MISMATCH');
    expect(error?.message).toBe('char tokenizer has 7 tokens but the embedding expects 65');
  });
});
