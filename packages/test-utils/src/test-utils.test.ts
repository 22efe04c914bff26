import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { finiteDifferenceError, mobyDickSlice, readMobyDick, rejected, thrown } from './index.js';

describe('test helpers', () => {
  it('read the real novel and slice it over a small alphabet', () => {
    expect(readMobyDick().length).toBeGreaterThan(1_000_000);
    expect(readMobyDick()).toContain('Call me Ishmael.');
    const slice = mobyDickSlice(10_000, 500);
    expect(slice).toHaveLength(500);
    expect(slice).toMatch(/^[a-z .,\n]+$/);
  });

  it('finite differences agree with an exact gradient and catch a wrong one', async () => {
    await tf.setBackend('cpu');
    const v = tf.variable(tf.tensor1d([0.5, -1, 2]));
    const loss = () => tf.sum(tf.square(v)) as tf.Scalar;
    const right = tf.mul(2, v);
    expect(await finiteDifferenceError(loss, v, right, 3, 1e-2)).toBeLessThan(1e-3);
    const wrong = tf.mul(3, v);
    expect(await finiteDifferenceError(loss, v, wrong, 3, 1e-2)).toBeGreaterThan(0.1);
    tf.dispose([v, right, wrong]);
  });

  it('thrown and rejected return the error, and fail when nothing is thrown', async () => {
    expect(thrown(() => JSON.parse('{'), SyntaxError).message).toMatch(/JSON/);
    expect(() => thrown(() => 1, TypeError)).toThrow('expected a TypeError');
    expect((await rejected(Promise.reject(new RangeError('r')), RangeError)).message).toBe('r');
    await expect(rejected(Promise.resolve(1), RangeError)).rejects.toThrow('expected a RangeError');
  });
});
