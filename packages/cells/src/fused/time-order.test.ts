import { initBackend, Rng, randomNormal } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stackSteps, unstackSteps } from './time-order.js';

beforeAll(async () => {
  await initBackend();
});

describe('unstackSteps and stackSteps', () => {
  it('equals tf.unstack(x, 1) for ranks 2 to 4, with the same gradient', async () => {
    for (const shape of [
      [3, 5],
      [2, 4, 6],
      [2, 3, 2, 5],
    ]) {
      const x = randomNormal(new Rng(shape.length), shape);
      const got = unstackSteps(x);
      const want = tf.unstack(x, 1);
      expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
      for (let i = 0; i < want.length; i++) expect(await got[i]!.array()).toEqual(await want[i]!.array());
      const probe = randomNormal(new Rng(9), shape);
      const loss = (f: (t: tf.Tensor) => tf.Tensor[]) => (t: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.stack(
              f(t).map((s, i) => tf.mul(s, i + 1)),
              1,
            ),
            probe,
          ),
        );
      const g1 = tf.grad(loss(unstackSteps))(x);
      const g2 = tf.grad(loss((t) => tf.unstack(t, 1)))(x);
      expect(await g1.array()).toEqual(await g2.array());
      // stackSteps inverts it, with tf.stack(·, 1)'s gradient.
      const stacked = stackSteps(got);
      expect(await stacked.array()).toEqual(await x.array());
      const h1 = tf.grads((...ts: tf.Tensor[]) => tf.sum(tf.mul(stackSteps(ts), probe)))(want);
      const h2 = tf.grads((...ts: tf.Tensor[]) => tf.sum(tf.mul(tf.stack(ts, 1), probe)))(want);
      for (let i = 0; i < h1.length; i++) expect(await h1[i]!.array()).toEqual(await h2[i]!.array());
      tf.dispose([x, probe, g1, g2, stacked, ...got, ...want, ...h1, ...h2]);
    }
  });
});
