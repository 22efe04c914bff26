import { ConfigError, TokenizerError } from '@seqgen/base';
import { PROPERTY_SEED, readMobyDick, unicodeStrings } from '@seqgen/test-utils';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteBpeTokenizer } from './byte-bpe-tokenizer.js';
import { decodeWtf8 } from './wtf8.js';

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

describe('ByteBpeTokenizer on Moby-Dick', () => {
  let book: string;
  let bpe: ByteBpeTokenizer;
  beforeAll(() => {
    book = readMobyDick();
    bpe = ByteBpeTokenizer.train(book.slice(0, 200_000), { vocabSize: 2000 });
  });

  it('trains to the target vocabulary size', () => {
    expect(book.length).toBeGreaterThan(1_000_000);
    expect(bpe.vocabSize).toBe(2000);
    expect(bpe.merges).toHaveLength(2000 - 4 - 256);
    // The most frequent English words become single tokens, with GPT-2's "Ġ" for the leading space.
    for (const word of [' the', ' and', ' whale']) expect(bpe.encode(word)).toHaveLength(1);
    expect(bpe.idToToken(bpe.encode(' the')[0]!)).toBe('Ġthe');
  });

  it('compresses text it was not trained on and round-trips the whole book', () => {
    const heldOut = book.slice(600_000, 800_000);
    const ratio = utf8Length(heldOut) / bpe.encode(heldOut).length;
    // Measured 2.91 bytes per token on this held-out slice (3.10 on the training slice).
    expect(ratio).toBeGreaterThan(2.8);
    expect(ratio).toBeLessThan(3.1);
    const ids = bpe.encode(book);
    expect(bpe.decode(ids)).toBe(book);
    // Trained on a sixth of the book, it still needs about a third of a token per byte on all of it (measured 0.342).
    expect(ids.length / utf8Length(book)).toBeLessThan(0.35);
  });

  it('is deterministic and survives a JSON round trip with identical encodings', () => {
    const again = ByteBpeTokenizer.train(book.slice(0, 200_000), { vocabSize: 2000 });
    expect(again.merges).toEqual(bpe.merges);
    const loaded = ByteBpeTokenizer.fromJSON(JSON.stringify(bpe));
    const sample = book.slice(900_000, 950_000);
    expect(loaded.encode(sample)).toEqual(bpe.encode(sample));
    expect(loaded.toJSON()).toEqual(bpe.toJSON());
  });

  it('round-trips random Unicode strings (property, fixed seed)', () => {
    fc.assert(
      fc.property(unicodeStrings, (s) => bpe.decode(bpe.encode(s)) === s),
      { seed: PROPERTY_SEED, numRuns: 2000 },
    );
  });
});

describe('ByteBpeTokenizer', () => {
  const small = ByteBpeTokenizer.train('low lower lowest low low newer newest new', { vocabSize: 4 + 256 + 10 });

  it('starts from 256 byte symbols after the special tokens', () => {
    const empty = new ByteBpeTokenizer([]);
    expect(empty.vocabSize).toBe(260);
    expect(empty.encode('aé')).toEqual([4 + 0x61, 4 + 0xc3, 4 + 0xa9]);
    expect(empty.idToToken(4 + 0x20)).toBe('Ġ');
    expect(empty.tokenToId('Ġ')).toBe(4 + 0x20);
  });

  it('learns merges greedily by frequency and applies them by rank', () => {
    expect(small.idToToken(260)).toBe('lo');
    expect(small.encode(' lowest').map((id) => small.idToToken(id))).toEqual(['Ġlow', 'est']);
  });

  it('encodes lone surrogates with their WTF-8 bytes', () => {
    const empty = new ByteBpeTokenizer([], { specialTokens: [] });
    expect(empty.encode('\uD800')).toEqual([0xed, 0xa0, 0x80]);
    expect(empty.decode([0xed, 0xa0, 0x80])).toBe('\uD800');
    // A byte sequence encode never writes decodes to U+FFFD rather than failing.
    expect(empty.decode([0xff])).toBe('\uFFFD');
  });

  it('never splits special tokens and never learns them as text', () => {
    const tok = ByteBpeTokenizer.train('a<eos>b<eos>a<eos>b<eos>', {
      vocabSize: 300,
      specialTokens: ['<eos>', '<|end|>'],
    });
    expect(tok.encode('x<eos>y<|end|>')).toEqual([2 + 0x78, 0, 2 + 0x79, 1]);
    expect(tok.decode(tok.encode('x<eos>y<|end|>'))).toBe('x<eos>y<|end|>');
    for (let id = 2; id < tok.vocabSize; id++) expect(tok.idToToken(id)).not.toContain('eos');
  });

  it('validates its options', () => {
    expect(() => ByteBpeTokenizer.train('abc', { vocabSize: 100 })).toThrow(ConfigError);
    expect(() => ByteBpeTokenizer.train('abc', { vocabSize: 300, pattern: '(' })).toThrow(/pattern: not a valid/);
  });

  it('stops early when no pair is frequent enough', () => {
    expect(ByteBpeTokenizer.train('abcd', { vocabSize: 1000 }).vocabSize).toBe(260);
  });

  it('rejects corrupt or mismatched JSON naming what is wrong', () => {
    const good = small.toJSON();
    const fail = (json: unknown): TokenizerError => {
      try {
        ByteBpeTokenizer.fromJSON(json);
      } catch (e) {
        return e as TokenizerError;
      }
      throw new Error('expected fromJSON to throw');
    };
    expect(fail({ ...good, version: 0 }).reason).toBe('version-mismatch');
    const unknown = fail({
      ...good,
      merges: [
        ['l', 'o'],
        ['lo', 'zz'],
      ],
    });
    expect([unknown.reason, unknown.message]).toEqual([
      'corrupt',
      'byte-bpe tokenizer JSON: merges[1] references unknown symbol "zz"',
    ]);
    const dup = fail({
      ...good,
      merges: [
        ['l', 'o'],
        ['l', 'o'],
      ],
    });
    expect(dup.message).toBe('byte-bpe merges[1]: duplicate vocab entry "lo" (already symbol 256)');
    expect(fail({ ...good, merges: [['l']] }).message).toMatch(/merges\[0\] must be a pair of token strings/);
    expect(fail({ ...good, merges: {} }).reason).toBe('corrupt');
    expect(fail({ ...good, pattern: 5 }).message).toBe(
      'byte-bpe tokenizer JSON: pattern must be a string, got number 5',
    );
    expect(fail({ ...good, pattern: '[' }).message).toMatch(/corrupt|not a valid regular expression/);
    expect(fail({ ...good, specialTokens: ['a', 'a'] }).message).toMatch(/listed twice/);
    expect(fail({ ...good, type: 'char' }).message).toBe('tokenizer JSON: type must be "byte-bpe", got "char"');
  });

  it('keeps long pre-tokens linear (heap merger, no quadratic blow-up)', () => {
    const tok = ByteBpeTokenizer.train('-- -- ---- ---- --------', { vocabSize: 263 });
    // Count the merge-rank lookups encode does (its work: every candidate pair is looked up), not wall time.
    const counting = new CountingMap((tok as unknown as { ranks: Map<number, number> }).ranks);
    (tok as unknown as { ranks: Map<number, number> }).ranks = counting;
    const lookups = (n: number): number => {
      const dashes = '-'.repeat(n);
      const before = counting.gets;
      const ids = tok.encode(dashes);
      const used = counting.gets - before;
      expect(tok.decode(ids)).toBe(dashes);
      // Every token is the longest dash run learned.
      expect(new Set(ids).size).toBe(1);
      expect(ids.length).toBe(n / tok.idToToken(ids[0]!)!.length);
      return used;
    };
    const small = lookups(20_000);
    const large = lookups(200_000);
    // Each of the n − 1 starting pairs is looked up at least once, and a merge adds O(1) lookups…
    expect(large).toBeGreaterThanOrEqual(200_000 - 1);
    expect(large).toBeLessThan(5 * 200_000);
    // …so ten times the input costs about ten times the work (a rescan per merge would cost ~100 times).
    expect(large / small).toBeGreaterThan(9);
    expect(large / small).toBeLessThan(11);
  });
});

/** A rank map that counts its lookups. */
class CountingMap extends Map<number, number> {
  gets = 0;
  override get(key: number): number | undefined {
    this.gets++;
    return super.get(key);
  }
}

describe('ByteBpeTokenizer.decode of any id sequence', () => {
  // Tokens that are whole characters decode from their precomputed text and the others (parts of characters,
  // lone bytes, surrogate forms) through their bytes: together they must give what decoding all bytes at once gives.
  const text = 'naïve café — “quoted” 🐋🐋 日本語 \uD800x \uDC00y naïve café — 🐋 日本';
  const tok = ByteBpeTokenizer.train(text, {
    vocabSize: 4 + 256 + 40,
    specialTokens: ['<pad>', '<unk>', '<bos>', '<eos>'],
  });
  const byBytes = (ids: number[]) => {
    const bytes = ids.flatMap((id) => [...tok.tokenBytes(id)!]);
    return decodeWtf8(Uint8Array.from(bytes));
  };

  it('has merged tokens that are parts of characters, so that both paths run', () => {
    const partial = [...Array(tok.merges.length).keys()]
      .map((r) => tok.tokenBytes(4 + 256 + r)!)
      .filter((bytes) => new TextDecoder().decode(bytes).includes('\uFFFD'));
    expect(partial.length).toBeGreaterThan(0);
  });

  it('equals decoding the joined bytes of the ids (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 4, max: tok.vocabSize - 1 }), { maxLength: 40 }), (ids) => {
        expect(tok.decode(ids)).toBe(byBytes(ids));
      }),
      { seed: PROPERTY_SEED, numRuns: 3000 },
    );
  });

  it('joins a character split over byte tokens and breaks an unfinished one before a whole token', () => {
    const bytes = new ByteBpeTokenizer([], { specialTokens: ['<eos>'] });
    const ids = (...bs: number[]) => bs.map((b) => b + 1);
    expect(bytes.decode(ids(0xe2, 0x80, 0x94, 0x61))).toBe('—a');
    expect(bytes.decode(ids(0xe2, 0x80, 0x61, 0x62))).toBe('\uFFFDab');
    expect(bytes.decode([...ids(0xe2), 0, ...ids(0x80, 0x94)])).toBe('\uFFFD<eos>\uFFFD\uFFFD');
    expect(bytes.decode(ids(0xed, 0xa0, 0x80, 0x61, 0xed, 0xb0, 0x80))).toBe('\uD800a\uDC00');
    expect(bytes.decode(ids(0xed, 0xa0, 0x61))).toBe('\uFFFD\uFFFDa');
  });

  it('still rejects ids outside the vocabulary with a TokenizerError naming the index', () => {
    expect(() => tok.decode([100, tok.vocabSize])).toThrow(
      `decode: ids[1] = ${tok.vocabSize} is not a token id in [0, ${tok.vocabSize})`,
    );
    expect(() => tok.decode([100, -1])).toThrow(TokenizerError);
  });
});
