import { ConfigError, TokenizerError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import { ByteBpeTokenizer } from './byte-bpe-tokenizer.js';
import { CharTokenizer } from './char-tokenizer.js';
import { tokenizerFromJSON } from './tokenizer-from-json.js';
import { WordTokenizer } from './word-tokenizer.js';

/** The error `read()` throws, asserting that it is TokenizerError 'corrupt' and never a ConfigError. */
function corrupt(read: () => unknown): TokenizerError {
  try {
    read();
  } catch (error) {
    expect(error).not.toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(TokenizerError);
    expect((error as TokenizerError).reason).toBe('corrupt');
    return error as TokenizerError;
  }
  throw new Error('expected the JSON to be refused');
}

const char = CharTokenizer.fromText('abc').toJSON();
const word = WordTokenizer.train('the whale').toJSON();
const bpe = new ByteBpeTokenizer([]).toJSON();

// Every malformed field whose check lives in a constructor (where it is a ConfigError for callers).
const cases: [string, Record<string, unknown>, RegExp][] = [
  [
    'char: repeated special token',
    { ...char, specialTokens: ['<pad>', '<pad>'] },
    /^char tokenizer JSON: specialTokens\[1\]: "<pad>" is listed twice/,
  ],
  [
    'char: empty special token',
    { ...char, specialTokens: [''] },
    /^char tokenizer JSON: specialTokens\[0\]: expected a non-empty string/,
  ],
  [
    'char: unknown onUnknown',
    { ...char, onUnknown: 'maybe' },
    /^char tokenizer JSON: onUnknown: expected 'unk' or 'throw', got "maybe"/,
  ],
  [
    'char: unk without <unk>',
    { ...char, specialTokens: ['<pad>'], onUnknown: 'unk' },
    /^char tokenizer JSON: onUnknown: 'unk' needs "<unk>"/,
  ],
  [
    'word: repeated special token',
    { ...word, specialTokens: ['<unk>', '<unk>'] },
    /^word tokenizer JSON: specialTokens\[1\]/,
  ],
  ['word: unknown onUnknown', { ...word, onUnknown: 'skip' }, /^word tokenizer JSON: onUnknown: /],
  [
    'word: preTokenizer not an object',
    { ...word, preTokenizer: 'regex' },
    /^word tokenizer JSON: preTokenizer: expected an object/,
  ],
  [
    'word: preTokenizer type',
    { ...word, preTokenizer: { type: 'bert' } },
    /^word tokenizer JSON: preTokenizer\.type: /,
  ],
  [
    'word: empty pattern',
    { ...word, preTokenizer: { type: 'regex', pattern: '' } },
    /^word tokenizer JSON: preTokenizer\.pattern: /,
  ],
  [
    'word: bad pattern',
    { ...word, preTokenizer: { type: 'regex', pattern: '[' } },
    /^word tokenizer JSON: preTokenizer\.pattern: not a valid/,
  ],
  [
    'byte-bpe: repeated special token',
    { ...bpe, specialTokens: ['<eos>', '<eos>'] },
    /^byte-bpe tokenizer JSON: specialTokens\[1\]/,
  ],
  ['byte-bpe: empty pattern', { ...bpe, pattern: '' }, /^byte-bpe tokenizer JSON: pattern: /],
  ['byte-bpe: bad pattern', { ...bpe, pattern: '(?=x)' }, /^byte-bpe tokenizer JSON: pattern: not a valid/],
];

describe('malformed tokenizer JSON is TokenizerError corrupt naming the field, as the README says', () => {
  for (const [name, json, message] of cases) {
    it(name, () => {
      const read = {
        char: CharTokenizer.fromJSON,
        word: WordTokenizer.fromJSON,
        'byte-bpe': ByteBpeTokenizer.fromJSON,
      }[json.type as 'char' | 'word' | 'byte-bpe'];
      expect(corrupt(() => read(json)).message).toMatch(message);
      expect(corrupt(() => read(JSON.stringify(json))).message).toMatch(message);
      expect(corrupt(() => tokenizerFromJSON(json)).message).toMatch(message);
    });
  }

  it('the same mistakes in code stay ConfigError with the field', () => {
    expect(() => new CharTokenizer(['a'], { specialTokens: ['<pad>', '<pad>'] })).toThrow(ConfigError);
    expect(() => new WordTokenizer(['a'], { onUnknown: 'maybe' as 'unk' })).toThrow(ConfigError);
  });
});
