import { ConfigError } from '@seqgen/core/errors';

/** Compiles a user pattern with the flags splitting needs: global, and Unicode so that `\p{..}` and astral characters work. */
export function compileSplitPattern(pattern: string, field: string): RegExp {
  try {
    return new RegExp(pattern, 'gu');
  } catch (error) {
    throw new ConfigError(field, `not a valid regular expression: ${(error as Error).message}`);
  }
}

/**
 * Walks `text` with a global regex and reports every match and every gap
 * between matches, so that the pieces always concatenate back to `text`.
 * Empty matches are skipped (they would loop forever and carry no text).
 */
export function regexSplit(
  text: string,
  regex: RegExp,
  onPiece: (piece: string, start: number, matched: boolean) => void,
): void {
  regex.lastIndex = 0;
  let last = 0;
  while (last < text.length) {
    const m = regex.exec(text);
    if (m === null) break;
    const piece = m[0];
    if (piece.length === 0) {
      regex.lastIndex = m.index + 1;
      continue;
    }
    if (m.index > last) onPiece(text.slice(last, m.index), last, false);
    onPiece(piece, m.index, true);
    last = m.index + piece.length;
  }
  if (last < text.length) onPiece(text.slice(last), last, false);
}
