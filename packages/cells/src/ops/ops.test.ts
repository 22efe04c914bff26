import { initBackend, Rng, randomNormal, ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../test/numeric.js';
import { embeddingLookup } from './embedding.js';
import { linear } from './linear.js';

describe('wasm-friendly linear and embedding ops', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('linear matches tf.matMul + bias, values and gradients', async () => {
    const rng = new Rng(1);
    const x = randomNormal(rng, [2, 3, 4]);
    const W = randomNormal(rng, [4, 5]) as tf.Tensor2D;
    const b = randomNormal(rng, [5]) as tf.Tensor1D;
    const ref = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.sin(tf.add(tf.reshape(tf.matMul(tf.reshape(xx, [6, 4]), ww), [2, 3, 5]), bb)));
    const ours = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.sin(linear(xx, ww as tf.Tensor2D, bb as tf.Tensor1D)));
    expect(
      await maxAbsDiff(linear(x, W, b), tf.add(tf.reshape(tf.matMul(tf.reshape(x, [6, 4]), W), [2, 3, 5]), b)),
    ).toBeLessThan(1e-6);
    const g1 = tf.grads(ref)([x, W, b]);
    const g2 = tf.grads(ours)([x, W, b]);
    for (let i = 0; i < 3; i++) expect(await maxAbsDiff(g1[i]!, g2[i]!)).toBeLessThan(1e-5);
    expect(linear(x, W).shape).toEqual([2, 3, 5]);
  });

  it('embedding looks up rows and its gradient accumulates repeated ids on every backend', async () => {
    const table = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    const ids = tf.tensor2d(
      [
        [2, 0],
        [2, 2],
      ],
      [2, 2],
      'int32',
    );
    expect(await embeddingLookup(ids, table).array()).toEqual([
      [
        [5, 6],
        [1, 2],
      ],
      [
        [5, 6],
        [5, 6],
      ],
    ]);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(embeddingLookup(ids, table), tf.tensor1d([1, 10]))) as tf.Scalar,
      [table],
    );
    expect(await grads[table.name]!.array()).toEqual([
      [1, 10],
      [0, 0],
      [3, 30],
    ]);
    expect(() => embeddingLookup(tf.tensor1d([0.5]), table)).toThrow(ShapeError);
  });
});
