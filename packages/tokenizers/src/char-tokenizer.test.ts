import type { Tokenizer } from '@seqgen/base';
import { TokenizerError } from '@seqgen/base';
import { PROPERTY_SEED, unicodeStrings } from '@seqgen/test-utils';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';

describe('CharTokenizer', () => {
  it("implements core's Tokenizer interface", () => {
    expectTypeOf<CharTokenizer>().toExtend<Tokenizer>();
    const tok: Tokenizer = CharTokenizer.fromText('ab');
    expect(tok.type).toBe('char');
  });

  it('builds its vocabulary from a corpus: specials first, then code points in order', () => {
    const tok = CharTokenizer.fromText('banana');
    expect(tok.vocabSize).toBe(4 + 3);
    expect([0, 1, 2, 3, 4, 5, 6].map((id) => tok.idToToken(id))).toEqual([
      '<pad>',
      '<unk>',
      '<bos>',
      '<eos>',
      'a',
      'b',
      'n',
    ]);
    expect(tok.encode('banana')).toEqual([5, 4, 6, 4, 6, 4]);
    expect(tok.tokenToId('n')).toBe(6);
    expect(tok.decode([2, 5, 4, 3])).toBe('<bos>ba<eos>');
    expect(tok.decode([2, 5, 4, 3], { skipSpecialTokens: true })).toBe('ba');
  });

  it('works on code points, not UTF-16 units: an emoji is one token', () => {
    const tok = CharTokenizer.fromText('a😀𠜎');
    expect(tok.encode('😀😀a𠜎')).toEqual([5, 5, 4, 6]);
    expect(tok.idToToken(5)).toBe('😀');
  });

  it('keeps a lone surrogate as a symbol of its own, so the round trip holds', () => {
    const text = 'x\uD800y\uDC00\uDC00\uD83D';
    const tok = CharTokenizer.fromText(text);
    expect(tok.vocabSize).toBe(4 + 5);
    expect(tok.decode(tok.encode(text))).toBe(text);
    // A surrogate pair is not two lone surrogates.
    expect(() => CharTokenizer.fromText('\uD800', { onUnknown: 'throw' }).encode('\uD800\uDC00')).toThrow(/U\+10000/);
  });

  it('throws unknown-token naming the character and its index, or maps to <unk>', () => {
    const strict = CharTokenizer.fromText('abc', { onUnknown: 'throw' });
    const error = (() => {
      try {
        strict.encode('ab😀z');
      } catch (e) {
        return e as TokenizerError;
      }
    })();
    expect(error).toBeInstanceOf(TokenizerError);
    expect(error?.reason).toBe('unknown-token');
    expect(error?.message).toBe('unknown character "😀" (U+1F600) at index 2 (not in the vocabulary)');
    const lenient = CharTokenizer.fromText('abc');
    expect(lenient.onUnknown).toBe('unk');
    expect(lenient.encode('azb')).toEqual([4, 1, 5]);
    expect(lenient.decode(lenient.encode('azb'))).toBe('a<unk>b');
  });

  it('recognises special tokens in text whole', () => {
    const tok = CharTokenizer.fromText('<eos>');
    expect(tok.encode('<eos><eos')).toEqual([3, 4, tok.tokenToId('e')!, tok.tokenToId('o')!, tok.tokenToId('s')!]);
  });

  it('refuses ids outside the vocabulary on decode', () => {
    const tok = CharTokenizer.fromText('ab');
    expect(() => tok.decode([4, 6])).toThrow('decode: ids[1] = 6 is not a token id in [0, 6)');
    expect(() => tok.decode([1.5])).toThrow(TokenizerError);
  });

  it('saves and loads through JSON, lone surrogates included', () => {
    const text = 'héllo \uDC00 wörld 😀';
    const tok = CharTokenizer.fromText(text, { onUnknown: 'throw' });
    const loaded = CharTokenizer.fromJSON(JSON.stringify(tok));
    expect(loaded.toJSON()).toEqual(tok.toJSON());
    expect(loaded.encode(text)).toEqual(tok.encode(text));
    expect(loaded.onUnknown).toBe('throw');
  });

  it('rejects corrupt or mismatched JSON with typed errors', () => {
    const good = CharTokenizer.fromText('ab').toJSON();
    const reasonOf = (json: unknown) => {
      try {
        CharTokenizer.fromJSON(json);
      } catch (e) {
        return [(e as TokenizerError).reason, (e as Error).message];
      }
      return undefined;
    };
    expect(reasonOf({ ...good, version: 2 })).toEqual([
      'version-mismatch',
      'char tokenizer JSON: version 2 is not supported (this build reads version 1)',
    ]);
    expect(reasonOf({ ...good, vocab: ['a', 'a'] })).toEqual([
      'corrupt',
      'char vocab: duplicate entry "a" at ids 4 and 5',
    ]);
    expect(reasonOf({ ...good, vocab: ['ab'] })?.[1]).toMatch(/vocab\[0\] must be exactly one code point/);
    expect(reasonOf({ ...good, vocab: 'ab' })).toEqual([
      'corrupt',
      'char tokenizer JSON: vocab must be an array of strings, got "ab"',
    ]);
    expect(reasonOf({ ...good, specialTokens: [1] })?.[1]).toMatch(/specialTokens\[0\] must be a string/);
    expect(reasonOf('{"type": "char",')?.[0]).toBe('corrupt');
    expect(reasonOf([])?.[1]).toBe('char tokenizer JSON: expected a JSON object, got an array');
    expect(reasonOf({ ...good, version: '1' })?.[0]).toBe('corrupt');
  });

  it('round-trips random Unicode strings (property, fixed seed)', () => {
    fc.assert(
      fc.property(unicodeStrings, (s) => {
        const tok = CharTokenizer.fromText(s, { onUnknown: 'throw' });
        return tok.decode(tok.encode(s)) === s;
      }),
      { seed: PROPERTY_SEED, numRuns: 1000 },
    );
  });
});
