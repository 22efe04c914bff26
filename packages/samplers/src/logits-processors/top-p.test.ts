import { describe, expect, it } from 'vitest';
import { NO_HISTORY } from '../greedy.js';
import { topPProcessor } from './top-p.js';

/** Ids left finite after filtering. */
function kept(p: number, probs: number[]): number[] {
  const row = Float32Array.from(probs.map(Math.log));
  topPProcessor(p).process(row, NO_HISTORY);
  return [...row.keys()].filter((i) => (row[i] as number) > Number.NEGATIVE_INFINITY);
}

describe('topPProcessor', () => {
  // probabilities 0.15, 0.5, 0.05, 0.3 (order shuffled so that sorting matters)
  const probs = [0.15, 0.5, 0.05, 0.3];

  it('keeps the smallest set of most likely tokens whose probability reaches p', () => {
    expect(kept(0.4, probs)).toEqual([1]); // 0.5 ≥ 0.4
    expect(kept(0.75, probs)).toEqual([1, 3]); // 0.5 < 0.75 ≤ 0.8
    expect(kept(0.9, probs)).toEqual([0, 1, 3]); // 0.8 < 0.9 ≤ 0.95
    expect(kept(0.96, probs)).toEqual([0, 1, 2, 3]);
    expect(kept(1, probs)).toEqual([0, 1, 2, 3]);
  });

  it('leaves kept logits unchanged', () => {
    const row = Float32Array.from([2, 1, -3]);
    topPProcessor(0.5).process(row, NO_HISTORY);
    expect(Array.from(row)).toEqual([2, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  it('refuses p outside (0, 1]', () => {
    expect(() => topPProcessor(0)).toThrow(/topP/);
    expect(() => topPProcessor(1.5)).toThrow(/topP/);
  });
});
