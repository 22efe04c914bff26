import { describe, expect, it } from 'vitest';
import { NO_HISTORY } from '../greedy.js';
import { typicalPProcessor } from './typical-p.js';

function kept(mass: number): number[] {
  const row = Float32Array.from([0.5, 0.3, 0.15, 0.05].map(Math.log));
  typicalPProcessor(mass).process(row, NO_HISTORY);
  return [...row.keys()].filter((i) => (row[i] as number) > Number.NEGATIVE_INFINITY);
}

describe('typicalPProcessor', () => {
  // Entropy H = 1.1421 nats; surprisals −ln p = 0.693, 1.204, 1.897, 2.996;
  // |surprisal − H| = 0.449, 0.062, 0.755, 1.854 → typicality order 1, 0, 2, 3.
  it('keeps the tokens whose surprisal is closest to the entropy until the mass is reached', () => {
    expect(kept(0.2)).toEqual([1]); // the most typical token is not the most likely one
    expect(kept(0.5)).toEqual([0, 1]); // 0.3 < 0.5 ≤ 0.3 + 0.5
    expect(kept(0.9)).toEqual([0, 1, 2]); // 0.8 < 0.9 ≤ 0.95
    expect(kept(1)).toEqual([0, 1, 2, 3]);
  });
});
