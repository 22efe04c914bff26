import { Rng } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { ADDING_BASELINE_MSE, ADDING_FEATURES, addingBatch } from './adding.js';

describe('adding problem data', () => {
  it('marks one step in each half and targets the sum of the two marked values', () => {
    const T = 50;
    const b = addingBatch(new Rng(1), 200, T);
    expect([b.batchSize, b.time, b.features]).toEqual([200, T, ADDING_FEATURES]);
    for (let i = 0; i < b.batchSize; i++) {
      const marked: number[] = [];
      let sum = 0;
      for (let t = 0; t < T; t++) {
        const v = b.x[(i * T + t) * 2] as number;
        const m = b.x[(i * T + t) * 2 + 1] as number;
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(1);
        expect([0, 1]).toContain(m);
        if (m === 1) {
          marked.push(t);
          sum += v;
        }
      }
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(T / 2);
      expect(marked[1]).toBeGreaterThanOrEqual(T / 2);
      expect(b.y[i]).toBeCloseTo(sum, 6);
    }
  });

  it('is seeded: the same seed gives the same batch', () => {
    const a = addingBatch(new Rng(7), 4, 30);
    const b = addingBatch(new Rng(7), 4, 30);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
  });

  it('always answering 1 scores MSE ≈ 1/6 ≈ 0.167 on 10k samples', () => {
    const b = addingBatch(new Rng(3), 10_000, 20);
    let se = 0;
    let mean = 0;
    for (const y of b.y) {
      se += (y - 1) ** 2;
      mean += y;
    }
    expect(ADDING_BASELINE_MSE).toBeCloseTo(0.1667, 4);
    // Standard error of the estimate ≈ 0.002.
    expect(Math.abs(se / b.batchSize - ADDING_BASELINE_MSE)).toBeLessThan(0.008);
    expect(Math.abs(mean / b.batchSize - 1)).toBeLessThan(0.02);
  });
});
