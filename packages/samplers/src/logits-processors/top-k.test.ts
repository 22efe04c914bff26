import { ConfigError, Rng } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { NO_HISTORY } from '../greedy.js';
import { indicesByDescendingValue } from '../logits-math.js';
import { sampleToken } from '../sample.js';
import { applyLogitsProcessors } from './logits-processor.js';
import { topKProcessor } from './top-k.js';

describe('topKProcessor', () => {
  it('keeps exactly the k largest logits', () => {
    const row = Float32Array.from([0.1, 3, -2, 2, 2.5]);
    topKProcessor(2).process(row, NO_HISTORY);
    const ninf = Number.NEGATIVE_INFINITY;
    expect(Array.from(row)).toEqual([ninf, 3, ninf, ninf, 2.5]);
  });

  it('never emits outside the k best over 10,000 draws', () => {
    const rng = new Rng(11);
    const logits = Float32Array.from({ length: 20 }, () => rng.uniform(-1, 1));
    const best = new Set(indicesByDescendingValue(logits).slice(0, 5));
    const processor = topKProcessor(5);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const token = sampleToken(applyLogitsProcessors([processor], Float32Array.from(logits), NO_HISTORY), rng);
      expect(best.has(token)).toBe(true);
      seen.add(token);
    }
    // Not vacuous: every one of the k best was drawn.
    expect(seen).toEqual(best);
  });

  it('refuses k < 1', () => {
    expect(() => topKProcessor(0)).toThrow(ConfigError);
  });
});
