import { ShapeError } from '@seqgen/core';

/** Names of the built-in per-character text features of {@link textFeatures}. */
export const TEXT_FEATURE_NAMES = [
  'inside-quotes',
  'position-in-line',
  'bracket-depth',
  'inside-word',
  'after-vowel',
  'line-end-near',
] as const;

/** One of {@link TEXT_FEATURE_NAMES}. */
export type TextFeatureName = (typeof TEXT_FEATURE_NAMES)[number];

const OPEN_QUOTES = new Set(['"', '“']);
const CLOSE_QUOTES = new Set(['"', '”']);
const OPEN_BRACKETS = new Set(['(', '[', '{']);
const CLOSE_BRACKETS = new Set([')', ']', '}']);
const VOWELS = new Set('aeiouAEIOU');
const WORD_CHAR = /[\p{L}\p{N}'’-]/u;

/**
 * The built-in features of Karpathy, Johnson & Fei-Fei (2015), one value per
 * character of `text` (the value at character t describes the text read up
 * to and including it, as the model's state after reading it does):
 *
 * - `inside-quotes`: 1 from an opening quote (`"` or `“`) through its closing quote, else 0;
 * - `position-in-line`: characters since the last newline (0 at the newline);
 * - `bracket-depth`: open `(`, `[`, `{` not yet closed;
 * - `inside-word`: 1 on letters, digits and word-inner `'` `-`;
 * - `after-vowel`: 1 when the character is a vowel (the next one comes after it);
 * - `line-end-near`: 1 within the last 10 characters before a newline.
 *
 * Characters are code points (`Array.from(text)`), which is how character
 * tokenizers split text. An empty text is a ShapeError.
 */
export function textFeatures(text: string): Record<TextFeatureName, Float32Array> {
  if (typeof text !== 'string') throw new ShapeError('text', 'a string', typeof text, 'textFeatures');
  const chars = Array.from(text);
  const n = chars.length;
  if (n === 0) throw new ShapeError('text', 'at least one character', 'an empty string', 'textFeatures');
  const out = Object.fromEntries(TEXT_FEATURE_NAMES.map((name) => [name, new Float32Array(n)])) as Record<
    TextFeatureName,
    Float32Array
  >;
  let quoted = false;
  let column = 0;
  let depth = 0;
  for (let t = 0; t < n; t++) {
    const ch = chars[t] as string;
    // A plain `"` toggles; curly quotes say which side they are.
    if (quoted && CLOSE_QUOTES.has(ch)) {
      out['inside-quotes'][t] = 1;
      quoted = false;
    } else if (!quoted && OPEN_QUOTES.has(ch)) {
      quoted = true;
      out['inside-quotes'][t] = 1;
    } else out['inside-quotes'][t] = quoted ? 1 : 0;
    column = ch === '\n' ? 0 : column + 1;
    out['position-in-line'][t] = column;
    if (OPEN_BRACKETS.has(ch)) depth++;
    out['bracket-depth'][t] = depth;
    if (CLOSE_BRACKETS.has(ch) && depth > 0) depth--;
    out['inside-word'][t] = WORD_CHAR.test(ch) ? 1 : 0;
    out['after-vowel'][t] = VOWELS.has(ch) ? 1 : 0;
  }
  let untilNewline = Number.POSITIVE_INFINITY;
  for (let t = n - 1; t >= 0; t--) {
    untilNewline = chars[t] === '\n' ? 0 : untilNewline + 1;
    out['line-end-near'][t] = untilNewline > 0 && untilNewline <= 10 ? 1 : 0;
  }
  return out;
}
