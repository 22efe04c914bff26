import fc from 'fast-check';

/** Fixed seed: property failures reproduce on every machine. */
export const PROPERTY_SEED = 20240611;

const PIECES = [
  '😀',
  '👍🏽',
  '👩‍👩‍👧',
  '🇯🇵', // astral emoji, modifiers, ZWJ sequences, flags
  'e\u0301',
  'n\u0303',
  'ạ̈', // combining marks
  '漢字',
  '한국어',
  'かな', // CJK
  '𝔘𝔫𝔦',
  '𠜎', // other astral planes
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF', // lone surrogates
  '\uFEFF',
  '\u0000',
  '\r\n',
  '\t',
  '  ',
  "'s",
  "'ll",
  '<eos>',
  '<pad',
  'eos>',
];

/**
 * Random JavaScript strings that stress tokenizers: any code point, any raw
 * UTF-16 unit (so lone and reversed surrogate halves), and hand-picked hard
 * pieces, mixed together.
 */
export const unicodeStrings = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...PIECES),
    fc.string({ unit: 'binary', maxLength: 3 }),
    fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
    fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
  ),
  maxLength: 40,
});
