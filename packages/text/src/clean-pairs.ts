import { ConfigError } from '@seqgen/base';
import { stripAccelerators } from './accelerators.js';
import { findPlaceholders, PLACEHOLDER_PATTERN } from './placeholders.js';
import type { SentencePair } from './sentence-pair.js';

/** Why {@link cleanPairs} dropped a pair. */
export type DropReason = 'empty' | 'identical' | 'format-only' | 'placeholder-mismatch' | 'too-long';

/** Options of {@link cleanPairs}. */
export interface CleanOptions {
  /** Remove keyboard-accelerator markers on both sides (`_File` → `File`). Default `true`. */
  stripAccelerators?: boolean;
  /** Collapse runs of whitespace (newlines included) to one space and trim. Default `true`. */
  collapseWhitespace?: boolean;
  /** Drop pairs with a side longer than this many UTF-16 code units (gettext's multi-paragraph `--help` texts). Default: no limit. */
  maxLength?: number;
}

/** What {@link cleanPairs} kept, and how many pairs it dropped for each reason. */
export interface CleanResult {
  /** The pairs kept, normalized, in input order. */
  pairs: SentencePair[];
  /** Pairs dropped per reason. */
  dropped: Record<DropReason, number>;
  /** Pairs whose accelerator markers were removed (kept, counted apart). */
  acceleratorsStripped: number;
}

const MARKUP = /<\/?[A-Za-z][^<>]*>|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);/g;

/**
 * Cleans parallel pairs for training, counting each drop by reason:
 * `'empty'` (a side is blank), `'identical'` (target equals source: untranslated),
 * `'format-only'` (no letters once placeholders, markup and punctuation are
 * gone: `"%s: %s"`, `"<b>%d</b>"`, `"--"`), `'placeholder-mismatch'` (the
 * printf/brace placeholders differ between the sides, compared in order unless
 * they are positional or named), `'too-long'` (over `maxLength`). Accelerator markers are removed on both
 * sides first; whitespace is collapsed. Placeholders are kept in the text.
 */
export function cleanPairs(pairs: readonly SentencePair[], options: CleanOptions = {}): CleanResult {
  const strip = options.stripAccelerators ?? true;
  const collapse = options.collapseWhitespace ?? true;
  const maxLength = options.maxLength ?? Number.POSITIVE_INFINITY;
  if (!(maxLength > 0)) throw new ConfigError('maxLength', `must be a positive number, got ${maxLength}`);
  const result: CleanResult = {
    pairs: [],
    dropped: { empty: 0, identical: 0, 'format-only': 0, 'placeholder-mismatch': 0, 'too-long': 0 },
    acceleratorsStripped: 0,
  };
  for (const pair of pairs) {
    let source = collapse ? collapseWhitespace(pair.source) : pair.source;
    let target = collapse ? collapseWhitespace(pair.target) : pair.target;
    if (strip) {
      const stripped = stripAccelerators(source, target);
      if (stripped.source !== source || stripped.target !== target) result.acceleratorsStripped++;
      ({ source, target } = stripped);
    }
    const reason: DropReason | undefined =
      source.trim() === '' || target.trim() === ''
        ? 'empty'
        : source === target
          ? 'identical'
          : isFormatOnly(source) || isFormatOnly(target)
            ? 'format-only'
            : !samePlaceholders(source, target)
              ? 'placeholder-mismatch'
              : source.length > maxLength || target.length > maxLength
                ? 'too-long'
                : undefined;
    if (reason === undefined) result.pairs.push({ source, target });
    else result.dropped[reason]++;
  }
  return result;
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** True when nothing but placeholders, markup, digits, punctuation and spaces is left. */
function isFormatOnly(text: string): boolean {
  return !/\p{L}/u.test(text.replace(PLACEHOLDER_PATTERN, '').replace(MARKUP, ''));
}

/**
 * printf's plain `%s %d` bind by position, so their order must match;
 * positional (`%1$s`), named (`%(n)s`) and brace placeholders may move, so
 * only the multiset must match.
 */
function samePlaceholders(source: string, target: string): boolean {
  const a = findPlaceholders(source);
  const b = findPlaceholders(target);
  if (a.length !== b.length) return false;
  const reorderable = (p: string) => p.startsWith('{') || p.startsWith('%(') || /^%\d+\$/.test(p);
  if (a.every(reorderable) && b.every(reorderable)) {
    return [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
  }
  return a.every((p, i) => p === b[i]);
}
