import { assertOneOf } from '@seqgen/base';
import { normalizeSentence } from './normalize-source.js';
import type { SentencePair } from './sentence-pair.js';

/** Options of {@link dedupePairs}. */
export interface DedupeOptions {
  /**
   * `'pair'` (default): drop a pair whose normalized source and target both
   * occurred before; `'source'`: keep only the first pair of each normalized source.
   */
  by?: 'pair' | 'source';
}

/**
 * Removes repeated pairs, keeping the first occurrence and the input order.
 * Sentences compare after {@link normalizeSentence} (NFC, case, whitespace),
 * so gettext's many copies of "Cancel" → "Abbrechen" count once.
 */
export function dedupePairs<T extends SentencePair>(pairs: readonly T[], options: DedupeOptions = {}): T[] {
  const by = options.by ?? 'pair';
  assertOneOf('by', by, ['pair', 'source']);
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const pair of pairs) {
    const source = normalizeSentence(pair.source);
    const key = by === 'source' ? source : `${source}\u0000${normalizeSentence(pair.target)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(pair);
  }
  return kept;
}
