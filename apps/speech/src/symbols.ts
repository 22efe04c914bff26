import { UsageError } from '@seqgen/app-kit';
import { CharTokenizer, type SeqgenTokenizer } from '@seqgen/tokenizers';

/** What a character model reads after `normalizeForSpeech`: letters, the apostrophe, pause punctuation and space. */
export const CHARACTER_SYMBOLS = " !',.?abcdefghijklmnopqrstuvwxyz";

/** Padding only: an unknown symbol is refused by name rather than spoken as noise. */
const SPECIALS = ['<pad>'];

/** The character symbol table (id 0 is padding). */
export function characterTable(): CharTokenizer {
  return new CharTokenizer([...CHARACTER_SYMBOLS], { specialTokens: SPECIALS, onUnknown: 'throw' });
}

/** A phoneme symbol table over every character of espeak-ng's `-x` transcriptions of the training sentences. */
export function phonemeTable(transcriptions: readonly string[]): CharTokenizer {
  const chars = [...new Set(`${transcriptions.join('')} `)].sort();
  return new CharTokenizer(chars, { specialTokens: SPECIALS, onUnknown: 'throw' });
}

/** `U+8239 "船"`: a character as a person can find it. */
function describe(c: string): string {
  return `"${c}" (U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * Symbol ids of one normalized sentence; a character outside the table is a
 * UsageError naming it and the sentence (exit 2), never a crash or noise.
 */
export function encodeSymbols(table: SeqgenTokenizer, text: string, what: 'character' | 'phoneme'): number[] {
  const unknown = [...new Set([...text].filter((c) => table.tokenToId(c) === undefined || c === '<pad>'))];
  if (unknown.length > 0) {
    throw new UsageError(
      `cannot speak ${unknown.slice(0, 5).map(describe).join(', ')} in "${text.slice(0, 60)}": the model's ${what} table has no such symbol` +
        (what === 'character'
          ? ` (it reads ${CHARACTER_SYMBOLS.trim()} and space, after spelling out numbers and abbreviations)`
          : ''),
    );
  }
  return table.encode(text);
}
