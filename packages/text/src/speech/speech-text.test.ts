import { ConfigError, ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { normalizeForSpeech } from './normalize-for-speech.js';
import { numberWords, ordinalWords } from './number-words.js';
import { splitSentences } from './split-sentences.js';

describe('numberWords / ordinalWords', () => {
  it('spells cardinals the way they are read', () => {
    expect(numberWords(0)).toBe('zero');
    expect(numberWords(13)).toBe('thirteen');
    expect(numberWords(42)).toBe('forty-two');
    expect(numberWords(1905)).toBe('one thousand nine hundred five');
    expect(numberWords(2_000_017)).toBe('two million seventeen');
  });
  it('spells ordinals', () => {
    expect(ordinalWords(1)).toBe('first');
    expect(ordinalWords(12)).toBe('twelfth');
    expect(ordinalWords(21)).toBe('twenty-first');
    expect(ordinalWords(40)).toBe('fortieth');
    expect(ordinalWords(103)).toBe('one hundred third');
  });
  it('refuses what it cannot spell with a ConfigError', () => {
    expect(() => numberWords(-1)).toThrow(ConfigError);
    expect(() => numberWords(1.5)).toThrow(/integer/);
    expect(() => numberWords(1e16)).toThrow(ConfigError);
  });
});

describe('splitSentences', () => {
  it('splits at sentence ends but not after abbreviations, initials or decimals', () => {
    expect(splitSentences('Call me Ishmael. Dr. Smith paid $3.50 to J. Doe! Why? "Go," he said.')).toEqual([
      'Call me Ishmael.',
      'Dr. Smith paid $3.50 to J. Doe!',
      'Why?',
      '"Go," he said.',
    ]);
  });
  it('ends a sentence at a blank line and gives nothing for blank text', () => {
    expect(splitSentences('a heading\n\nThe text\nruns on.')).toEqual(['a heading', 'The text runs on.']);
    expect(splitSentences(' \n\t ')).toEqual([]);
  });
});

describe('normalizeForSpeech', () => {
  it('spells numbers, money, ordinals, decimals and percentages', () => {
    expect(normalizeForSpeech('In 1851, 3 ships; the 21st paid $3.50 for 12.5% of 1,200 barrels.')).toBe(
      'in one thousand eight hundred fifty one, three ships, the twenty first paid three dollars and fifty cents for twelve point five percent of one thousand two hundred barrels.',
    );
  });
  it('expands abbreviations and symbols, folds accents and case, drops quotes and brackets', () => {
    expect(normalizeForSpeech('“Mr. Starbuck & Dr. Bunger” (at No. 7) — café!')).toBe(
      'mister starbuck and doctor bunger, at number seven, cafe!',
    );
  });
  it('keeps letters of other scripts for the symbol table to refuse, and gives "" for blank text', () => {
    expect(normalizeForSpeech('Ahab 船长')).toBe('ahab 船长');
    expect(normalizeForSpeech('  ... ')).toBe('');
  });
  it('reads digit runs too long for a number digit by digit', () => {
    expect(normalizeForSpeech('code 0042 and 12345678901234567')).toBe(
      'code zero zero four two and one two three four five six seven eight nine zero one two three four five six seven',
    );
  });
  it('names a non-string input in a ShapeError', () => {
    expect(() => normalizeForSpeech(undefined as unknown as string)).toThrow(ShapeError);
  });
});
