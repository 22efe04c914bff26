import { describe, expect, it } from 'vitest';
import { NO_HISTORY } from '../greedy.js';
import { minPProcessor } from './min-p.js';

describe('minPProcessor', () => {
  const ninf = Number.NEGATIVE_INFINITY;
  const logits = [0.5, 0.3, 0.15, 0.05].map(Math.log);

  it('removes tokens below minP × the top probability', () => {
    const row = Float32Array.from(logits);
    minPProcessor(0.2).process(row, NO_HISTORY); // threshold 0.1: only 0.05 goes
    expect(Array.from(row)).toEqual([...Float32Array.from(logits).slice(0, 3), ninf]);
    const row2 = Float32Array.from(logits);
    minPProcessor(0.5).process(row2, NO_HISTORY); // threshold 0.25: 0.5 and 0.3 stay
    expect(Array.from(row2)).toEqual([...Float32Array.from(logits).slice(0, 2), ninf, ninf]);
  });

  it('is off at 0 and keeps only the top token(s) at 1', () => {
    const row = Float32Array.from(logits);
    minPProcessor(0).process(row, NO_HISTORY);
    expect(Array.from(row)).toEqual(Array.from(Float32Array.from(logits)));
    minPProcessor(1).process(row, NO_HISTORY);
    expect(row.filter((v) => v > ninf).length).toBe(1);
  });
});
