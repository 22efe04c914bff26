import { NonFiniteError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { argmax, indicesByDescendingValue, keepOnly, logNormalizer, logSoftmax, softmax } from './logits-math.js';

describe('logits math', () => {
  it('softmax and logSoftmax agree and give -Infinity zero mass', () => {
    const row = Float32Array.from([1, 2, Number.NEGATIVE_INFINITY, 0]);
    const p = softmax(row);
    const z = Math.E + Math.E ** 2 + 1;
    expect(Array.from(p)).toEqual([Math.E / z, Math.E ** 2 / z, 0, 1 / z].map((v) => expect.closeTo(v, 12)));
    const lp = logSoftmax(row);
    expect(lp[2]).toBe(Number.NEGATIVE_INFINITY);
    expect(lp[1]).toBeCloseTo(Math.log(p[1] as number), 12);
  });

  it('logNormalizer is what logSoftmax subtracts, exactly; -Infinity when every entry is; NaN is refused', () => {
    const row = Float32Array.of(2.5, Number.NEGATIVE_INFINITY, -1, 0.25, 7);
    const z = logNormalizer(row, 'test');
    const reference = logSoftmax(row);
    row.forEach((x, i) => {
      expect(x - z).toBe(reference[i]);
    });
    expect(logNormalizer(Float32Array.of(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY), 'test')).toBe(
      Number.NEGATIVE_INFINITY,
    );
    expect(() => logNormalizer(Float32Array.of(1, Number.NaN), 'beam search')).toThrow(NonFiniteError);
    expect(() => logNormalizer(Float32Array.of(1, Number.NaN), 'beam search')).toThrow(/beam search: entry 1 is NaN/);
  });

  it('argmax takes the lowest index on ties and -1 when nothing is left', () => {
    expect(argmax([1, 3, 3])).toBe(1);
    expect(argmax([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBe(-1);
    expect(indicesByDescendingValue([1, 3, 3, 0])).toEqual([1, 2, 0, 3]);
  });

  it('keepOnly removes everything else', () => {
    const row = Float32Array.from([1, 2, 3]);
    keepOnly(row, [2]);
    expect(Array.from(row)).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 3]);
  });
});
