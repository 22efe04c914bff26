import { Rng } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { COPY_BLANK, COPY_CLASSES, COPY_DELIMITER, COPY_LENGTH, copyBaseline, copyBatch, copyTime } from './copy.js';

const inputId = (x: Float32Array, row: number) => {
  const v = x.subarray(row * COPY_CLASSES, (row + 1) * COPY_CLASSES);
  expect(v.reduce((a, b) => a + b, 0)).toBe(1);
  return v.indexOf(1);
};

describe('copy memory data', () => {
  it('shows 10 symbols, waits `delay` steps after them, and asks for them back after the delimiter', () => {
    const delay = 30;
    const T = copyTime(delay);
    const b = copyBatch(new Rng(1), 50, delay);
    expect([b.time, b.features]).toEqual([T, COPY_CLASSES]);
    for (let i = 0; i < b.batchSize; i++) {
      const ids = Array.from({ length: T }, (_, t) => inputId(b.x, i * T + t));
      const y = Array.from(b.y.subarray(i * T, (i + 1) * T));
      const symbols = ids.slice(0, COPY_LENGTH);
      for (const s of symbols) expect(s >= 1 && s <= 8).toBe(true);
      expect(ids.indexOf(COPY_DELIMITER)).toBe(delay + COPY_LENGTH - 1);
      expect(ids.filter((id) => id === COPY_BLANK)).toHaveLength(T - COPY_LENGTH - 1);
      expect(y.slice(0, delay + COPY_LENGTH).every((c) => c === COPY_BLANK)).toBe(true);
      expect(y.slice(delay + COPY_LENGTH)).toEqual(symbols);
      // The first recalled symbol is due `delay + 10` steps after it was shown.
      expect(y.indexOf(symbols[0] as number)).toBeGreaterThanOrEqual(delay + COPY_LENGTH);
    }
  });

  it('the baseline 10·ln8/(delay+20) matches an empirical memoryless predictor', () => {
    expect(copyBaseline(100)).toBeCloseTo((10 * Math.log(8)) / 120, 10);
    const delay = 20;
    const T = copyTime(delay);
    // The best predictor without memory knows only the position: fit per-position target frequencies...
    const train = copyBatch(new Rng(2), 10_000, delay);
    const counts = Array.from({ length: T }, () => new Float64Array(COPY_CLASSES).fill(0.5)); // add-½ smoothing
    for (let i = 0; i < train.batchSize; i++)
      for (let t = 0; t < T; t++) (counts[t] as Float64Array)[train.y[i * T + t] as number]! += 1;
    // ...and score its cross-entropy on fresh sequences.
    const test = copyBatch(new Rng(3), 2_000, delay);
    let nll = 0;
    for (let i = 0; i < test.batchSize; i++) {
      for (let t = 0; t < T; t++) {
        const c = counts[t] as Float64Array;
        const total = c.reduce((a, b) => a + b, 0);
        nll -= Math.log((c[test.y[i * T + t] as number] as number) / total);
      }
    }
    const empirical = nll / (test.batchSize * T);
    expect(Math.abs(empirical - copyBaseline(delay))).toBeLessThan(0.005);
  });
});
