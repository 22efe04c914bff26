import { ConfigError } from '@seqgen/core';
import type { LogitsProcessor } from './logits-processor.js';

/** Distinct ids, in order of first occurrence, that would complete an n-gram already present in `sequence` (prompt included). */
export function bannedNgramContinuations(sequence: readonly number[], n: number): number[] {
  if (n < 1 || sequence.length < n - 1) return [];
  const prefixStart = sequence.length - (n - 1);
  const banned = new Set<number>();
  // Every earlier n-gram whose first n-1 tokens equal the current last n-1 tokens bans its last token.
  for (let start = 0; start + n <= sequence.length; start++) {
    let match = true;
    for (let j = 0; j < n - 1 && match; j++) match = sequence[start + j] === sequence[prefixStart + j];
    if (match) banned.add(sequence[start + n - 1] as number);
  }
  return [...banned];
}

/** Forbids any token that would repeat an n-gram of size `n` (0 disables it). */
export function noRepeatNgramProcessor(n: number): LogitsProcessor {
  if (!Number.isInteger(n) || n < 0) throw new ConfigError('noRepeatNgramSize', `must be an integer ≥ 0, got ${n}`);
  return {
    name: 'no-repeat-ngram',
    process(logits, { sequence }) {
      for (const id of bannedNgramContinuations(sequence, n)) {
        if (id < logits.length) logits[id] = Number.NEGATIVE_INFINITY;
      }
    },
  };
}
