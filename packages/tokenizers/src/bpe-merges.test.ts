import { describe, expect, it } from 'vitest';
import { applyMerges, rankMerges } from './bpe-merges.js';

const a = 0x61;
const b = 0x62;

describe('applyMerges', () => {
  it('merges the lowest rank first and overlapping pairs leftmost first', () => {
    // rank 0: a+a → 256, rank 1: 256+256 → 257
    const ranks = rankMerges([
      [a, a],
      [256, 256],
    ]);
    expect(applyMerges(Uint8Array.of(a, a, a), ranks, 0)).toEqual([256, a]);
    expect(applyMerges(Uint8Array.of(a, a, a, a), ranks, 0)).toEqual([257]);
    expect(applyMerges(Uint8Array.of(a, a, a, a, a), ranks, 10)).toEqual([267, a + 10]);
  });

  it('prefers a lower rank even when it appears later in the word', () => {
    const ranks = rankMerges([
      [b, a],
      [a, b],
    ]);
    expect(applyMerges(Uint8Array.of(a, b, a), ranks, 0)).toEqual([a, 256]);
  });
});
