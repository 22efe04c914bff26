import { ConfigError } from '@seqgen/base';
import { tokenize13a } from '../tokenize-13a.js';

/** What {@link distinctN} counted. */
export interface DistinctScore {
  /** `unique / total` (0 when there are no n-grams). */
  ratio: number;
  /** Distinct n-grams over all texts. */
  unique: number;
  /** All n-grams over all texts. */
  total: number;
}

/**
 * distinct-n (Li et al., 2016): distinct n-grams divided by all n-grams over
 * a set of generated texts — low when replies repeat themselves or each other
 * ("I don't know" for everything). Texts are lowercased and split with the
 * 13a tokenizer, so punctuation counts as tokens; n-grams do not cross texts.
 */
export function distinctN(texts: readonly string[], n: number): DistinctScore {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError('n', `must be an integer ≥ 1, got ${n}`);
  const seen = new Set<string>();
  let total = 0;
  for (const text of texts) {
    const tokens = tokenize13a(text.toLowerCase())
      .split(' ')
      .filter((t) => t !== '');
    for (let i = 0; i + n <= tokens.length; i++) {
      seen.add(tokens.slice(i, i + n).join('\u0001'));
      total++;
    }
  }
  return { ratio: total === 0 ? 0 : seen.size / total, unique: seen.size, total };
}
