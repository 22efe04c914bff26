import { describe, expect, it } from 'vitest';
import { bannedNgramContinuations, noRepeatNgramProcessor } from './no-repeat-ngram.js';

describe('noRepeatNgramProcessor', () => {
  const ninf = Number.NEGATIVE_INFINITY;

  it('bans exactly the tokens that would repeat an n-gram', () => {
    expect(bannedNgramContinuations([1, 2, 3, 1, 2], 3)).toEqual([3]); // 1 2 3 already seen
    expect(bannedNgramContinuations([1, 2, 1, 3, 1], 2)).toEqual([2, 3]); // 1→2 and 1→3 seen
    expect(bannedNgramContinuations([5, 5, 5], 2)).toEqual([5]);
    expect(bannedNgramContinuations([7], 1)).toEqual([7]); // n = 1: no token twice
    expect(bannedNgramContinuations([1, 2], 3)).toEqual([]);
    const row = Float32Array.from([0, 1, 2, 3, 4]);
    noRepeatNgramProcessor(3).process(row, { step: 2, sequence: [1, 2, 3, 1, 2], promptLength: 3 });
    expect(Array.from(row)).toEqual([0, 1, 2, ninf, 4]);
  });

  it('is a no-op at 0', () => {
    const row = Float32Array.from([0, 1]);
    noRepeatNgramProcessor(0).process(row, { step: 0, sequence: [1, 1, 1], promptLength: 3 });
    expect(Array.from(row)).toEqual([0, 1]);
  });
});
