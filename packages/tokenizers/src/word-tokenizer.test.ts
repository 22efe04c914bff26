import { ConfigError, TokenizerError } from '@seqgen/base';
import { readMobyDick } from '@seqgen/test-utils';
import { describe, expect, it } from 'vitest';
import { WordTokenizer } from './word-tokenizer.js';

describe('WordTokenizer', () => {
  const corpus = 'the cat sat. the cat ran! a dog sat, the end.';

  it('keeps words by frequency, ties by first appearance', () => {
    const tok = WordTokenizer.train(corpus);
    expect(tok.toJSON().vocab).toEqual(['the', 'cat', 'sat', '.', 'ran', '!', 'a', 'dog', ',', 'end']);
    expect(tok.encode('the dog ran.')).toEqual([4, 11, 8, 7]);
    expect(tok.decode(tok.encode('the dog ran.'))).toBe('the dog ran .');
  });

  it('limits the vocabulary by size and by minimum count', () => {
    expect(WordTokenizer.train(corpus, { maxVocabSize: 6 }).toJSON().vocab).toEqual(['the', 'cat']);
    expect(WordTokenizer.train(corpus, { minCount: 2 }).toJSON().vocab).toEqual(['the', 'cat', 'sat', '.']);
    expect(() => WordTokenizer.train(corpus, { maxVocabSize: 3 })).toThrow(ConfigError);
    expect(() => WordTokenizer.train(corpus, { minCount: 0 })).toThrow('minCount: must be a positive integer, got 0');
  });

  it('maps unknown words to <unk> by default', () => {
    const tok = WordTokenizer.train(corpus);
    expect(tok.encode('the bird sat')).toEqual([4, 1, 6]);
    expect(tok.decode(tok.encode('the bird sat'))).toBe('the<unk>sat');
    expect(tok.decode(tok.encode('the bird sat'), { skipSpecialTokens: true })).toBe('thesat');
  });

  it("throws unknown-token naming the word and its index with onUnknown: 'throw'", () => {
    const tok = WordTokenizer.train(corpus, { onUnknown: 'throw' });
    expect(() => tok.encode('the cat flew')).toThrow(
      new TokenizerError('unknown-token', 'unknown word "flew" at index 8 (not in the vocabulary)'),
    );
    expect(() => WordTokenizer.train(corpus, { specialTokens: ['<pad>'], onUnknown: 'unk' })).toThrow(/needs "<unk>"/);
    // Without <unk> the only possible policy is to throw.
    expect(WordTokenizer.train(corpus, { specialTokens: ['<pad>'] }).onUnknown).toBe('throw');
  });

  it('supports whitespace and regex pre-tokenizers', () => {
    const ws = WordTokenizer.train(corpus, { preTokenizer: { type: 'whitespace' } });
    expect(ws.toJSON().vocab).toContain('sat.');
    // A regex that keeps every character plus separator '' gives an exact round trip.
    const exact = WordTokenizer.train(corpus, { preTokenizer: { type: 'regex', pattern: '\\w+|\\W' }, separator: '' });
    expect(exact.decode(exact.encode(corpus))).toBe(corpus);
    expect(() => WordTokenizer.train(corpus, { preTokenizer: { type: 'regex', pattern: '(' } })).toThrow(ConfigError);
    expect(() => WordTokenizer.train(corpus, { preTokenizer: { type: 'bogus' } as never })).toThrow(
      /preTokenizer.type/,
    );
  });

  it('keeps apostrophes inside words and splits punctuation ("don\'t", "whale\'s")', () => {
    const tok = WordTokenizer.train("don't stop the whale's—spout", {});
    expect(tok.toJSON().vocab).toEqual(["don't", 'stop', 'the', "whale's", '—', 'spout']);
  });

  it('builds a capped vocabulary from Moby-Dick and covers most running words', () => {
    const book = readMobyDick();
    const tok = WordTokenizer.train(book.slice(0, 600_000), { maxVocabSize: 5000 });
    expect(tok.vocabSize).toBe(5000);
    const ids = tok.encode(book.slice(600_000, 700_000));
    const unknown = ids.filter((id) => id === tok.unkId).length / ids.length;
    // Measured: 10.9% of held-out running words fall outside the 4,996 most frequent.
    expect(unknown).toBeGreaterThan(0.09);
    expect(unknown).toBeLessThan(0.13);
    const bigger = WordTokenizer.train(book.slice(0, 600_000), { maxVocabSize: 10_000 });
    const unknownBigger = bigger.encode(book.slice(600_000, 700_000)).filter((id) => id === bigger.unkId).length;
    expect(unknownBigger / ids.length).toBeLessThan(unknown);
  });

  it('saves and loads through JSON; corrupt files give typed errors', () => {
    const tok = WordTokenizer.train(corpus, { preTokenizer: { type: 'regex', pattern: '\\p{L}+' }, separator: '_' });
    const loaded = WordTokenizer.fromJSON(JSON.stringify(tok.toJSON()));
    expect(loaded.encode('the cat sat')).toEqual(tok.encode('the cat sat'));
    expect(loaded.decode(loaded.encode('the cat'))).toBe('the_cat');
    const json = tok.toJSON();
    expect(() => WordTokenizer.fromJSON({ ...json, vocab: ['the', 'cat', 'the'] })).toThrow(
      'word vocab: duplicate entry "the" at ids 4 and 6',
    );
    expect(() => WordTokenizer.fromJSON({ ...json, vocab: ['<pad>'] })).toThrow(/duplicate entry "<pad>"/);
    expect(() => WordTokenizer.fromJSON({ ...json, preTokenizer: { type: 'regex', pattern: '[' } })).toThrow(
      expect.objectContaining({ reason: 'corrupt' }),
    );
    expect(() => WordTokenizer.fromJSON({ ...json, separator: 1 })).toThrow(/separator must be a string/);
    expect(() => WordTokenizer.fromJSON({ ...json, version: 3 })).toThrow(
      expect.objectContaining({ reason: 'version-mismatch' }),
    );
  });
});
