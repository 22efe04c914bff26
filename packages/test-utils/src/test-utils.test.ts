import { Rng, randomNormal } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  checkGradient,
  checkGradientHost,
  maxAbsDiff,
  mobyDickSlice,
  readMobyDick,
  rejected,
  thrown,
} from './index.js';

describe('test helpers', () => {
  it('read the real novel and slice it over a small alphabet', () => {
    expect(readMobyDick().length).toBeGreaterThan(1_000_000);
    expect(readMobyDick()).toContain('Call me Ishmael.');
    const slice = mobyDickSlice(10_000, 500);
    expect(slice).toHaveLength(500);
    expect(slice).toMatch(/^[a-z .,\n]+$/);
  });

  it('checkGradient passes an exact gradient and fails a wrong one', async () => {
    await tf.setBackend('cpu');
    const v = tf.variable(tf.tensor1d([0.5, -1, 2]));
    const loss = () => tf.square(v);
    const right = tf.mul(2, v);
    const ok = await checkGradient(loss, v, right);
    expect(ok.ratio, ok.worst).toBeLessThanOrEqual(1);
    expect(ok.checked).toBe(3);
    const wrong = tf.mul(3, v);
    const bad = await checkGradient(loss, v, wrong);
    expect(bad.ratio).toBeGreaterThan(1);
    expect(bad.failed).toBe(3);
    expect(await v.array()).toEqual([0.5, -1, 2]); // restored
    await expect(checkGradient(loss, v, tf.zeros([3, 1]))).rejects.toThrow(/shape/);
    // The same check against a float64 host function.
    const host = (x: Float64Array) => x.reduce((s, e) => s + e * e, 0);
    expect((await checkGradientHost('v', host, [0.5, -1, 2], right, { rtol: 1e-6, atol: 1e-6 })).ratio).toBeLessThan(1);
    expect((await checkGradientHost('v', host, [0.5, -1, 2], tf.mul(right, 1.1))).failed).toBe(3);
    tf.dispose([v, right, wrong]);
  });

  it("checkGradient catches every LSTM variable's gradient scaled by 1.1 (and passes the true one)", async () => {
    await tf.setBackend('cpu');
    const [B, T, I, H] = [2, 4, 3, 5];
    const rng = new Rng(11);
    const kernel = tf.variable(randomNormal(rng, [I, 4 * H], 0, 0.5), true, 'kernel');
    const recurrentKernel = tf.variable(randomNormal(rng, [H, 4 * H], 0, 0.5), true, 'recurrentKernel');
    const bias = tf.variable(randomNormal(rng, [4 * H], 0, 0.3), true, 'bias');
    const x = randomNormal(rng, [T, B, I]);
    const lossWeights = tf.sin(tf.reshape(tf.range(0, T * B * H), [T, B, H]));
    // A plain LSTM, written out, and a loss with a distinct weight per output.
    const terms = () => {
      let h = tf.zeros([B, H]);
      let c = tf.zeros([B, H]);
      const outs: tf.Tensor[] = [];
      for (const xt of tf.unstack(x)) {
        const z = tf.add(tf.add(tf.matMul(xt, kernel), tf.matMul(h, recurrentKernel)), bias);
        const [i, f, g, o] = tf.split(z, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
        h = tf.mul(tf.sigmoid(o), tf.tanh(c));
        outs.push(h);
      }
      return tf.mul(tf.stack(outs), lossWeights);
    };
    const vars = [kernel, recurrentKernel, bias];
    const { grads } = tf.variableGrads(() => tf.sum(terms()) as tf.Scalar, vars);
    for (const v of vars) {
      const g = grads[v.name]!;
      const right = await checkGradient(terms, v, g);
      expect(right.ratio, right.worst).toBeLessThanOrEqual(1);
      expect(right.checked).toBe(v.size);
      const scaled = tf.mul(g, 1.1);
      const wrong = await checkGradient(terms, v, scaled);
      expect(wrong.ratio, `${v.name} scaled by 1.1 passed`).toBeGreaterThan(1);
      // Not just one marginal entry: most of the gradient is flagged.
      expect(wrong.failed, v.name).toBeGreaterThan(v.size / 2);
      scaled.dispose();
    }
    tf.dispose([kernel, recurrentKernel, bias, x, lossWeights, ...Object.values(grads)]);
  });

  it('maxAbsDiff refuses tensors of different shapes, and NaN never reads as agreement', async () => {
    await tf.setBackend('cpu');
    const a = tf.zeros([2, 3]);
    await expect(maxAbsDiff(a, tf.zeros([3, 2]))).rejects.toThrow(/shapes differ, \[2,3\] vs \[3,2\]/);
    await expect(maxAbsDiff(a, tf.zeros([6]))).rejects.toThrow(/shapes differ/);
    await expect(maxAbsDiff(a, tf.zeros([2, 3, 1]))).rejects.toThrow(/shapes differ/);
    expect(await maxAbsDiff(a, tf.fill([2, 3], 0.25))).toBe(0.25);
    expect(await maxAbsDiff(a, tf.fill([2, 3], Number.NaN))).toBe(Number.POSITIVE_INFINITY);
  });

  it('thrown and rejected return the error, and fail when nothing is thrown', async () => {
    expect(thrown(() => JSON.parse('{'), SyntaxError).message).toMatch(/JSON/);
    expect(() => thrown(() => 1, TypeError)).toThrow('expected a TypeError');
    expect((await rejected(Promise.reject(new RangeError('r')), RangeError)).message).toBe('r');
    await expect(rejected(Promise.resolve(1), RangeError)).rejects.toThrow('expected a RangeError');
  });
});
