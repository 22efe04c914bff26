import {
  type CodecJson,
  type DiscreteCodec,
  isRegisteredConfigType,
  registerConfigType,
  type Tokenizer,
  TokenizerError,
  unregisterConfigType,
} from '@seqgen/base';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { assertMatchesVocab } from './assert-matches-vocab.js';
import { ByteBpeTokenizer } from './byte-bpe-tokenizer.js';
import { CharTokenizer } from './char-tokenizer.js';
import { registerBuiltinTokenizers, tokenizerFromJSON } from './tokenizer-from-json.js';
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
        'tokenizer JSON: unknown type "sentencepiece" (registered codec types: byte-bpe, char, word)',
      ),
    );
    expect(() => tokenizerFromJSON({ type: 'toString', version: 1 })).toThrow(/unknown type "toString"/);
    expect(() => tokenizerFromJSON('nope')).toThrow(/tokenizer JSON: not valid JSON/);
    expect(() => tokenizerFromJSON(null)).toThrow('tokenizer JSON: expected a JSON object, got null');
  });
});

describe('the codec contract and the registry', () => {
  it("every tokenizer is core's DiscreteCodec<string> (Tokenizer), and its JSON a CodecJson", () => {
    expectTypeOf<CharTokenizer>().toExtend<DiscreteCodec<string>>();
    expectTypeOf<WordTokenizer>().toExtend<Tokenizer>();
    expectTypeOf<ByteBpeTokenizer>().toExtend<DiscreteCodec<string>>();
    expectTypeOf<ReturnType<ByteBpeTokenizer['toJSON']>>().toExtend<CodecJson>();
    const codec: DiscreteCodec<string> = CharTokenizer.fromText('whale');
    expect(codec.decode(codec.encode('hew'))).toBe('hew');
  });

  it('registers the built-ins under kind codec, idempotently', () => {
    registerBuiltinTokenizers();
    registerBuiltinTokenizers();
    for (const type of ['char', 'word', 'byte-bpe']) expect(isRegisteredConfigType('codec', type)).toBe(true);
  });

  it('rebuilds a codec type registered by another package', () => {
    /** Reversed characters: a third-party text codec over an explicit alphabet. */
    class MirrorTokenizer implements Tokenizer {
      readonly type = 'mirror';
      constructor(readonly alphabet: string) {}
      get vocabSize() {
        return this.alphabet.length;
      }
      encode(text: string) {
        return [...text].reverse().map((ch) => this.alphabet.indexOf(ch));
      }
      decode(ids: number[]) {
        return ids
          .map((id) => this.alphabet[id])
          .reverse()
          .join('');
      }
      toJSON() {
        return { type: 'mirror', version: 1, alphabet: this.alphabet };
      }
    }
    registerConfigType('codec', 'mirror', (json) => new MirrorTokenizer(json.alphabet as string));
    try {
      const tok = tokenizerFromJSON<MirrorTokenizer>(JSON.stringify(new MirrorTokenizer('abc').toJSON()));
      expect(tok).toBeInstanceOf(MirrorTokenizer);
      expect(tok.encode('abcc')).toEqual([2, 2, 1, 0]);
      expect(tok.decode([2, 2, 1, 0])).toBe('abcc');
      expect(() => tokenizerFromJSON({ type: 'sentencepiece', version: 1 })).toThrow(
        '(registered codec types: byte-bpe, char, mirror, word)',
      );
    } finally {
      expect(unregisterConfigType('codec', 'mirror')).toBe(true);
    }
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
