import { ConfigError, TokenizerError } from '@seqgen/base';
import { PROPERTY_SEED, unicodeStrings } from '@seqgen/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteBpeTokenizer } from './byte-bpe-tokenizer.js';
import {
  compileSplitPattern,
  GPT2_PATTERN,
  RE2_WINDOW,
  regexSplit,
  type SplitPattern,
  toRe2Syntax,
  WHITESPACE_PATTERN,
  WHITESPACE_PUNCTUATION_PATTERN,
} from './regex-split.js';
import { tokenizerFromJSON } from './tokenizer-from-json.js';
import { WordTokenizer } from './word-tokenizer.js';

/** The pattern and input of the issue: a backtracking engine needs ~2^34 steps for it. */
const HOSTILE = '(a+)+$|\\S';
const HOSTILE_INPUT = `${'a'.repeat(34)}!`;

const wordJson = (pattern: string) => ({
  ...new WordTokenizer(['a', '!'], { separator: '' }).toJSON(),
  preTokenizer: { type: 'regex', pattern },
});
const bpeJson = (pattern: string) => ({ ...new ByteBpeTokenizer([]).toJSON(), pattern });

function matches(pattern: SplitPattern, text: string): [number, number][] {
  const out: [number, number][] = [];
  pattern.forEachMatch(text, (s, e) => out.push([s, e]));
  return out;
}

function nativeMatches(source: string, text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(new RegExp(source, 'gu'))) {
    if (m[0].length > 0) out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/** Median milliseconds of `runs` calls. */
function medianMs(fn: () => void, runs = 5): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[runs >> 1]!;
}

/**
 * Splitting time of `input(n)` for n and 2n (after a warm-up): a linear
 * splitter takes about twice as long, a quadratic one four times, a
 * backtracking one on a catastrophic pattern never finishes. Bound: 3.2,
 * generous for timer noise on a shared machine, well under quadratic's 4.
 */
function expectLinear(pattern: SplitPattern, input: (n: number) => string, n: number): void {
  expectLinearWork(pattern.source, (text) => regexSplit(text, pattern, () => {}), input, n);
}

function expectLinearWork(name: string, work: (text: string) => void, input: (n: number) => string, n: number): void {
  const split = (text: string) => () => work(text);
  split(input(n))();
  // Best of three ratio measurements, each a median of five: a stalled CPU slows one, not all three.
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3 && best >= 3.2; attempt++) {
    const small = medianMs(split(input(n)));
    const large = medianMs(split(input(2 * n)));
    best = Math.min(best, large / Math.max(small, 0.05));
  }
  expect(best, `${name}: time(2n)/time(n)`).toBeLessThan(3.2);
}

describe('catastrophic patterns from files', () => {
  it('a word tokenizer with (a+)+$|\\S splits a×34+! at once, with the right words', () => {
    const tok = WordTokenizer.fromJSON(wordJson(HOSTILE));
    const start = performance.now();
    const ids = tok.encode(HOSTILE_INPUT);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(ids.map((id) => tok.idToToken(id)).join('')).toBe(HOSTILE_INPUT);
    expect(ids).toHaveLength(35);
    // Also when the file is read through the generic entry point (as a checkpoint's preprocessor is).
    expect(tokenizerFromJSON<WordTokenizer>(JSON.stringify(wordJson(HOSTILE))).encode(HOSTILE_INPUT)).toEqual(ids);
  });

  it('a byte-BPE tokenizer with (a+)+$|\\S splits a×34+! at once and round-trips', () => {
    const tok = ByteBpeTokenizer.fromJSON(bpeJson(HOSTILE));
    const start = performance.now();
    const ids = tok.encode(HOSTILE_INPUT);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(ids).toHaveLength(35);
    expect(tok.decode(ids)).toBe(HOSTILE_INPUT);
    expect(tokenizerFromJSON<ByteBpeTokenizer>(bpeJson(HOSTILE)).encode(HOSTILE_INPUT)).toEqual(ids);
  });

  it('training with a hostile pattern finishes too', () => {
    const text = `${'a'.repeat(2000)}! `.repeat(3);
    const tok = ByteBpeTokenizer.train(text, { vocabSize: 270, pattern: HOSTILE });
    expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('file patterns run on RE2; only the vetted built-in strings run natively', () => {
    expect(compileSplitPattern(GPT2_PATTERN, 'p').engine).toBe('native');
    expect(compileSplitPattern(WHITESPACE_PATTERN, 'p').engine).toBe('native');
    expect(compileSplitPattern(WHITESPACE_PUNCTUATION_PATTERN, 'p').engine).toBe('native');
    expect(compileSplitPattern(HOSTILE, 'p').engine).toBe('re2');
    // One character off a vetted string is not vetted: RE2 then refuses GPT-2's lookahead.
    expect(() => compileSplitPattern(`${GPT2_PATTERN} `, 'p')).toThrow(ConfigError);
    expect(compileSplitPattern('\\w+|\\W', 'p').engine).toBe('re2');
    expect(ByteBpeTokenizer.fromJSON(bpeJson(GPT2_PATTERN)).pattern).toBe(GPT2_PATTERN);
  });

  it('a pattern RE2 cannot run is a corrupt file naming the field', () => {
    // Lookahead, lookbehind, backreference, unbalanced, and too large.
    for (const pattern of ['\\s+(?!\\S)', '(?<=a)b', '(a)\\1', '(', 'a{1000}{1000}', 'a'.repeat(5000)]) {
      const word = () => WordTokenizer.fromJSON(wordJson(pattern));
      expect(word).toThrow(TokenizerError);
      expect(word).toThrow(/^word tokenizer JSON: preTokenizer\.pattern: /);
      expect(() => tokenizerFromJSON(wordJson(pattern))).toThrow(/preTokenizer\.pattern/);
      const bpe = () => ByteBpeTokenizer.fromJSON(bpeJson(pattern));
      expect(bpe).toThrow(TokenizerError);
      expect(bpe).toThrow(/^byte-bpe tokenizer JSON: pattern: /);
      try {
        bpe();
      } catch (error) {
        expect((error as TokenizerError).reason).toBe('corrupt');
      }
    }
    // Given in code, the same pattern is the caller's config mistake.
    expect(() => new ByteBpeTokenizer([], { pattern: '\\s+(?!\\S)' })).toThrow(ConfigError);
    expect(() => new ByteBpeTokenizer([], { pattern: '\\s+(?!\\S)' })).toThrow(/pattern: .*lookaround/);
  });
});

describe('no input makes splitting super-linear', () => {
  const hostile: [string, (n: number) => string][] = [
    [HOSTILE, (n) => `${'a'.repeat(n)}!`],
    ['(a|aa)*b|\\S', (n) => 'a'.repeat(n)],
    ['a*b|a', (n) => 'a'.repeat(n)],
    ['(\\w+\\s?)*$|.', (n) => `${'ab '.repeat(n / 3)}!`],
    ['(?:x+x+)+y|[a-z]', (n) => 'x'.repeat(n)],
  ];
  for (const [source, input] of hostile) {
    it(`RE2 pattern ${source}`, () => {
      const pattern = compileSplitPattern(source, 'p');
      expect(pattern.engine).toBe('re2');
      expectLinear(pattern, input, 2000);
    });
  }

  it('whole tokenizers loaded with the hostile pattern encode in linear time', () => {
    const word = WordTokenizer.fromJSON(wordJson(HOSTILE));
    const bpe = ByteBpeTokenizer.fromJSON(bpeJson(HOSTILE));
    const input = (n: number) => `${'a'.repeat(n)}!`;
    expectLinearWork('word encode', (text) => word.encode(text), input, 2000);
    expectLinearWork('byte-bpe encode', (text) => bpe.encode(text), input, 2000);
  });

  // The vetted patterns run on the backtracking engine: their worst inputs must stay linear too.
  const vetted: [string, string, (n: number) => string][] = [
    ['GPT-2, whitespace runs', GPT2_PATTERN, (n) => `${' '.repeat(n)}a`],
    ['GPT-2, letters', GPT2_PATTERN, (n) => 'a'.repeat(n)],
    ['GPT-2, punctuation', GPT2_PATTERN, (n) => '!'.repeat(n)],
    ['GPT-2, mixed', GPT2_PATTERN, (n) => " 'a 1 \t\n".repeat(n / 8)],
    ['whitespace-punctuation, apostrophes', WHITESPACE_PUNCTUATION_PATTERN, (n) => "a'".repeat(n / 2)],
    ['whitespace-punctuation, letters', WHITESPACE_PUNCTUATION_PATTERN, (n) => `${'a'.repeat(n)}'`],
    ['whitespace', WHITESPACE_PATTERN, (n) => 'a '.repeat(n / 2)],
  ];
  for (const [name, source, input] of vetted) {
    it(`vetted ${name}`, () => expectLinear(compileSplitPattern(source, 'p'), input, 100_000));
  }
});

describe('the RE2 engine keeps JavaScript meaning', () => {
  it('\\p{L} and \\p{N} work, with astral characters and lone surrogates', () => {
    const p = compileSplitPattern('\\p{L}+|\\p{N}+', 'p');
    const text = 'héllo wörld 42 ٣٤ 😀 𝒜𝒷 \uD800x';
    expect(matches(p, text)).toEqual(nativeMatches('\\p{L}+|\\p{N}+', text));
    expect(matches(p, text).map(([s, e]) => text.slice(s, e))).toEqual(['héllo', 'wörld', '42', '٣٤', '𝒜𝒷', 'x']);
  });

  it('agrees with the native engine on random Unicode for patterns both can run', () => {
    const sources = [
      GPT2_PATTERN.replace('|\\s+(?!\\S)', ''),
      "[\\p{L}\\p{N}]+(?:['’][\\p{L}\\p{N}\\p{M}]+)*|[^\\s\\p{L}\\p{N}\\p{M}]",
      '\\w+|\\W',
      '\\S+|\\s',
      '.',
      '[^]',
      '[^\\S\\n]+|[\\S]',
      '\\u00e9|\\u{1F600}|[\\u0041-\\u005A]+',
    ];
    const compiled = sources.map((s) => [s, compileSplitPattern(s, 'p')] as const);
    for (const [, p] of compiled) expect(p.engine).toBe('re2');
    const texts = fc.oneof(
      unicodeStrings,
      fc.string({
        unit: fc.constantFrom(' ', '\u00a0', '\u3000', '\n', '\r', '\u2028', 'a', 'É', '1', "'", '!', '😀'),
      }),
    );
    fc.assert(
      fc.property(texts, (text) => {
        fc.pre(text.length < RE2_WINDOW / 2);
        for (const [source, p] of compiled) expect(matches(p, text), source).toEqual(nativeMatches(source, text));
      }),
      { seed: PROPERTY_SEED, numRuns: 300 },
    );
  });

  it('rewrites only what differs', () => {
    expect(toRe2Syntax('a\\.b')).toBe('a\\.b');
    expect(toRe2Syntax('[a.]')).toBe('[a.]');
    expect(toRe2Syntax('\\\\s')).toBe('\\\\s');
  });

  it('a match is at most one window long; the pieces still rebuild the text', () => {
    const p = compileSplitPattern('[a-z]+', 'p');
    const text = `${'a'.repeat(RE2_WINDOW * 2 + 10)} b`;
    const pieces: string[] = [];
    regexSplit(text, p, (piece) => pieces.push(piece));
    expect(pieces.join('')).toBe(text);
    expect(pieces.slice(0, 3).map((x) => x.length)).toEqual([RE2_WINDOW, RE2_WINDOW, 10]);
  });
});
