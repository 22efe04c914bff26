import { PROPERTY_SEED, readMobyDick, unicodeStrings } from '@seqgen/test-utils';
import fc from 'fast-check';
import r50kRanks from 'gpt-tokenizer/bpeRanks/r50k_base';
import { encode as referenceEncode, encodeGenerator as referencePieces } from 'gpt-tokenizer/encoding/r50k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Merge } from './bpe-merges.js';
import { ByteBpeTokenizer, GPT2_PATTERN } from './byte-bpe-tokenizer.js';
import { compileSplitPattern, regexSplit } from './regex-split.js';

// GPT-2's pre-tokenization and byte-level BPE against gpt-tokenizer (a reference implementation
// whose r50k_base vocabulary is GPT-2's, shipped with the package): piece by piece on real text
// and on hard Unicode, then token by token with GPT-2's own vocabulary loaded into ByteBpeTokenizer.

const defaultPattern = new ByteBpeTokenizer([]).pattern;

/** The bytes of each GPT-2 token, by rank (gpt-tokenizer stores UTF-8-decodable ones as strings). */
const bytesOfRank = (r50kRanks as (string | number[])[]).map((t) =>
  typeof t === 'string' ? new TextEncoder().encode(t) : Uint8Array.from(t),
);

/** The pieces ByteBpeTokenizer's encoder cuts `text` into (its own pattern, its own splitting loop). */
function ourPieces(text: string, pattern = defaultPattern): string[] {
  const pieces: string[] = [];
  regexSplit(text, compileSplitPattern(pattern, 'pattern'), (piece, _start, matched) => {
    // GPT-2's pattern matches everything: a gap would be text the encoder handles unlike GPT-2.
    pieces.push(matched ? piece : `<gap ${JSON.stringify(piece)}>`);
  });
  return pieces;
}

/** gpt-tokenizer's pieces: one yield of its encoder per regex match, decoded back to text. */
function theirPieces(text: string): string[] {
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true }); // keep a leading U+FEFF
  const pieces: string[] = [];
  for (const ranks of referencePieces(text)) {
    pieces.push(utf8.decode(Uint8Array.from(ranks.flatMap((r) => Array.from(bytesOfRank[r]!)))));
  }
  return pieces;
}

/** Equal sequences; on a difference, shows the region around the first one rather than a huge diff. */
function expectSameSequence<T>(ours: readonly T[], theirs: readonly T[], what: string): void {
  let i = 0;
  while (i < ours.length && i < theirs.length && ours[i] === theirs[i]) i++;
  if (i < ours.length || i < theirs.length) {
    expect(ours.slice(Math.max(0, i - 5), i + 5), `${what} differ from index ${i}`).toEqual(
      theirs.slice(Math.max(0, i - 5), i + 5),
    );
  }
  expect(ours.length, `${what} count`).toBe(theirs.length);
}

/** What UTF-8 (and so gpt-tokenizer) makes of lone surrogates: U+FFFD. WTF-8 keeps them. */
const wellFormed = (s: string) =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** Whitespace runs, contractions, numbers, punctuation runs, non-Latin letters, marks, digits of other scripts. */
const tricky = [
  "I'm sure you'll see: they've said it's what we'd do, don't you?",
  "SHOUTING'S fine, 'tis 'twas O'Neil's",
  'Numbers 1234567 and 3.14159, ١٢٣ and ४२ and Ⅻ and ½',
  'Tabs\tand\t\tnewlines\n\n\nand   spaces   \n  before \r\n lines',
  'trailing spaces   ',
  '   leading spaces',
  '...!!! ??? --- *** ___ (parens) [brackets] {braces}',
  'naïve café e\u0301 n\u0303 ạ̈ combining',
  '漢字かなカナ한국어 Ελληνικά русский עברית العربية हिन्दी',
  '😀👍🏽 👩‍👩‍👧🇯🇵 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎',
  '\u00a0non-breaking\u2003em\u3000ideographic\u200bzero-width\ufeffbom',
  '\u0000\u0001\u007f control',
  'x\u2028y\u2029z',
];

describe('GPT-2 pre-tokenization against gpt-tokenizer (r50k_base)', () => {
  it('uses GPT-2 pattern by default', () => {
    expect(defaultPattern).toBe(GPT2_PATTERN);
  });

  it('cuts Moby-Dick into the same pieces', () => {
    const text = readMobyDick();
    const ours = ourPieces(text);
    const theirs = theirPieces(text);
    expect(ours.length).toBeGreaterThan(250_000);
    expectSameSequence(ours, theirs, 'pieces');
    expect(ours.join('')).toBe(text);
  });

  it('cuts hand-picked tricky text into the same pieces', () => {
    for (const text of tricky) expect(ourPieces(text), JSON.stringify(text)).toEqual(theirPieces(text));
    // The comparison has teeth: without GPT-2's `\s+(?!\S)` (whitespace leaves its last space to the
    // next word) the pieces differ.
    const without = GPT2_PATTERN.replace('|\\s+(?!\\S)', '');
    expect(without).not.toBe(GPT2_PATTERN);
    expect(ourPieces(tricky[3]!, without)).not.toEqual(theirPieces(tricky[3]!));
  });

  it('cuts random hard Unicode into the same pieces (lone surrogates read as U+FFFD by the reference)', () => {
    fc.assert(
      fc.property(unicodeStrings, (text) => {
        expect(ourPieces(text).map(wellFormed)).toEqual(theirPieces(text));
      }),
      { seed: PROPERTY_SEED, numRuns: 500 },
    );
  });
});

describe('GPT-2 byte-level BPE with the GPT-2 vocabulary against gpt-tokenizer', () => {
  let tokenizer: ByteBpeTokenizer;
  /** Our id of each GPT-2 rank. */
  let idOfRank: Int32Array;
  const specials = ['<|endoftext|>'];

  beforeAll(() => {
    // Rebuild GPT-2's merges from its ranks: a token's merge is the last step of BPE on its bytes
    // using only lower ranks (every token of rank ≥ 256 ends as exactly two earlier tokens).
    const bytesOf = bytesOfRank;
    const ranks = bytesOf;
    const key = (b: ArrayLike<number>) => String.fromCharCode(...Array.from(b));
    const rankOf = new Map(bytesOf.map((b, r) => [key(b), r]));
    idOfRank = new Int32Array(ranks.length);
    const symbolOfRank = (r: number) => (r < 256 ? bytesOf[r]![0]! : r);
    const merges: Merge[] = [];
    const unsplittable: number[] = [];
    for (let r = 0; r < ranks.length; r++) {
      const bytes = bytesOf[r]!;
      if (r < 256) {
        if (bytes.length !== 1) unsplittable.push(r);
        idOfRank[r] = specials.length + bytes[0]!;
        continue;
      }
      let parts = Array.from(bytes, (b) => String.fromCharCode(b));
      while (parts.length > 2) {
        let best = -1;
        let bestRank = r;
        for (let i = 0; i + 1 < parts.length; i++) {
          const m = rankOf.get(parts[i]! + parts[i + 1]!);
          if (m !== undefined && m < bestRank) [best, bestRank] = [i, m];
        }
        if (best < 0) break;
        parts = [...parts.slice(0, best), parts[best]! + parts[best + 1]!, ...parts.slice(best + 2)];
      }
      if (parts.length !== 2) unsplittable.push(r);
      merges.push([symbolOfRank(rankOf.get(parts[0]!)!), symbolOfRank(rankOf.get(parts[1]!)!)]);
      idOfRank[r] = specials.length + r;
    }
    expect(unsplittable).toEqual([]);
    expect(merges).toHaveLength(50_000);
    tokenizer = new ByteBpeTokenizer(merges, { specialTokens: specials });
    expect(tokenizer.vocabSize).toBe(50_257);
  });

  const reference = (text: string) => referenceEncode(text).map((r) => idOfRank[r]!);

  it('encodes a stretch of Moby-Dick to exactly GPT-2 tokens', () => {
    const text = readMobyDick().slice(100_000, 300_000);
    const ours = tokenizer.encode(text);
    const theirs = reference(text);
    expect(ours.length).toBeGreaterThan(40_000);
    expectSameSequence(ours, theirs, 'tokens');
    expect(tokenizer.decode(ours)).toBe(text);
  });

  it('encodes tricky text and random well-formed Unicode to exactly GPT-2 tokens', () => {
    for (const text of tricky) expect(tokenizer.encode(text), JSON.stringify(text)).toEqual(reference(text));
    fc.assert(
      fc.property(unicodeStrings, (raw) => {
        // Lone surrogates are WTF-8 here and U+FFFD there; special-token text is split out only here.
        const text = wellFormed(raw);
        fc.pre(!text.includes('<|endoftext|>'));
        expect(tokenizer.encode(text)).toEqual(reference(text));
      }),
      { seed: PROPERTY_SEED, numRuns: 300 },
    );
  });
});
